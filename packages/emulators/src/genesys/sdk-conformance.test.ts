// biome-ignore-all lint/suspicious/noExplicitAny: the SDK is loaded untyped (see below)
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { useEmulators } from '../test-helpers.js';

/**
 * The official Genesys Cloud SDK against the emulator: if the SDK can log in, read and write through
 * it, the emulator speaks the real contract (paths, auth, bodies, error shape).
 *
 * The SDK's Node build is CommonJS (`module.exports = new platformClient()`), so it is loaded with
 * `createRequire`. Its typings are one very large declaration file that would slow every type-check
 * of this package; the few calls used here are typed by hand instead.
 */
const platformClient = createRequire(import.meta.url)('purecloud-platform-client-v2') as any;

const emu = useEmulators();

describe('purecloud-platform-client-v2 against the emulator', () => {
  let client: any;

  beforeAll(() => {
    client = platformClient.ApiClient.instance;
    const url = new URL(emu().urls.genesys.apiUrl);
    // setGateway (ApiClient.js → Configuration.getConfUrl) builds `${protocol}://${host}:${port}` plus
    // path_params_login / path_params_api, for both the login and the API base; empty path params
    // leave the paths as the SDK writes them (/oauth/token, /api/v2/…).
    client.setGateway({
      host: url.hostname,
      protocol: 'http',
      port: Number(url.port),
      path_params_login: '',
      path_params_api: '',
    });
    // Extended responses: errors carry status, headers and body instead of the body alone.
    client.setReturnExtendedResponses(true);
  });

  async function login() {
    const { clientId, clientSecret } = emu().urls.genesys;
    return client.loginClientCredentialsGrant(clientId, clientSecret);
  }

  it('logs in with the client-credentials grant', async () => {
    const auth = await login();
    expect(typeof auth.accessToken).toBe('string');
    expect(auth.tokenExpiryTime).toBeGreaterThan(Date.now());
    // The SDK sent the id and secret in a Basic header, as the real login service expects.
    const logged = emu()
      .genesys.log.list()
      .find((r) => r.path === '/oauth/token');
    expect(logged?.headers.authorization).toBe('Basic ***');
  });

  it('refuses wrong credentials the way the SDK reports them', async () => {
    const { clientId } = emu().urls.genesys;
    const error: any = await client.loginClientCredentialsGrant(clientId, 'wrong').catch((e: unknown) => e);
    // The login rejects with the HTTP client's own error (extended responses apply to API calls only).
    expect(error.response.status).toBe(401);
    expect(error.response.data.error).toBe('invalid_client');
  });

  it('reads a conversation with ConversationsApi.getConversation', async () => {
    await login();
    const seeded = emu().seed.genesys.conversations[0]!;
    const res = await new platformClient.ConversationsApi().getConversation(seeded.id);
    expect(res.status).toBe(200);
    const customer = res.body.participants.find((p: any) => p.purpose === 'customer');
    expect(customer.id).toBe(seeded.participants[0]!.id);
    expect(customer.attributes.loyalty_tier).toBe(seeded.participants[0]!.attributes.loyalty_tier);
  });

  it('reads an external contact with ExternalContactsApi.getExternalcontactsContact', async () => {
    await login();
    const seeded = emu().seed.genesys.externalContacts[0]!;
    const res = await new platformClient.ExternalContactsApi().getExternalcontactsContact(seeded.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: seeded.id,
      firstName: seeded.firstName,
      cellPhone: { e164: seeded.cellPhone.e164 },
      customFields: seeded.customFields,
    });
  });

  it('patches participant attributes with patchConversationParticipantAttributes', async () => {
    await login();
    const seeded = emu().seed.genesys.conversations[0]!;
    const participant = seeded.participants[0]!;
    const api = new platformClient.ConversationsApi();
    const res = await api.patchConversationParticipantAttributes(seeded.id, participant.id, {
      attributes: { loyalty_tier: 'platinum', from_sdk: 'yes' },
    });
    expect(res.status).toBe(202);
    const live = emu().state.genesys.conversations.get(seeded.id)!.participants[0]!.attributes;
    expect(live.loyalty_tier).toBe('platinum');
    expect(live.from_sdk).toBe('yes');
    expect(live.account_number).toBe(participant.attributes.account_number);
  });

  it('creates a notification channel and manages its subscriptions with NotificationsApi', async () => {
    await login();
    const api = new platformClient.NotificationsApi();
    const channel = (await api.postNotificationsChannels()).body;
    expect(channel.connectUri).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/channels\/streaming-0-/);
    const c = emu().seed.genesys.conversations[0]!;
    const a = `v2.detail.events.conversation.${c.id}.attributes`;
    const b = `v2.detail.events.conversation.${c.id}.customer.end`;
    expect((await api.putNotificationsChannelSubscriptions(channel.id, [{ id: a }])).body.entities).toEqual([
      { id: a },
    ]);
    await api.postNotificationsChannelSubscriptions(channel.id, [{ id: b }]);
    expect((await api.getNotificationsChannelSubscriptions(channel.id)).body.entities).toEqual([
      { id: a },
      { id: b },
    ]);
    expect((await api.headNotificationsChannel(channel.id)).status).toBe(200);
    expect((await api.getNotificationsChannels()).body.entities.map((x: any) => x.id)).toEqual([channel.id]);
    await api.deleteNotificationsChannelSubscriptions(channel.id);
    expect((await api.getNotificationsChannelSubscriptions(channel.id)).body.entities).toEqual([]);
  });

  it('sees an injected 429 exactly as the real service sends it', async () => {
    await login();
    emu().genesys.faults.add({
      path: '/api/v2/conversations/*',
      count: 1,
      fault: { kind: 'status', status: 429, retryAfter: 3 },
    });
    const seeded = emu().seed.genesys.conversations[0]!;
    const error: any = await new platformClient.ConversationsApi()
      .getConversation(seeded.id)
      .catch((e: unknown) => e);
    expect(error.status).toBe(429);
    expect(error.headers['retry-after']).toBe('3');
    expect(error.headers['inin-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.body).toMatchObject({
      status: 429,
      code: 'too.many.requests.retry.after',
      message: 'Rate limit exceeded the maximum. Retry the request in [3] seconds',
    });
    // The SDK does not retry a 429 by itself; the next call goes through.
    expect((await new platformClient.ConversationsApi().getConversation(seeded.id)).status).toBe(200);
  });

  it('reports a missing contact with the ErrorBody', async () => {
    await login();
    const error: any = await new platformClient.ExternalContactsApi()
      .getExternalcontactsContact('00000000-0000-4000-8000-000000000000')
      .catch((e: unknown) => e);
    expect(error.status).toBe(404);
    expect(error.body.code).toBe('entity.not.found');
  });
});
