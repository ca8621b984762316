import type { Inbox } from './inbox.js';
import type { LedgerStore } from './store.js';

type Around = <R>(call: () => Promise<R>) => Promise<R>;

const wrapper =
  (around: Around) =>
  <A extends unknown[], R>(op: (...args: A) => Promise<R>) =>
  (...args: A): Promise<R> =>
    around(() => op(...args));

/**
 * The same store with every call but `close` run through `around` (a retry, an error's rewording),
 * its inbox's too, so that a wrapper lists the store's methods once, here.
 */
export function aroundLedger(store: LedgerStore, around: Around): LedgerStore {
  const wrap = wrapper(around);
  return {
    get: wrap(store.get.bind(store)),
    recordSuccess: wrap(store.recordSuccess.bind(store)),
    recordFailure: wrap(store.recordFailure.bind(store)),
    retryable: wrap(store.retryable.bind(store)),
    history: wrap(store.history.bind(store)),
    recordWindow: wrap(store.recordWindow.bind(store)),
    window: wrap(store.window.bind(store)),
    forgetRecordId: wrap(store.forgetRecordId.bind(store)),
    reset: wrap(store.reset.bind(store)),
    inbox: aroundInbox(store.inbox, around),
    close: () => store.close(),
  };
}

/** The same inbox with every call run through `around`. */
export function aroundInbox(inbox: Inbox, around: Around): Inbox {
  const wrap = wrapper(around);
  return {
    accept: wrap(inbox.accept.bind(inbox)),
    claimDue: wrap(inbox.claimDue.bind(inbox)),
    complete: wrap(inbox.complete.bind(inbox)),
    release: wrap(inbox.release.bind(inbox)),
    renew: wrap(inbox.renew.bind(inbox)),
    depth: wrap(inbox.depth.bind(inbox)),
    recent: wrap(inbox.recent.bind(inbox)),
    nextDue: wrap(inbox.nextDue.bind(inbox)),
    prune: wrap(inbox.prune.bind(inbox)),
  };
}
