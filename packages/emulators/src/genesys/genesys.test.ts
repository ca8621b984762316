import { describe, expect, it } from 'vitest';
import { basic, genesysToken, http, useEmulators } from '../test-helpers.js';

const emu = useEmulators();

describe('Genesys Cloud login', () => {
  it('issues a token for client credentials in a Basic header', async () => {
    const { loginUrl, clientId, clientSecret } = emu().urls.genesys;
    const res = await http('POST', `${loginUrl}/oauth/token`, {
      headers: { authorization: basic(clientId, clientSecret) },
      form: { grant_type: 'client_credentials' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 86400 });
    expect(typeof res.body.access_token).toBe('string');
  });

  it('refuses a wrong secret with invalid_client', async () => {
    const { loginUrl, clientId } = emu().urls.genesys;
    const res = await http('POST', `${loginUrl}/oauth/token`, {
      headers: { authorization: basic(clientId, 'wrong') },
      form: { grant_type: 'client_credentials' },
    });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('refuses the JWT-bearer grant the tutorial invented', async () => {
    const { loginUrl } = emu().urls.genesys;
    const res = await http('POST', `${loginUrl}/oauth/token`, {
      form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'x.y.z' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unsupported_grant_type');
  });

  it('answers an API call without a token with the ErrorBody and a correlation id', async () => {
    const res = await http('GET', `${emu().urls.genesys.apiUrl}/api/v2/tokens/me`);
    expect(res.status).toBe(401);
    const correlation = res.headers.get('inin-correlation-id');
    expect(correlation).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toMatchObject({ status: 401, code: 'authentication.required', contextId: correlation });
  });

  it('checks a token at /api/v2/tokens/me', async () => {
    const token = await genesysToken(emu());
    const res = await http('GET', `${emu().urls.genesys.apiUrl}/api/v2/tokens/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.body.OAuthClient.id).toBe(emu().urls.genesys.clientId);
  });

  it('answers /api/v2/tokens/me in the TokenInfo shape: organizations, OAuth client, scopes, idle date', async () => {
    const token = await genesysToken(emu());
    const res = await http('GET', `${emu().urls.genesys.apiUrl}/api/v2/tokens/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { organization, clientName, clientId } = emu().seed.genesys;
    expect(Object.keys(res.body).sort()).toEqual([
      'OAuthClient',
      'authorizedScope',
      'dateTokenIdles',
      'homeOrganization',
      'organization',
    ]);
    expect(res.body.organization).toEqual(organization);
    expect(res.body.homeOrganization).toEqual(organization);
    expect(res.body.OAuthClient).toMatchObject({ id: clientId, name: clientName, organization });
    expect(res.body.authorizedScope.every((s: unknown) => typeof s === 'string')).toBe(true);
    // A client-credentials token idles when it expires (86,400 s after the login).
    const idles = Date.parse(res.body.dateTokenIdles) - Date.now();
    expect(idles).toBeGreaterThan(86_300_000);
    expect(idles).toBeLessThanOrEqual(86_400_000);
    // No clone of a trustee user, and none of the fields the emulator used to invent.
    expect(res.body).not.toHaveProperty('clonedUser');
    expect(res.body).not.toHaveProperty('expiresAt');
    expect(res.body).not.toHaveProperty('name');
  });

  it('says why a token is refused: none, unknown, expired', async () => {
    const url = `${emu().urls.genesys.apiUrl}/api/v2/tokens/me`;
    const codeFor = async (headers: Record<string, string>) => {
      const res = await http('GET', url, { headers });
      expect(res.status).toBe(401);
      return res.body.code;
    };
    expect(await codeFor({})).toBe('authentication.required');
    expect(await codeFor({ authorization: 'Bearer never-issued' })).toBe('bad.credentials');
    const token = await genesysToken(emu());
    emu().genesys.state.tokens.get(token)!.expiresAt = Date.now() - 1;
    expect(await codeFor({ authorization: `Bearer ${token}` })).toBe('credentials.expired');
  });
});
