/**
 * A ledger whose calls are tried again while its server is briefly away (a PostgreSQL restart or
 * fail-over): a back-fill waits for it instead of stopping. Other errors pass at once.
 */
import { TransientError } from '../errors/errors.js';
import { aroundLedger } from './around.js';
import type { LedgerStore } from './store.js';

export interface ResilienceOptions {
  /** How long to keep trying one call (default 60 s). */
  patienceMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export function resilientLedger(store: LedgerStore, options: ResilienceOptions = {}): LedgerStore {
  const patience = options.patienceMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return aroundLedger(store, async (call) => {
    const started = Date.now();
    for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
      try {
        return await call();
      } catch (e) {
        if (!(e instanceof TransientError) || Date.now() - started + wait > patience) throw e;
        await sleep(wait);
      }
    }
  });
}
