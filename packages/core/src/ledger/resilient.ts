/**
 * A ledger whose calls are tried again while its server is briefly away (a PostgreSQL restart or
 * fail-over): a back-fill waits for it instead of stopping. Other errors pass at once.
 */
import { TransientError } from '../errors/errors.js';
import type { LedgerStore } from './store.js';

export interface ResilienceOptions {
  /** How long to keep trying one call (default 60 s). */
  patienceMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export function resilientLedger(store: LedgerStore, options: ResilienceOptions = {}): LedgerStore {
  const patience = options.patienceMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const persist =
    <A extends unknown[], R>(op: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = Date.now();
      for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
        try {
          return await op(...args);
        } catch (e) {
          if (!(e instanceof TransientError) || Date.now() - started + wait > patience) throw e;
          await sleep(wait);
        }
      }
    };
  return {
    get: persist(store.get.bind(store)),
    recordSuccess: persist(store.recordSuccess.bind(store)),
    recordFailure: persist(store.recordFailure.bind(store)),
    retryable: persist(store.retryable.bind(store)),
    history: persist(store.history.bind(store)),
    recordWindow: persist(store.recordWindow.bind(store)),
    window: persist(store.window.bind(store)),
    forgetRecordId: persist(store.forgetRecordId.bind(store)),
    reset: persist(store.reset.bind(store)),
    close: () => store.close(),
  };
}
