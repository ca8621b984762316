import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransientError } from '../errors/errors.js';
import { aroundLedger } from './around.js';
import { at, inboxEvent } from './contract.js';
import type { Inbox } from './inbox.js';
import { resilientLedger } from './resilient.js';
import { openSqliteLedger } from './sqlite.js';
import type { LedgerStore } from './store.js';

let dir: string;
let store: LedgerStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  store = openSqliteLedger(join(dir, 'ledger.sqlite'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('aroundLedger', () => {
  it('runs the inbox’s calls through `around` too', async () => {
    const calls: number[] = [];
    const wrapped = aroundLedger(store, async (call) => {
      calls.push(calls.length);
      return call();
    });
    expect(await wrapped.inbox.accept([inboxEvent('e1', 's', 0)])).toEqual({ accepted: 1, duplicates: 0 });
    const [batch] = await wrapped.inbox.claimDue({
      now: at(5_000),
      quietMs: 2_000,
      maxWaitMs: 10_000,
      limit: 5,
      leaseMs: 1_000,
      owner: 'w',
    });
    expect(await wrapped.inbox.complete('s', batch?.eventIds ?? [], 'w')).toBe(true);
    expect(await wrapped.inbox.depth(at(5_000))).toMatchObject({ pendingEvents: 0 });
    expect(calls).toHaveLength(4);
    // The methods are the store's, bound: no `this` needed by the caller.
    const { recent } = wrapped.inbox;
    expect((await recent(1))[0]?.id).toBe('e1');
  });

  it('resilientLedger tries an inbox call again while the ledger is briefly away', async () => {
    let failures = 2;
    // The store's methods as plain functions (aroundLedger binds them), so that one can be replaced.
    const plain = aroundLedger(store, (call) => call());
    const flaky: Inbox = {
      ...plain.inbox,
      accept: async (events) => {
        if (failures-- > 0) throw new TransientError('the server restarts');
        return plain.inbox.accept(events);
      },
    };
    const resilient = resilientLedger({ ...plain, inbox: flaky }, { sleep: async () => {} });
    expect(await resilient.inbox.accept([inboxEvent('e1', 's', 0)])).toEqual({ accepted: 1, duplicates: 0 });
    expect(failures).toBe(-1);
  });
});
