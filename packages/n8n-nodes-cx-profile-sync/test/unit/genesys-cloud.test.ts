import type { SeedConversation } from '@cx-profile-sync/emulators';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { GenesysCloud } from '../../nodes/GenesysCloud/GenesysCloud.node';
import { runNode, useEmulators } from './emulators';
import { emulatorCredentials, type FakeOptions, fakeN8n } from './fake-n8n';

const emu = useEmulators();
const node = new GenesysCloud();
const fake = (parameters: FakeOptions['parameters'], options: Omit<FakeOptions, 'parameters'> = {}) =>
  fakeN8n({ credentials: emulatorCredentials(emu()), parameters, ...options });

/** A seed conversation and its customer participant. */
function seedConversation(index: number) {
  const conversation = emu().seed.genesys.conversations[index]!;
  const participant = conversation.participants.find((p) => p.purpose === 'customer')!;
  return { conversation, participant, customer: emu().seed.customers[conversation.customerIndex]! };
}

const sortedEntries = (o: object) => Object.entries(o).sort(([a], [b]) => a.localeCompare(b));

describe('Genesys Cloud node: conversation → Get Customer Attributes', () => {
  it("outputs the customer participant's attributes, identity and source, paired with the input item", async () => {
    const { conversation, participant, customer } = seedConversation(0);
    const items = await runNode(
      node,
      fake({ resource: 'conversation', operation: 'getCustomer', conversationId: conversation.id }).execute,
    );
    expect(items).toHaveLength(1);
    const [item] = items;
    expect(item!.pairedItem).toEqual({ item: 0 });
    expect(item!.json.source).toEqual({
      kind: 'conversation',
      id: conversation.id,
      participantId: participant.id,
      at: conversation.startTime,
    });
    expect(item!.json.identity).toMatchObject({ name: `${customer.firstName} ${customer.lastName}` });
    // Every attribute of the customer participant (the IVR's are not the customer's), "__proto__" included.
    expect(sortedEntries(item!.json.attributes as object)).toEqual(sortedEntries(participant.attributes));
    expect(item!.json.attributes).not.toHaveProperty('ivr_menu');
  });

  it('runs once per input item, with that item’s parameters', async () => {
    const ids = [seedConversation(1).conversation.id, seedConversation(2).conversation.id];
    const items = await runNode(
      node,
      fake((i) => ({ resource: 'conversation', operation: 'getCustomer', conversationId: ids[i] }), {
        items: [{}, {}],
      }).execute,
    );
    expect(items.map((i) => [(i.json.source as { id: string }).id, i.pairedItem])).toEqual([
      [ids[0], { item: 0 }],
      [ids[1], { item: 1 }],
    ]);
  });

  it("stops on a missing conversation with n8n's NodeApiError: the core's message, 404, the correlation id", async () => {
    const failure = runNode(
      node,
      fake({ resource: 'conversation', operation: 'getCustomer', conversationId: 'no-such-conversation' })
        .execute,
    );
    await expect(failure).rejects.toBeInstanceOf(NodeApiError);
    await expect(failure).rejects.toMatchObject({
      httpCode: '404',
      message: expect.stringMatching(/^Genesys Cloud get conversation: not found \(HTTP 404/),
      description: expect.stringMatching(/correlation id: \S+/),
    });
  });

  it('under "continue on fail" gives the failing item { error, details } and runs the others', async () => {
    const good = seedConversation(3).conversation.id;
    const ids = [good, 'no-such-conversation', good];
    const items = await runNode(
      node,
      fake((i) => ({ resource: 'conversation', operation: 'getCustomer', conversationId: ids[i] }), {
        items: [{}, {}, {}],
        continueOnFail: true,
      }).execute,
    );
    expect(items).toHaveLength(3);
    expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
    expect(items[1]!.json).toEqual({
      error: expect.stringMatching(/^Genesys Cloud get conversation: not found/),
      details: expect.objectContaining({ kind: 'not-found', platform: 'genesys', status: 404 }),
    });
    expect(items[2]!.json.source).toMatchObject({ id: good });
  });

  it('refuses an empty conversation id before any request', async () => {
    const failure = runNode(
      node,
      fake({ resource: 'conversation', operation: 'getCustomer', conversationId: ' ' }).execute,
    );
    await expect(failure).rejects.toThrow('Conversation ID is empty');
  });

  it('logs in again once when the token was revoked, and goes on', async () => {
    const f = fake({
      resource: 'conversation',
      operation: 'getCustomer',
      conversationId: seedConversation(0).conversation.id,
    });
    await runNode(node, f.execute);
    const first = f.credentials.genesysCloudApi!.accessToken;
    emu().genesys.revokeTokens();
    const items = await runNode(node, f.execute);
    expect(items[0]!.json.source).toMatchObject({ kind: 'conversation' });
    expect(f.credentials.genesysCloudApi!.accessToken).not.toBe(first);
  });
});

describe('Genesys Cloud node: conversation → List by Interval', () => {
  const interval = { start: '2026-10-01T00:00:00', end: '2026-11-01T00:00:00' };

  it('outputs every conversation of the interval with its customer, read with an analytics job', async () => {
    const items = await runNode(
      node,
      fake({ resource: 'conversation', operation: 'listByInterval', ...interval, returnAll: true }).execute,
    );
    const seedIds = emu().seed.genesys.conversations.map((c) => c.id);
    expect(items.map((i) => (i.json.source as { id: string }).id).sort()).toEqual([...seedIds].sort());
    expect(items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
    const jobPaths = emu()
      .genesys.log.list()
      .map((r) => `${r.method} ${r.path.replace(/jobs\/[^/]+/, 'jobs/{id}')}`);
    expect(jobPaths).toContain('POST /api/v2/analytics/conversations/details/jobs');
    expect(jobPaths).toContain('GET /api/v2/analytics/conversations/details/jobs/{id}/results');
  });

  it('stops at the limit, keeping the order of the job (oldest first)', async () => {
    const items = await runNode(
      node,
      fake({ resource: 'conversation', operation: 'listByInterval', ...interval, returnAll: false, limit: 3 })
        .execute,
    );
    const oldest = emu()
      .seed.genesys.conversations.slice(0, 3)
      .map((c) => c.id);
    expect(items.map((i) => (i.json.source as { id: string }).id)).toEqual(oldest);
  });

  it("merges a customer's conversations of a page into one item, as the command line and the worker do", async () => {
    // A caller the seed does not know, calling twice on a day of no seed conversations, and another caller.
    const call = (id: string, phone: string, startTime: string, attributes: Record<string, string>) =>
      ({
        id,
        customerIndex: -1,
        startTime,
        endTime: new Date(Date.parse(startTime) + 60_000).toISOString(),
        participants: [
          {
            id: `${id}-customer`,
            purpose: 'customer',
            name: 'Merged Caller',
            mediaType: 'voice',
            ani: `tel:${phone}`,
            address: `tel:${phone}`,
            startTime,
            endTime: startTime,
            attributes,
          },
        ],
      }) satisfies SeedConversation;
    emu().state.genesys.addConversations([
      // Added newest first: the merge follows the conversations' start, not the order they came in.
      call('merge-later', '+15550100001', '2030-03-01T12:00:00.000Z', {
        loyalty_tier: 'gold',
        last_topic: 'billing',
      }),
      call('merge-earlier', '+15550100001', '2030-03-01T09:00:00.000Z', {
        loyalty_tier: 'silver',
        first_topic: 'sales',
      }),
      call('merge-other', '+15550100002', '2030-03-01T10:00:00.000Z', { loyalty_tier: 'bronze' }),
    ]);
    const items = await runNode(
      node,
      fake({
        resource: 'conversation',
        operation: 'listByInterval',
        start: '2030-03-01T00:00:00Z',
        end: '2030-03-02T00:00:00Z',
        returnAll: true,
      }).execute,
    );
    expect(items).toHaveLength(2);
    const merged = items.find((i) => (i.json.identity as { phone?: string }).phone === '+15550100001')!;
    expect(merged.json.source).toEqual({
      kind: 'conversation',
      id: 'merge-later',
      participantId: 'merge-later-customer',
      at: '2030-03-01T12:00:00.000Z',
    });
    expect(merged.json.attributes).toEqual({
      loyalty_tier: 'gold',
      first_topic: 'sales',
      last_topic: 'billing',
    });
    const other = items.find((i) => (i.json.identity as { phone?: string }).phone === '+15550100002')!;
    expect(other.json.source).toMatchObject({ id: 'merge-other' });
    expect(other.json.attributes).toEqual({ loyalty_tier: 'bronze' });
  });

  it('stops when the analytics job fails, saying what to do', async () => {
    // The emulator ends a job FAILED when it has `failWith`: give it to every job this test submits.
    const jobs = emu().state.genesys.jobs;
    const set = jobs.set.bind(jobs);
    jobs.set = (id, job) => set(id, { ...job, failWith: 'the analytics service is busy' });
    try {
      const failure = runNode(
        node,
        fake({ resource: 'conversation', operation: 'listByInterval', ...interval, returnAll: true }).execute,
      );
      await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
      await expect(failure).rejects.toThrow(
        /^Genesys Cloud analytics job \S+ ended FAILED: the analytics service is busy; run the node again$/,
      );
    } finally {
      Reflect.deleteProperty(jobs, 'set');
    }
  });

  it('refuses an interval whose start is not before its end', async () => {
    const failure = runNode(
      node,
      fake({
        resource: 'conversation',
        operation: 'listByInterval',
        start: interval.end,
        end: interval.start,
        returnAll: true,
      }).execute,
    );
    await expect(failure).rejects.toThrow(
      /an analytics interval must be "<ISO start>\/<ISO end>" with the start first/,
    );
  });
});

describe('Genesys Cloud node: external contact → Get', () => {
  it('outputs the contact as a customer (custom fields without their type suffix) and the contact itself', async () => {
    const seedContact = emu().seed.genesys.externalContacts[0]!;
    const [item] = await runNode(
      node,
      fake({ resource: 'externalContact', operation: 'get', contactId: seedContact.id }).execute,
    );
    expect(item!.json.source).toMatchObject({ kind: 'external-contact', id: seedContact.id });
    expect(item!.json.identity).toMatchObject({
      externalContactId: seedContact.id,
      phone: seedContact.cellPhone.e164,
      email: seedContact.personalEmail,
    });
    expect(item!.json.attributes).toMatchObject({
      firstname: seedContact.firstName,
      loyalty_tier: seedContact.customFields.loyalty_tier_text,
      visits: seedContact.customFields.visits_integer,
      opted_in: seedContact.customFields.opted_in_checkbox,
    });
    expect(item!.json.contact).toMatchObject({ id: seedContact.id, lastName: seedContact.lastName });
  });
});
