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
});
