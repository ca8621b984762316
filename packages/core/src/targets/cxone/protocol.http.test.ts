import { type Emulators, emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { AuthenticationError, RateLimitedError, ValidationError } from '../../errors/errors.js';
import type { PlainSend } from '../../flow/send.js';
import type { RetryEvent } from '../../http/execute.js';
import { createRuntime } from '../../runtime.js';
import { attributeMap } from '../../sources/types.js';
import { exchange, fetchSend } from '../../test-helpers.js';
import {
  buildCxoneConfigurationRequest,
  buildCxoneTokenRequest,
  buildDiscoveryRequest,
  buildJwksRequest,
  readCxoneConfiguration,
  readCxoneTokenResponse,
  readDiscovery,
  readJwks,
  tenantFromIdToken,
} from './auth.js';
import { CxoneClient } from './client.js';
import type { CxoneConfig } from './config.js';
import { toCxoneCustomFields } from './convert.js';
import { cxone } from './descriptor.js';
import { cxoneLogin } from './flows.js';
import { cxoneSearchQuery, pickCustomerByIdentity } from './identity.js';
import {
  buildGetCustomerRequest,
  buildGetFieldDefinitionsRequest,
  buildPutCustomFieldsRequest,
  buildSearchCustomersRequest,
  readCustomer,
  readCustomerSearch,
  readFieldDefinitions,
  readPutCustomFields,
} from './requests.js';

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators({ customers: 20 });
});
beforeEach(() => emu.reset());
afterAll(async () => {
  await emu.stop();
});

/** Discovery → token → id_token → cxone-configuration: what a client does before any DFO call. */
async function login() {
  const { issuer, clientId, clientSecret, accessKeyId, accessKeySecret } = emu.urls.cxone;
  const discovery = await exchange(buildDiscoveryRequest(issuer), readDiscovery);
  const tokens = await exchange(
    buildCxoneTokenRequest({
      tokenEndpoint: discovery.tokenEndpoint,
      clientId,
      clientSecret,
      accessKeyId,
      accessKeySecret,
    }),
    readCxoneTokenResponse,
  );
  const jwks = await exchange(buildJwksRequest(discovery.jwksUri), readJwks);
  const tenant = await tenantFromIdToken(tokens.idToken, jwks, discovery.issuer, { audience: clientId });
  const hosts = await exchange(
    buildCxoneConfigurationRequest(discovery.issuer, tenant.tenantId),
    readCxoneConfiguration,
  );
  return {
    discovery,
    tokens,
    tenant,
    hosts,
    target: { dfoUrl: hosts.dfoUrl, accessToken: tokens.accessToken },
  };
}

