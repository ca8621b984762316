import { createSyncServices, loadConfig, type SyncResult, syncCustomer } from '@cx-profile-sync/core';
import { emulatorEnv } from '@cx-profile-sync/emulators';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { GenesysCloud } from '../../nodes/GenesysCloud/GenesysCloud.node';
import { ProfileSync } from '../../nodes/ProfileSync/ProfileSync.node';
import { runNode, useEmulators } from './emulators';
import { emulatorCredentials, type FakeOptions, fakeN8n } from './fake-n8n';

const emu = useEmulators();
const node = new ProfileSync();

const fake = (parameters: Record<string, unknown>, options: Omit<FakeOptions, 'parameters'> = {}) =>
  fakeN8n({
    credentials: emulatorCredentials(emu()),
    parameters: {
      source: 'input',
      syncToCxone: true,
      syncToCognigy: true,
      cognigyProjectId: emu().credentials.cognigy.projectId,
      options: {},
      ...parameters,
    },
    ...options,
  });

/** The latest conversation of seed customer `index`. */
const conversationOf = (index: number) => emu().seed.customers[index]!.conversationIds.at(-1)!;

/** What the Genesys Cloud node outputs for these customers' conversations. */
async function genesysItems(indexes: number[]) {
  const ids = indexes.map(conversationOf);
  const items = await runNode(
    new GenesysCloud(),
    fakeN8n({
      credentials: emulatorCredentials(emu()),
      parameters: (i) => ({ resource: 'conversation', operation: 'getCustomer', conversationId: ids[i] }),
      items: ids.map(() => ({})),
    }).execute,
  );
  return items.map((i) => i.json);
}

const target = (result: SyncResult, name: 'cxone' | 'cognigy') =>
  result.targets.find((t) => t.target === name)!;
const cxoneFields = (customerId: string) =>
  Object.fromEntries(
    [...emu().state.cxone.customers.get(customerId)!.customFields].map(([k, v]) => [k, v.value]),
  );

