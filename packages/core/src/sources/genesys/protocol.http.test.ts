import { type Emulators, latestAttributes, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, RateLimitedError } from '../../errors/errors.js';
import { exchange } from '../../test-helpers.js';
import {
  customerFromAnalyticsConversation,
  customerFromConversation,
  customerFromExternalContact,
} from './customer.js';
import {
  buildDataAvailabilityRequest,
  buildGetConversationRequest,
  buildGetExternalContactRequest,
  buildJobResultsRequest,
  buildJobStatusRequest,
  buildPatchParticipantAttributesRequest,
  buildSubmitConversationJobRequest,
  buildTokenRequest,
  readConversation,
  readDataAvailability,
  readExternalContact,
  readJobResults,
  readJobStatus,
  readJobSubmitted,
  readParticipantAttributesPatched,
  readTokenResponse,
} from './requests.js';
import type { GenesysAnalyticsConversation, GenesysApiTarget } from './types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Genesys protocol against the emulator over HTTP', () => {
  let emu: Emulators;
  let target: GenesysApiTarget;

  beforeAll(async () => {
    emu = await startEmulators({ customers: 30, conversationsPerCustomer: 2, genesys: { jobDelayMs: 50 } });
    const { loginUrl, apiUrl, clientId, clientSecret } = emu.urls.genesys;
    const token = await exchange(buildTokenRequest({ loginUrl, clientId, clientSecret }), readTokenResponse);
    expect(token.expiresInSeconds).toBe(86_400);
    target = { apiUrl, accessToken: token.accessToken };
  });

  afterAll(async () => {
    await emu?.stop();
  });

  it('logs in, reads a conversation and turns it into the customer', async () => {
    const seeded = emu.seed.genesys.conversations[0]!;
    const conversation = await exchange(
      buildGetConversationRequest({ ...target, conversationId: seeded.id }),
      readConversation,
    );
    const customer = customerFromConversation(conversation);
    const seededCustomer = seeded.participants.find((p) => p.purpose === 'customer')!;
    expect(customer.source).toMatchObject({
      kind: 'conversation',
      id: seeded.id,
      participantId: seededCustomer.id,
    });
    expect({ ...customer.attributes }).toEqual({ ...seededCustomer.attributes });
    expect(Object.getOwnPropertyDescriptor(customer.attributes, '__proto__')?.value).toMatch(/^proto-\d+$/);
    expect(customer.attributes.loyalty_tier).not.toBe('ivr-guess');
    const person = emu.seed.customers[seeded.customerIndex]!;
    if (seededCustomer.mediaType === 'voice') expect(customer.identity.phone).toBe(person.phone);
    else expect(customer.identity.email).toBe(person.email);
  });

  it('writes participant attributes and reads them back, "__proto__" included', async () => {
    const seeded = emu.seed.genesys.conversations[1]!;
    const participantId = seeded.participants[0]!.id;
    const attributes: Record<string, string> = JSON.parse(
      '{"loyalty_tier":"platinum","__proto__":"written"}',
    );
    await exchange(
      buildPatchParticipantAttributesRequest({
        ...target,
        conversationId: seeded.id,
        participantId,
        attributes,
      }),
      readParticipantAttributesPatched,
    );
    const after = customerFromConversation(
      await exchange(buildGetConversationRequest({ ...target, conversationId: seeded.id }), readConversation),
    );
    expect(after.attributes.loyalty_tier).toBe('platinum');
    expect(Object.getOwnPropertyDescriptor(after.attributes, '__proto__')?.value).toBe('written');
  });

  it('reads an external contact as a customer', async () => {
    const seeded = emu.seed.genesys.externalContacts[2]!;
    const contact = await exchange(
      buildGetExternalContactRequest({ ...target, contactId: seeded.id }),
      readExternalContact,
    );
    const customer = customerFromExternalContact(contact);
    expect(customer.identity).toMatchObject({ phone: seeded.cellPhone.e164, email: seeded.personalEmail });
    expect(customer.attributes.loyalty_tier).toBe(seeded.customFields.loyalty_tier_text);
    expect(customer.attributes.visits).toBe(seeded.customFields.visits_integer);
  });

  it('reports a missing conversation and an injected 429 as the taxonomy says', async () => {
    const missing = buildGetConversationRequest({ ...target, conversationId: 'no-such-conversation' });
    await expect(exchange(missing, readConversation)).rejects.toBeInstanceOf(NotFoundError);
    emu.genesys.faults.add({
      path: '/api/v2/conversations/*',
      count: 1,
      fault: { kind: 'status', status: 429, retryAfter: 4 },
    });
    const request = buildGetConversationRequest({
      ...target,
      conversationId: emu.seed.genesys.conversations[0]!.id,
    });
    const error = await exchange(request, readConversation).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(4000);
    expect((error as Error).message).not.toContain(target.accessToken);
  });

  it('runs an analytics job through to its last page', async () => {
    // Back to the seed (earlier tests wrote attributes), with a fresh token.
    emu.reset();
    const { loginUrl, clientId, clientSecret } = emu.urls.genesys;
    const token = await exchange(buildTokenRequest({ loginUrl, clientId, clientSecret }), readTokenResponse);
    target = { ...target, accessToken: token.accessToken };
    // The seed's watermark leaves its two most recent conversations out; this test reads them all.
    expect(await exchange(buildDataAvailabilityRequest(target), readDataAvailability)).toEqual({
      dataAvailabilityDate: emu.seed.genesys.dataAvailabilityDate,
    });
    emu.state.genesys.setWatermark('2027-01-01T00:00:00Z');
    expect(await exchange(buildDataAvailabilityRequest(target), readDataAvailability)).toEqual({
      dataAvailabilityDate: '2027-01-01T00:00:00.000Z',
    });

    const { jobId } = await exchange(
      buildSubmitConversationJobRequest({
        ...target,
        interval: '2026-01-01T00:00:00Z/2027-01-01T00:00:00Z',
        order: 'asc',
      }),
      readJobSubmitted,
    );
    const states: string[] = [];
    for (;;) {
      const status = await exchange(buildJobStatusRequest({ ...target, jobId }), readJobStatus);
      if (states.at(-1) !== status.state) states.push(status.state);
      if (status.state === 'FULFILLED') break;
      expect(['QUEUED', 'PENDING']).toContain(status.state);
      await sleep(20);
    }
    expect(states.at(-1)).toBe('FULFILLED');

    // Small pages, so that the cursor is followed several times.
    const rows: GenesysAnalyticsConversation[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await exchange(
        buildJobResultsRequest({ ...target, jobId, pageSize: 25, ...(cursor ? { cursor } : {}) }),
        readJobResults,
      );
      rows.push(...page.conversations);
      expect(page.dataAvailabilityDate).toBe('2027-01-01T00:00:00.000Z');
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(rows.map((r) => r.conversationId)).toEqual(emu.seed.genesys.conversations.map((c) => c.id));

    // Merged oldest first, each customer's later conversation wins: the seed's latest attributes.
    const merged = new Map<string, Record<string, unknown>>();
    for (const row of rows) {
      const customer = customerFromAnalyticsConversation(row);
      const key =
        customer.identity.externalContactId ?? customer.identity.phone ?? customer.identity.email ?? '';
      merged.set(key, { ...merged.get(key), ...customer.attributes });
    }
    expect(merged.size).toBe(emu.seed.customers.length);
    for (const person of emu.seed.customers) {
      const linked = emu.seed.genesys.conversations.find((c) => c.customerIndex === person.index)!
        .participants[0]!;
      const key = linked.externalContactId ?? (linked.mediaType === 'voice' ? person.phone : person.email);
      expect(merged.get(key), `customer ${person.index}`).toEqual({
        ...latestAttributes(emu.seed, person.index),
      });
    }
  });
});
