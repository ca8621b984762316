import { ConfigurationError, GENESYS_REGIONS, KNOWN_CXONE_ISSUERS } from '@cx-profile-sync/core/pure';
import type { IHttpRequestOptions, INodePropertyOptions } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { CognigyAiApi } from '../../credentials/CognigyAiApi.credentials';
import { GenesysCloudApi } from '../../credentials/GenesysCloudApi.credentials';
import { NiceCxoneApi } from '../../credentials/NiceCxoneApi.credentials';
import { useEmulators } from './emulators';
import { emulatorCredentials, fakeN8n, httpRequest } from './fake-n8n';

const emu = useEmulators();
const helpers = { helpers: { httpRequest } };

/** Runs a credential's test request the way n8n does: with the credential, a 2xx passes. */
async function credentialTest(type: string, request: IHttpRequestOptions, data = emulatorCredentials(emu())) {
  const fake = fakeN8n({ credentials: data });
  return fake.execute.helpers.httpRequestWithAuthentication.call(fake.execute, type, {
    ...request,
    json: true,
  });
}

describe('Genesys Cloud credential', () => {
  const credential = new GenesysCloudApi();

  it('lists every region of the core, then custom URLs; the token is a hidden expirable field', () => {
    const region = credential.properties.find((p) => p.name === 'region')!;
    const values = (region.options as INodePropertyOptions[]).map((o) => o.value);
    expect(values).toEqual([...GENESYS_REGIONS.map((r) => r.domain), 'custom']);
    expect(credential.properties.find((p) => p.name === 'accessToken')).toMatchObject({
      type: 'hidden',
      typeOptions: { expirable: true, password: true },
    });
  });

  it('fetches a token with client credentials in preAuthentication; the test request passes with it', async () => {
    const data = emulatorCredentials(emu()).genesysCloudApi!;
    const { accessToken } = await credential.preAuthentication.call(helpers, data);
    expect(accessToken).toEqual(expect.any(String));
    expect(emu().state.genesys.tokens.has(accessToken)).toBe(true);
    const me = await credentialTest('genesysCloudApi', credential.test.request as IHttpRequestOptions);
    expect(me).toMatchObject({ OAuthClient: { id: emu().credentials.genesys.clientId } });
  });

  it("reports a wrong secret with the core's message and never the secret", async () => {
    const data = { ...emulatorCredentials(emu()).genesysCloudApi!, clientSecret: 'wrong-secret-value' };
    const failure = credential.preAuthentication.call(helpers, data);
    await expect(failure).rejects.toThrow(
      /^Genesys Cloud login refused the credentials \(HTTP 401 invalid_client\)/,
    );
    await expect(failure).rejects.not.toThrow(/wrong-secret-value/);
  });

  it('refuses a plain http login URL that is not loopback, before sending anything', async () => {
    const before = emu().genesys.log.list().length;
    const data = { ...emulatorCredentials(emu()).genesysCloudApi!, loginUrl: 'http://login.example.com' };
    await expect(credential.preAuthentication.call(helpers, data)).rejects.toThrow(ConfigurationError);
    expect(emu().genesys.log.list().length).toBe(before);
  });
});

describe('NICE CXone credential', () => {
  const credential = new NiceCxoneApi();

  it('lists the known issuers, then a custom one', () => {
    const issuer = credential.properties.find((p) => p.name === 'issuer')!;
    expect((issuer.options as INodePropertyOptions[]).map((o) => o.value)).toEqual([
      ...KNOWN_CXONE_ISSUERS.map((i) => i.issuer),
      'custom',
    ]);
  });

  it('logs in (discovery, password grant, tenant from the verified id_token, host discovery) and the test request passes', async () => {
    const data = emulatorCredentials(emu()).niceCxoneApi!;
    const out = await credential.preAuthentication.call(helpers, data);
    expect(out).toMatchObject({
      accessToken: expect.any(String),
      discoveredApiUrl: emu().credentials.cxone.apiUrl,
      discoveredDfoUrl: emu().credentials.cxone.dfoUrl,
      tenantId: emu().seed.cxone.tenantId,
    });
    const definitions = await credentialTest('niceCxoneApi', credential.test.request as IHttpRequestOptions);
    expect(definitions).toHaveLength(emu().seed.cxone.definitions.length);
  });

  it('skips host discovery when both hosts are overridden', async () => {
    const url = emu().credentials.cxone.apiUrl;
    const data = { ...emulatorCredentials(emu()).niceCxoneApi!, apiUrl: url, dfoUrl: url };
    const out = await credential.preAuthentication.call(helpers, data);
    expect(out.discoveredDfoUrl).toBe(url);
    expect(
      emu()
        .cxone.log.list()
        .some((r) => r.path.includes('cxone-configuration')),
    ).toBe(false);
  });

  it('refuses a plain http host override that is not loopback, before sending anything', async () => {
    const before = emu().cxone.log.list().length;
    const data = { ...emulatorCredentials(emu()).niceCxoneApi!, dfoUrl: 'http://dfo.example.com' };
    const failure = credential.preAuthentication.call(helpers, data);
    await expect(failure).rejects.toThrow(ConfigurationError);
    await expect(failure).rejects.toThrow(/"DFO Host" must be an https URL/);
    expect(emu().cxone.log.list().length).toBe(before);
  });

  it('reports a wrong access key secret as a refused login', async () => {
    const data = { ...emulatorCredentials(emu()).niceCxoneApi!, accessKeySecret: 'nope' };
    await expect(credential.preAuthentication.call(helpers, data)).rejects.toThrow(
      /^NICE CXone login \(token request\) refused the credentials/,
    );
  });
});

describe('Cognigy.AI credential', () => {
  const credential = new CognigyAiApi();

  it('sends the API key in a header to the API URL; the test request passes', async () => {
    const out = await credential.authenticate(
      { apiUrl: 'https://api-app.cognigy.ai', apiKey: 'k1' },
      { url: '/x' },
    );
    expect(out).toMatchObject({ baseURL: 'https://api-app.cognigy.ai', headers: { 'X-API-Key': 'k1' } });
    const list = await credentialTest('cognigyAiApi', credential.test.request as IHttpRequestOptions);
    expect(list).toMatchObject({ items: expect.any(Array) });
  });

  it('fails the test request with a wrong key', async () => {
    const data = emulatorCredentials(emu());
    data.cognigyAiApi!.apiKey = 'wrong';
    await expect(
      credentialTest('cognigyAiApi', credential.test.request as IHttpRequestOptions, data),
    ).rejects.toMatchObject({ httpCode: '401' });
  });
});
