import { type Emulators, emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncServices, type SyncServices } from '../../compose.js';
import { loadConfig } from '../../config.js';
import {
  AuthenticationError,
  NotFoundError,
  RateLimitedError,
  type SyncError,
  TransientError,
  ValidationError,
} from '../../errors/errors.js';
import { backfill } from '../../sync/backfill.js';
import { customersOfConversations } from '../../sync/group.js';
import { exchange } from '../../test-helpers.js';
import { customerFromAnalyticsConversation, customerFromConversation } from './customer.js';
import { genesys } from './descriptor.js';
import {
  buildGetConversationRequest,
  buildJobResultsRequest,
  buildJobStatusRequest,
  buildSubmitConversationJobRequest,
  buildTokenRequest,
  buildTokensMeRequest,
  readConversation,
  readJobResults,
  readJobStatus,
  readJobSubmitted,
  readTokenResponse,
  readTokensMe,
} from './requests.js';
import type { GenesysAnalyticsConversation, GenesysApiTarget } from './types.js';

/**
 * What Genesys Cloud really sends, over HTTP against the emulator: the TokenInfo of
 * `GET /api/v2/tokens/me`, the platform's error codes, and participants of every purpose.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WITHOUT_CUSTOMER = 2;

let emu: Emulators;
let services: SyncServices;

async function login(e: Emulators): Promise<GenesysApiTarget> {
  const { loginUrl, apiUrl, clientId, clientSecret } = e.urls.genesys;
  const token = await exchange(buildTokenRequest({ loginUrl, clientId, clientSecret }), readTokenResponse);
  return { apiUrl, accessToken: token.accessToken };
}

beforeAll(async () => {
  emu = await startEmulators({
    customers: 12,
    conversationsWithoutCustomer: WITHOUT_CUSTOMER,
    genesys: { jobDelayMs: 30 },
  });
});
beforeEach(() => {
  emu.reset();
  services = createSyncServices(loadConfig(emulatorEnv(emu.urls)));
});
afterAll(async () => {
  services?.close();
  await emu?.stop();
});

describe('GET /api/v2/tokens/me', () => {
  it('reads the TokenInfo: organization, home organization, OAuth client, scopes, idle date', async () => {
    const info = await exchange(buildTokensMeRequest(await login(emu)), readTokensMe);
    const { organization, clientId, clientName } = emu.seed.genesys;
    expect(info).toMatchObject({
      organizationId: organization.id,
      organizationName: organization.name,
      homeOrganizationId: organization.id,
      clientId,
      clientName,
      clientOrganizationName: organization.name,
    });
    expect(info.authorizedScope.length).toBeGreaterThan(0);
    expect(info.clonedUser).toBeUndefined();
    expect(Date.parse(info.dateTokenIdles!)).toBeGreaterThan(Date.now());
  });

  it('check names the OAuth client, the organization and when the token idles', async () => {
    const [login] = genesys.checks(services.genesys);
    const message = await login!.run();
    const { organization, clientName } = emu.seed.genesys;
    expect(message).toMatch(
      new RegExp(
        `^token for OAuth client "${clientName}" of organization "${organization.name}", idles at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; conversations readable$`,
      ),
    );
  });
});

describe('Genesys Cloud error codes, classified by status', () => {
  const cases: [number, number | undefined, string, new (...a: never[]) => SyncError][] = [
    [401, undefined, 'bad.credentials', AuthenticationError],
    [408, undefined, 'client.timeout', TransientError],
    [413, undefined, 'request.entity.too.large', ValidationError],
    [429, 2, 'too.many.requests.retry.after', RateLimitedError],
    [429, undefined, 'too.many.requests', RateLimitedError],
    [503, undefined, 'service.unavailable', TransientError],
    [504, undefined, 'request.timeout', TransientError],
  ];
  it.each(cases)(
    'an injected %i (Retry-After %s) is %s, kept with the correlation id',
    async (status, retryAfter, code, kind) => {
      const target = await login(emu);
      emu.genesys.faults.add({
        path: '/api/v2/conversations/*',
        count: 1,
        fault: { kind: 'status', status, ...(retryAfter !== undefined ? { retryAfter } : {}) },
      });
      const request = buildGetConversationRequest({
        ...target,
        conversationId: emu.seed.genesys.conversations[0]!.id,
      });
      const error = (await exchange(request, readConversation).catch((e: unknown) => e)) as SyncError;
      expect(error).toBeInstanceOf(kind);
      expect(error.status).toBe(status);
      expect(error.code).toBe(code);
      expect(error.message).toContain(code);
      expect(error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(error.message).toContain(error.correlationId);
      expect(error.message).not.toContain(target.accessToken);
      if (retryAfter !== undefined) expect((error as RateLimitedError).retryAfterMs).toBe(retryAfter * 1000);
    },
  );

  it('an expired token (credentials.expired) is replaced and the call made again', async () => {
    await services.genesys.tokenInfo();
    for (const t of emu.genesys.state.tokens.values()) t.expiresAt = Date.now() - 1;
    const me = await services.genesys.tokenInfo();
    expect(me.clientId).toBe(emu.seed.genesys.clientId);
    const log = emu.genesys.log.list();
    expect(log.filter((r) => r.path === '/oauth/token')).toHaveLength(2);
    expect(log.filter((r) => r.status === 401)).toHaveLength(1);
  });

  it('names the limit a real 429 ran into', async () => {
    const limited = await startEmulators({ customers: 2, genesys: { requestsPerMinutePerToken: 2 } });
    try {
      const target = await login(limited);
      const request = buildTokensMeRequest(target);
      await exchange(request, readTokensMe);
      await exchange(request, readTokensMe);
      const error = (await exchange(request, readTokensMe).catch((e: unknown) => e)) as RateLimitedError;
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error.code).toBe('too.many.requests.retry.after');
      expect(error.message).toContain(
        'HTTP 429 too.many.requests.retry.after; limit platform.api client.credentials.token.rate.per.minute = 2',
      );
      expect(error.retryAfterMs).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});

describe('participants of every purpose', () => {
  const seededWith = (purpose: string) =>
    emu.seed.genesys.conversations.filter(
      (c) => c.customerIndex >= 0 && c.participants.some((p) => p.purpose === purpose),
    );
  const withoutCustomer = () => emu.seed.genesys.conversations.filter((c) => c.customerIndex === -1);

  it('finds the customer beside workflow, voicemail, external, user, dialer and api participants', async () => {
    const target = await login(emu);
    for (const purpose of ['workflow', 'voicemail', 'external', 'user', 'dialer', 'api']) {
      const seeded = seededWith(purpose);
      expect(seeded.length, purpose).toBeGreaterThan(0);
      const c = seeded[0]!;
      const conversation = await exchange(
        buildGetConversationRequest({ ...target, conversationId: c.id }),
        readConversation,
      );
      expect(conversation.participants.map((p) => p.purpose)).toContain(purpose);
      const customer = customerFromConversation(conversation);
      const seededCustomer = c.participants.find((p) => p.purpose === 'customer')!;
      expect(customer.source.participantId, purpose).toBe(seededCustomer.id);
      expect({ ...customer.attributes }).toEqual({ ...seededCustomer.attributes });
      expect(customer.attributes.loyalty_tier).not.toMatch(/-guess$/);
    }
  });

  it('reports a conversation with only an agent and an external party as holding no customer', async () => {
    const [c] = withoutCustomer();
    const error = await services.genesys.customerFromConversation(c!.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain(
      `conversation ${c!.id} has no participant with purpose "customer" (it has: agent, external)`,
    );
    expect((error as Error).message).toContain('not read as the customer');
  });

  it('reads the same from an analytics job: customers found, the customer-less conversations set apart', async () => {
    const target = await login(emu);
    const { jobId } = await exchange(
      buildSubmitConversationJobRequest({
        ...target,
        interval: '2026-01-01T00:00:00Z/2027-01-01T00:00:00Z',
      }),
      readJobSubmitted,
    );
    while ((await exchange(buildJobStatusRequest({ ...target, jobId }), readJobStatus)).state !== 'FULFILLED')
      await sleep(10);
    const rows: GenesysAnalyticsConversation[] = (
      await exchange(buildJobResultsRequest({ ...target, jobId }), readJobResults)
    ).conversations;
    expect(rows).toHaveLength(emu.seed.genesys.conversations.length);
    for (const purpose of ['workflow', 'voicemail', 'external', 'dialer']) {
      const row = rows.find((r) => r.conversationId === seededWith(purpose)[0]!.id)!;
      const seededCustomer = seededWith(purpose)[0]!.participants.find((p) => p.purpose === 'customer')!;
      expect(customerFromAnalyticsConversation(row).source.participantId).toBe(seededCustomer.id);
    }
    const page = customersOfConversations(rows);
    expect(page.withoutCustomer.map((w) => w.conversationId).sort()).toEqual(
      withoutCustomer()
        .map((c) => c.id)
        .sort(),
    );
    expect(page.customers).toHaveLength(emu.seed.customers.length);
  });

  it('counts them as withoutCustomer in a back-fill', async () => {
    const { conversationsEnd, days } = emu.seed.options;
    const end = Date.parse(conversationsEnd);
    const progress = await backfill(services, {
      interval: { start: new Date(end - days * 86_400_000), end: new Date(end) },
      dryRun: true,
    });
    expect(progress.withoutCustomer).toBe(WITHOUT_CUSTOMER);
    expect(progress.conversations).toBe(emu.seed.genesys.conversations.length);
    expect(progress.customers).toBe(emu.seed.customers.length);
  });
});
