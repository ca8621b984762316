import { type Emulators, emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncServices } from '../../../compose.js';
import { loadConfig } from '../../../config.js';
import { parseMapping } from '../../../convert/mapping.js';
import { registerTarget, targetNames, unregisterPlatform } from '../../../registry.js';
import { createRuntime } from '../../../runtime.js';
import { syncCustomer } from '../../../sync/sync-customer.js';
import { memo } from './descriptor.js';
import { contactsOf } from './protocol.js';
import { type MemoServer, startMemoServer } from './server.js';

// A target registered in one place (here) is configured, limited, checked, mapped and synced by the
// core's composition root with no edit anywhere else.
let emu: Emulators;
let server: MemoServer;

beforeAll(async () => {
  registerTarget(memo);
  emu = await startEmulators({ customers: 4 });
  server = await startMemoServer();
});
afterAll(async () => {
  unregisterPlatform('memo');
  await server?.stop();
  await emu?.stop();
});

describe('a target registered from a test', () => {
  it('is configured from its variables, checked and synced next to the built-in targets', async () => {
    expect(targetNames()).toEqual(['cxone', 'cognigy', 'memo']);
    const config = loadConfig({ ...emulatorEnv(emu.urls), ...server.env });
    expect(config.memo).toEqual({ apiUrl: server.url, apiKey: server.apiKey });
    const services = createSyncServices(config);
    try {
      expect(services.targetNames()).toEqual(['cxone', 'cognigy', 'memo']);
      const steps = await services.check();
      expect(steps.find((s) => s.platform === 'memo')).toMatchObject({ ok: true, message: '4 fields' });

      const seed = emu.seed.customers[1]!;
      const customer = await services.genesys.customerFromConversation(seed.conversationIds.at(-1)!);
      const first = await syncCustomer(customer, services.targets('memo'));
      expect(first.targets).toEqual([
        expect.objectContaining({ target: 'memo', outcome: 'updated', created: true }),
      ]);
      const record = server.records.get(first.targets[0]!.customerId!)!;
      expect(record.contacts).toEqual(contactsOf(customer.identity));
      expect(record.contacts).toContain(seed.phone);
      expect(typeof record.fields.annual_spend).toBe('number');
      expect(record.fields.loyalty_tier).toBe(customer.attributes.loyalty_tier);

      const writes = () => server.requests.filter((r) => r.method !== 'GET').length;
      const before = writes();
      const again = await syncCustomer(customer, services.targets('all'));
      expect(again.targets.find((t) => t.target === 'memo')!.outcome).toBe('unchanged');
      expect(writes()).toBe(before);
    } finally {
      services.close();
    }
  });

  it('has its limit in every runtime, its section in mapping files, and a clear message when not configured', () => {
    expect(createRuntime().limits.memo).toEqual(memo.limits.memo);
    const mapping = parseMapping(
      '{"targets":{"memo":{"attributes":{"tier":{"to":"loyalty_tier"}}}}}',
      'm.json',
    );
    expect(mapping.targets.memo?.attributes.tier).toEqual({ to: 'loyalty_tier' });
    const services = createSyncServices(loadConfig(emulatorEnv(emu.urls)));
    try {
      expect(() => services.targets('memo')).toThrow(
        /--target memo is not configured: set MEMO_API_URL and MEMO_API_KEY/,
      );
      expect(() => services.targets('nope')).toThrow(/no target named nope \(known: cxone, cognigy, memo\)/);
    } finally {
      services.close();
    }
  });
});
