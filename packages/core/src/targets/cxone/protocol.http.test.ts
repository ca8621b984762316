import { type Emulators, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticationError, ValidationError } from '../../errors/errors.js';
import { exchange } from '../../test-helpers.js';
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
import { pickCustomerByIdentity } from './identity.js';
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
      buildSearchCustomersRequest({ ...target, query: seedCustomer.phone }),
      readCustomerSearch,
    );
    const phoneMatch = pickCustomerByIdentity(byPhone, { phone: seedCustomer.phone });
    expect(phoneMatch).toMatchObject({ kind: 'found', customer: { id: seedCustomer.cxoneCustomerId } });
    const email = seedCustomer.email.toUpperCase();
    const byEmail = await exchange(
      buildSearchCustomersRequest({ ...target, query: email }),
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
      buildSearchCustomersRequest({ ...target, query: unknown.phone }),
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
