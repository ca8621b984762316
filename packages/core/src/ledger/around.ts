import type { LedgerStore } from './store.js';

/**
 * The same store with every call but `close` run through `around` (a retry, an error's rewording),
 * so that a wrapper lists the store's methods once, here.
 */
export function aroundLedger(
  store: LedgerStore,
  around: <R>(call: () => Promise<R>) => Promise<R>,
): LedgerStore {
  const wrap =
    <A extends unknown[], R>(op: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      around(() => op(...args));
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
    close: () => store.close(),
  };
}