describe('Profile Sync node', () => {
  it('syncs the Genesys Cloud items to CXone and Cognigy, one result per item, paired', async () => {
    // Customer 0: known to both; 3: no Cognigy profile yet (created); 9: unknown to CXone.
    const input = await genesysItems([0, 3, 9]);
    const items = await runNode(node, fake({}, { items: input }).execute);
    expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
    const [r0, r3, r9] = items.map((i) => i.json as unknown as SyncResult);
    const seed = emu().seed.customers;

    expect(target(r0!, 'cxone')).toMatchObject({ outcome: 'updated', customerId: seed[0]!.cxoneCustomerId });
    const written = target(r0!, 'cxone').written;
    expect(cxoneFields(seed[0]!.cxoneCustomerId!)).toMatchObject(written);
    expect(written).toHaveProperty('account_number');
    expect(target(r0!, 'cognigy')).toMatchObject({
      outcome: 'updated',
      customerId: seed[0]!.cognigyProfileId,
    });

    const created = target(r3!, 'cognigy');
    expect(created).toMatchObject({ outcome: 'updated', created: true });
    expect(emu().state.cognigy.profiles.get(created.customerId!)!.contactIds).toContain(seed[3]!.phone);

    expect(target(r9!, 'cxone')).toMatchObject({ outcome: 'customer-not-found' });
    expect(target(r9!, 'cxone').reason).toMatch(/^no CXone customer has this/);
  });

  it("gives the command line's --json result for the same customer (dry run)", async () => {
    const conversationId = conversationOf(0);
    const [item] = await runNode(
      node,
      fake({ source: 'conversationId', conversationId, options: { dryRun: true } }).execute,
    );
    const services = createSyncServices(loadConfig(emulatorEnv(emu().urls)));
    try {
      const customer = await services.genesys.customerFromConversation(conversationId);
      const cli = await syncCustomer(customer, services.targets('all'), { dryRun: true });
      expect(item!.json).toEqual(JSON.parse(JSON.stringify(cli)));
      expect(target(cli, 'cxone').outcome).toBe('dry-run');
    } finally {
      services.close();
    }
  });

  it('writes nothing in a dry run', async () => {
    const items = await runNode(
      node,
      fake({ options: { dryRun: true } }, { items: await genesysItems([0, 1]) }).execute,
    );
    expect(items.flatMap((i) => (i.json as unknown as SyncResult).targets.map((t) => t.outcome))).toEqual([
      'dry-run',
      'dry-run',
      'dry-run',
      'dry-run',
    ]);
    const writes = [...emu().cxone.log.list(), ...emu().cognigy.log.list()].filter((r) =>
      ['PUT', 'PATCH', 'POST'].includes(r.method),
    );
    expect(writes.filter((r) => !r.path.startsWith('/auth/'))).toEqual([]);
  });

  it('reads an external contact by id, and follows the mapping option', async () => {
    const contact = emu().seed.genesys.externalContacts[0]!;
    const mapping = JSON.stringify({
      attributes: { loyalty_tier: { drop: true }, firstname: { to: 'display_name' } },
    });
    const [item] = await runNode(
      node,
      fake({ source: 'externalContactId', contactId: contact.id, syncToCognigy: false, options: { mapping } })
        .execute,
    );
    const cx = target(item!.json as unknown as SyncResult, 'cxone');
    expect(cx.written).toEqual(expect.objectContaining({ display_name: contact.firstName }));
    expect(cx.written).not.toHaveProperty('loyalty_tier');
    expect(cx.skipped).toContainEqual({ key: 'loyalty_tier', reason: 'dropped by mapping' });
  });

  it("refuses a mapping that is not valid, with the core's explanation", async () => {
    const failure = runNode(
      node,
      fake({ options: { mapping: '{"attributes": [' } }, { items: await genesysItems([0]) }).execute,
    );
    await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
    await expect(failure).rejects.toThrow(/the Mapping option/);
  });

  it('fails an item whose target failed; under "continue on fail" the item keeps both results and the error', async () => {
    emu().cxone.faults.add({
      method: 'PUT',
      path: '/dfo/3.0/customers/**',
      fault: { kind: 'status', status: 503 },
    });
    const input = await genesysItems([0]);
    await expect(runNode(node, fake({}, { items: input }).execute)).rejects.toSatisfy(
      (e) =>
        e instanceof NodeApiError &&
        e.httpCode === '503' &&
        /^NICE CXone update customer custom fields failed with HTTP 503/.test(e.message),
    );
    const [item] = await runNode(node, fake({}, { items: input, continueOnFail: true }).execute);
    expect(item!.json).toMatchObject({
      error: expect.stringMatching(/^NICE CXone update customer custom fields failed with HTTP 503/),
      details: { kind: 'transient', platform: 'cxone', status: 503 },
      targets: [
        { target: 'cxone', outcome: 'failed', error: { kind: 'transient', status: 503 } },
        { target: 'cognigy', outcome: 'unchanged' },
      ],
    });
  });

  it('refuses an input item that is not a Genesys Cloud customer, and a run with no target', async () => {
    const items = await runNode(
      node,
      fake({}, { items: [{ hello: 'world' }], continueOnFail: true }).execute,
    );
    expect(items[0]!.json.error).toMatch(
      /the input item is not a Genesys Cloud customer \(it has no "source" object\)/,
    );
    await expect(
      runNode(
        node,
        fake({ syncToCxone: false, syncToCognigy: false }, { items: await genesysItems([0]) }).execute,
      ),
    ).rejects.toThrow('Profile Sync: turn on NICE CXone, Cognigy.AI or both');
  });

  it('skips a Cognigy.AI profile whose person asked that no data be collected, unless the option says otherwise', async () => {
    // Customer 6's Cognigy profile has prevent_data_collection: true in the seed.
    const c = emu().seed.customers[6]!;
    const input = await genesysItems([6]);
    const writes = () =>
      emu()
        .cognigy.log.list()
        .filter((r) => r.method !== 'GET');
    emu().cognigy.log.clear();
    const [item] = await runNode(node, fake({ syncToCxone: false }, { items: input }).execute);
    expect(target(item!.json as unknown as SyncResult, 'cognigy')).toMatchObject({
      outcome: 'skipped',
      reason: 'consent',
      customerId: c.cognigyProfileId,
      written: {},
    });
    expect(writes()).toEqual([]);

    const [again] = await runNode(
      node,
      fake({ syncToCxone: false, options: { ignoreConsent: true } }, { items: input }).execute,
    );
    expect(target(again!.json as unknown as SyncResult, 'cognigy')).toMatchObject({
      outcome: 'updated',
      customerId: c.cognigyProfileId,
    });
    expect(writes()).toHaveLength(1);
  });
});
