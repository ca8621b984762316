// What the ledger promises when things go wrong, over HTTP against the emulators with a real SQLite file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulators, emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncServices, type SyncServices } from '../compose.js';
import { loadConfig } from '../config.js';
import type { SourceCustomer } from '../sources/types.js';
import type { SyncLedger } from '../sync/plan.js';
import { syncCustomer } from '../sync/sync-customer.js';
import { openSqliteLedger } from './sqlite.js';
import type { LedgerStore } from './store.js';
import { syncLedger } from './sync.js';

let emu: Emulators;
let services: SyncServices;
let store: LedgerStore;

beforeAll(async () => {
  emu = await startEmulators({ customers: 12 });
});
beforeEach(() => {
  emu.reset();
  services = createSyncServices(loadConfig(emulatorEnv(emu.urls)));
  store = openSqliteLedger(join(mkdtempSync(join(tmpdir(), 'cx-ledger-')), 'ledger.sqlite'));
});
afterEach(async () => {
  services.close();
  await store.close();
});
afterAll(async () => {
  await emu.stop();
});

const index = () => emu.seed.customers.findIndex((c) => c.cxoneCustomerId);
const writes = () => emu.cxone.log.list().filter((r) => r.method === 'PUT');

async function customerWith(promo: string): Promise<SourceCustomer> {
  const c = emu.seed.customers[index()]!;
  const conversation = emu.state.genesys.conversations.get(c.conversationIds.at(-1)!)!;
  conversation.participants.find((p) => p.purpose === 'customer')!.attributes.promo_code = promo;
  return services.genesys.customerFromConversation(conversation.id);
}

describe('the ledger when a process dies', () => {
  it('a crash between the write and the ledger costs one repeated write, never a skipped one', async () => {
    const ledger = syncLedger(store, { ledgerTarget: services.ledgerTarget });
    const cxone = services.targets('cxone');
    expect((await syncCustomer(await customerWith('BEFORE'), cxone, { ledger })).targets[0]!.outcome).toBe(
      'updated',
    );
    // The process "dies" after the write reached CXone, before the ledger recorded it.
    const dying: SyncLedger = {
      view: ledger.view,
      record: async () => {
        throw new Error('killed');
      },
    };
    await expect(syncCustomer(await customerWith('AFTER'), cxone, { ledger: dying })).rejects.toThrow(
      'killed',
    );
    expect(writes().at(-1)?.body).toEqual([{ ident: 'promo_code', value: 'AFTER' }]);
    emu.cxone.log.clear();

    // The next run does not take the value for written: it writes it again (the same value, idempotent)…
    const again = await syncCustomer(await customerWith('AFTER'), cxone, { ledger });
    expect(again.targets[0]).toMatchObject({ outcome: 'updated', written: { promo_code: 'AFTER' } });
    expect(writes()).toHaveLength(1);
    // …and only then is it unchanged, with no request.
    emu.cxone.log.clear();
    const then = await syncCustomer(await customerWith('AFTER'), cxone, { ledger });
    expect(then.targets[0]!.outcome).toBe('unchanged');
    expect(emu.cxone.log.list().filter((r) => r.path.includes('/customers/'))).toEqual([]);
  });

  it('a failed write never records its values as written', async () => {
    const ledger = syncLedger(store, { ledgerTarget: services.ledgerTarget });
    const cxone = services.targets('cxone');
    await syncCustomer(await customerWith('ONE'), cxone, { ledger });
    emu.cxone.faults.add({ method: 'PUT', count: 1, fault: { kind: 'status', status: 413 } });
    const failed = await syncCustomer(await customerWith('TWO'), cxone, { ledger });
    expect(failed.targets[0]!.outcome).toBe('failed');
    const retried = await syncCustomer(await customerWith('TWO'), cxone, { ledger });
    expect(retried.targets[0]).toMatchObject({ outcome: 'updated', written: { promo_code: 'TWO' } });
    const stored = emu.state.cxone.customers.get(emu.seed.customers[index()]!.cxoneCustomerId!)!;
    expect(stored.customFields.get('promo_code')?.value).toBe('TWO');
  });
});