describe('CXone protocol against the emulator', () => {
  it('logs in and discovers the tenant and its hosts', async () => {
    const { discovery, tokens, tenant, hosts } = await login();
    expect(discovery.issuer).toBe(emu.urls.cxone.issuer);
    expect(tokens.expiresInSeconds).toBe(3600);
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tenant).toEqual({
      tenantId: emu.seed.cxone.tenantId,
      businessUnitId: emu.seed.cxone.businessUnitId,
      userId: emu.seed.cxone.userId,
    });
    expect(hosts).toEqual({
      apiUrl: emu.urls.cxone.apiUrl,
      dfoUrl: emu.urls.cxone.dfoUrl,
      dfoSource: 'loopback',
      area: 'na1',
      domain: 'niceincontact.com',
    });
  });

  it('finds a customer by phone and by e-mail, writes custom fields and reads them back', async () => {
    const { target } = await login();
    const definitions = await exchange(buildGetFieldDefinitionsRequest(target), readFieldDefinitions);
    expect(definitions.find((d) => d.ident === 'loyalty_tier')?.values?.map((v) => v.value)).toContain(
      'platinum',
    );

    const seedCustomer = emu.seed.customers.find((c) => c.cxoneCustomerId)!;
    const byPhone = await exchange(
      buildSearchCustomersRequest({ ...target, query: cxoneSearchQuery(seedCustomer.phone) }),
      readCustomerSearch,
    );
    const phoneMatch = pickCustomerByIdentity(byPhone, { phone: seedCustomer.phone });
    expect(phoneMatch).toMatchObject({ kind: 'found', customer: { id: seedCustomer.cxoneCustomerId } });
    const email = seedCustomer.email.toUpperCase();
    const byEmail = await exchange(
      buildSearchCustomersRequest({ ...target, query: cxoneSearchQuery(email) }),
      readCustomerSearch,
    );
    const emailMatch = pickCustomerByIdentity(byEmail, { email });
    expect(emailMatch).toMatchObject({ kind: 'found', customer: { id: seedCustomer.cxoneCustomerId } });

    const customerId = seedCustomer.cxoneCustomerId!;
    const note = 'Line 1\nLine 2 — ünïcødé +/= "quoted" 🎉';
    await exchange(
      buildPutCustomFieldsRequest({
        ...target,
        customerId,
        fields: [
          { ident: 'loyalty_tier', value: 'platinum' },
          { ident: 'notes', value: note },
        ],
      }),
      readPutCustomFields,
    );
    const card = await exchange(buildGetCustomerRequest({ ...target, customerId }), readCustomer);
    const values = Object.fromEntries(card.customFields.map((f) => [f.ident, f.value]));
    expect(values).toMatchObject({ loyalty_tier: 'platinum', notes: note });
  });

  it('finds no customer for a phone CXone does not know', async () => {
    const { target } = await login();
    const unknown = emu.seed.customers.find((c) => !c.cxoneCustomerId)!;
    const search = await exchange(
      buildSearchCustomersRequest({ ...target, query: cxoneSearchQuery(unknown.phone) }),
      readCustomerSearch,
    );
    expect(search.hits).toBe(0);
    expect(pickCustomerByIdentity(search, { phone: unknown.phone })).toBeUndefined();
  });

  it('reads a refused PUT into ValidationError with every field, and nothing is written', async () => {
    const { target } = await login();
    const customerId = emu.seed.cxone.customers[0]!.id;
    const before = await exchange(buildGetCustomerRequest({ ...target, customerId }), readCustomer);
    const error = await exchange(
      buildPutCustomFieldsRequest({
        ...target,
        customerId,
        fields: [
          { ident: 'loyalty_tier', value: 'Diamond' },
          { ident: 'crm_id', value: 'CRM-new' },
          { ident: 'notes', value: 'fine' },
        ],
      }),
      readPutCustomFields,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    const v = error as ValidationError;
    expect(v.platform).toBe('cxone');
    expect(v.status).toBe(400);
    expect(v.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(v.fields.map((f) => f.field)).toEqual(['loyalty_tier', 'crm_id']);
    expect(v.message).toContain('loyalty_tier');
    expect(v.message).not.toContain(target.accessToken);
    expect(await exchange(buildGetCustomerRequest({ ...target, customerId }), readCustomer)).toEqual(before);
  });

  it('turns a wrong access key secret into AuthenticationError without the secret', async () => {
    const { issuer, clientId, clientSecret, accessKeyId } = emu.urls.cxone;
    const discovery = await exchange(buildDiscoveryRequest(issuer), readDiscovery);
    const wrongSecret = 'wrong-secret+/==';
    const error = await exchange(
      buildCxoneTokenRequest({
        tokenEndpoint: discovery.tokenEndpoint,
        clientId,
        clientSecret,
        accessKeyId,
        accessKeySecret: wrongSecret,
      }),
      readCxoneTokenResponse,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain('invalid_grant');
    expect((error as Error).message).not.toContain(wrongSecret);
    expect((error as Error).message).not.toContain(clientSecret);
  });
});

/** The emulator's CXone settings as the core reads them from the environment. */
function cxoneConfig(extra: Record<string, string> = {}): CxoneConfig {
  return loadConfig({ ...emulatorEnv(emu.urls), ...extra }).cxone!;
}

const runtimes: { close(): void }[] = [];
afterAll(() => {
  for (const r of runtimes) r.close();
});

/** A CxoneClient whose retries do not wait, recording each retry. */
function client(extra: Record<string, string> = {}) {
  const retries: RetryEvent[] = [];
  const runtime = createRuntime({
    clock: { now: () => Date.now(), sleep: async () => {} },
    onRetry: (e) => retries.push(e),
  });
  runtimes.push(runtime);
  return { client: new CxoneClient(cxoneConfig(extra), runtime), retries, runtime };
}

describe('CXone issue 10 over HTTP', () => {
  it('sends scope=openid; without it the emulator answers no id_token and the login fails clearly', async () => {
    const { issuer, clientId, clientSecret, accessKeyId, accessKeySecret } = emu.urls.cxone;
    const discovery = await exchange(buildDiscoveryRequest(issuer), readDiscovery);
    const request = buildCxoneTokenRequest({
      tokenEndpoint: discovery.tokenEndpoint,
      clientId,
      clientSecret,
      accessKeyId,
      accessKeySecret,
    });
    await exchange(request, readCxoneTokenResponse);
    const sent = emu.cxone.log.list().filter((r) => r.path === '/auth/token');
    expect(sent.at(-1)?.body).toMatchObject({ scope: 'openid' });

    const form = new URLSearchParams(request.body);
    form.delete('scope');
    const error = await exchange({ ...request, body: form.toString() }, readCxoneTokenResponse).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(
      /no id_token.*scope must include openid \(sent: scope=\(none\)\)/,
    );
    expect((error as Error).message).not.toContain(accessKeySecret);
  });

  it('finds customers with the expression query (default and configured), and a bad template is a 400', async () => {
    const seedCustomer = emu.seed.customers.find((c) => c.cxoneCustomerId)!;
    const identity = { phone: seedCustomer.phone, email: seedCustomer.email };
    const byDefault = await client().client.findCustomer(identity);
    expect(byDefault).toMatchObject({ kind: 'found', customer: { id: seedCustomer.cxoneCustomerId } });
    const searches = emu.cxone.log.list().filter((r) => r.path === '/dfo/3.0/customers');
    expect(searches.at(-1)!.query.query).toBe(`identityIdOnExternalPlatform IN ("${seedCustomer.phone}")`);
    const configured = client({ CXONE_SEARCH_QUERY: 'identityIdOnExternalPlatform = "{value}"' }).client;
    expect(await configured.findCustomer(identity)).toMatchObject({ kind: 'found' });
    const broken = client({ CXONE_SEARCH_QUERY: 'identityIdOnExternalPlatform IN ({value})' }).client;
    const error = await broken.findCustomer(identity).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBe(400);
  });

  it('writes a tree field, and skips only the attribute of a type it does not know', async () => {
    emu.cxone.state.definitions.push({
      ident: 'geo',
      label: 'Geo',
      type: 'geo-point' as 'text',
      isRequired: false,
      isEditable: true,
    });
    const { client: c } = client();
    const definitions = await c.fieldDefinitions();
    expect(definitions.find((d) => d.ident === 'home_region')?.values).toContainEqual({
      name: 'United Kingdom',
      value: 'europe-uk',
      parentId: 'europe',
    });
    const { fields, skipped } = toCxoneCustomFields(
      attributeMap([
        ['home_region', 'United Kingdom'],
        ['geo', '51.5,-0.1'],
        ['loyalty_tier', 'gold'],
      ]),
      definitions,
    );
    expect(skipped).toEqual([
      { key: 'geo', reason: 'custom field geo has type geo-point, which this sync does not write' },
    ]);
    const customerId = emu.seed.cxone.customers[0]!.id;
    await c.putCustomFields(customerId, fields);
    const card = await c.getCustomer(customerId);
    const values = Object.fromEntries(card!.customFields.map((f) => [f.ident, f.value]));
    expect(values).toMatchObject({ home_region: 'europe-uk', loyalty_tier: 'gold' });
  });

  it('obeys a 429 on a DFO route, with Retry-After and without', async () => {
    const { client: c, retries } = client();
    await c.fieldDefinitions();
    const customerId = emu.seed.cxone.customers[0]!.id;
    emu.cxone.faults.add({
      path: '/dfo/3.0/customers/',
      count: 1,
      fault: { kind: 'status', status: 429, retryAfter: 7 },
    });
    expect((await c.getCustomer(customerId))?.id).toBe(customerId);
    emu.cxone.faults.add({ path: '/dfo/3.0/customers/', count: 1, fault: { kind: 'status', status: 429 } });
    await c.putCustomFields(customerId, [{ ident: 'notes', value: 'after a 429' }]);
    expect(retries.map((r) => [r.request.method, r.error instanceof RateLimitedError, r.delayMs])).toEqual([
      ['GET', true, 7000],
      ['PUT', true, expect.any(Number)],
    ]);
    expect(retries[1]!.delayMs).toBeLessThanOrEqual(250);
    const refused = emu.cxone.log.list().filter((r) => r.status === 429);
    expect(refused.map((r) => r.method)).toEqual(['GET', 'PUT']);
  });

  it('check names the Digital host it chose and why, and calls the limits assumed', async () => {
    const steps = async (extra: Record<string, string> = {}) => {
      const specs = cxone.checks(client(extra).client);
      return Promise.all(specs.map(async (s) => `${s.step}: ${await s.run()}`));
    };
    const found = await steps();
    expect(found[0]).toContain(
      `Digital API at ${emu.urls.cxone.dfoUrl} (the API host on loopback (an emulator))`,
    );
    expect(found[1]).toMatch(
      /^client-side rate limits: 120,000 gets and 1,000,000 updates an hour.*assumed: NICE documents .* for Digital contacts, not for customer endpoints/,
    );
    const overridden = await steps({ CXONE_DFO_URL: emu.urls.cxone.dfoUrl });
    expect(overridden[0]).toContain('(override CXONE_DFO_URL)');
  });
});

describe('cxoneLogin over HTTP', () => {
  it('says how the Digital host was chosen', async () => {
    const send: PlainSend = async (request, read) => read(request, await fetchSend(request));
    const login = await cxoneLogin(send, cxoneConfig());
    expect(login.hosts).toEqual({
      apiUrl: emu.urls.cxone.apiUrl,
      dfoUrl: emu.urls.cxone.dfoUrl,
      dfoSource: 'loopback',
    });
  });
});
