import { type Emulators, emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncServices, type SyncServices } from '../compose.js';
import { loadConfig } from '../config.js';
import { syncCustomer } from './sync-customer.js';

let emu: Emulators;
let services: SyncServices;

beforeAll(async () => {
  emu = await startEmulators({ customers: 12 });
});
beforeEach(() => {
  emu.reset();
  services = createSyncServices(loadConfig(emulatorEnv(emu.urls)));
});
afterAll(async () => {
  services?.close();
  await emu.stop();
});

const conversation = (i: number) => emu.seed.customers[i]!.conversationIds.at(-1)!;
const tokenRequests = (e: Emulators) => ({
  genesys: e.genesys.log.list().filter((r) => r.path === '/oauth/token').length,
  cxone: e.cxone.log.list().filter((r) => r.path === '/auth/token').length,
});

async function syncOne(i: number) {
  const customer = await services.genesys.customerFromConversation(conversation(i));
  return syncCustomer(customer, services.targets('all'));
}

describe('sync over HTTP, in one process', () => {
  it('reuses one token per platform across many syncs', async () => {
    for (const i of [0, 1, 2, 3]) await syncOne(i);
    expect(tokenRequests(emu)).toEqual({ genesys: 1, cxone: 1 });
  });

  it('fetches one token when many syncs start at once', async () => {
    await Promise.all([0, 1, 2, 3, 4, 5].map(syncOne));
    expect(tokenRequests(emu)).toEqual({ genesys: 1, cxone: 1 });
  });

  it('survives tokens revoked mid-run: a 401, a new token, the same call again', async () => {
    const first = await syncOne(0);
    expect(first.targets.map((t) => t.outcome)).toEqual(['updated', 'updated']);
    emu.genesys.revokeTokens();
    emu.cxone.revokeTokens();
    const second = await syncOne(1);
    expect(second.targets.map((t) => t.outcome)).toEqual(['updated', 'updated']);
    expect(tokenRequests(emu)).toEqual({ genesys: 2, cxone: 2 });
    const genesys401 = emu.genesys.log.list().filter((r) => r.status === 401);
    const cxone401 = emu.cxone.log.list().filter((r) => r.status === 401);
    expect(genesys401).toHaveLength(1);
    expect(cxone401).toHaveLength(1);
  });

  it('leaves every customer’s target values exactly as converted, even under injected faults', async () => {
    emu.cxone.faults.add({ probability: 0.2, fault: { kind: 'status', status: 503 } });
    emu.cognigy.faults.add({ probability: 0.2, fault: { kind: 'status', status: 429, retryAfter: 1 } });
    const results = await Promise.all(emu.seed.customers.map((_, i) => syncOne(i)));
    emu.cxone.faults.clear();
    emu.cognigy.faults.clear();
    // Customer 6's Cognigy profile asks that no data be collected: skipped (consent), never written.
    for (const r of results) {
      for (const t of r.targets)
        expect(['updated', 'customer-not-found', 'skipped'], JSON.stringify(t.error)).toContain(t.outcome);
    }
    expect(results[6]!.targets.find((t) => t.target === 'cognigy')).toMatchObject({
      outcome: 'skipped',
      reason: 'consent',
    });
    // A second pass finds nothing left to write.
    const again = await Promise.all(emu.seed.customers.map((_, i) => syncOne(i)));
    for (const r of again)
      for (const t of r.targets) expect(['unchanged', 'customer-not-found', 'skipped']).toContain(t.outcome);
  });
});
