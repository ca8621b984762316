import { ConfigurationError } from '@cx-profile-sync/core/pure';
import { describe, expect, it } from 'vitest';
import {
  authenticateTo,
  cognigyApiUrlOf,
  cxoneDfoUrlOf,
  cxoneIssuerOf,
  genesysHostsOf,
  secureBaseUrl,
} from '../../shared/hosts';

describe('secureBaseUrl', () => {
  it('takes https anywhere and plain http only on loopback, without trailing slashes', () => {
    expect(secureBaseUrl('genesys', 'API URL', ' https://api.example.com/// ')).toBe(
      'https://api.example.com',
    );
    expect(secureBaseUrl('genesys', 'API URL', 'http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(secureBaseUrl('genesys', 'API URL', 'http://localhost:1')).toBe('http://localhost:1');
  });

  it.each([
    ['http://api.example.com', /"API URL" must be an https URL/],
    ['not a url', /"API URL" is not a URL/],
    ['', /"API URL" is empty/],
    [undefined, /"API URL" is empty/],
  ])('refuses %j', (value, message) => {
    expect(() => secureBaseUrl('genesys', 'API URL', value)).toThrow(ConfigurationError);
    expect(() => secureBaseUrl('genesys', 'API URL', value)).toThrow(message);
  });
});

describe('the hosts of each credential', () => {
  it('Genesys Cloud: a region gives its api. and login. hosts; custom URLs are checked', () => {
    expect(genesysHostsOf({ region: 'mypurecloud.de' })).toEqual({
      apiUrl: 'https://api.mypurecloud.de',
      loginUrl: 'https://login.mypurecloud.de',
    });
    expect(
      genesysHostsOf({ region: 'custom', apiUrl: 'http://127.0.0.1:1/', loginUrl: 'http://127.0.0.1:2' }),
    ).toEqual({
      apiUrl: 'http://127.0.0.1:1',
      loginUrl: 'http://127.0.0.1:2',
    });
    expect(() =>
      genesysHostsOf({ region: 'custom', apiUrl: 'http://gateway.example', loginUrl: 'x' }),
    ).toThrow(/must be an https URL/);
    expect(() => genesysHostsOf({ region: 'mypurecloud.evil' })).toThrow(/not a Genesys Cloud region domain/);
  });

  it('NICE CXone: the issuer from the list or custom; the DFO host from the override, else the discovered one', () => {
    expect(cxoneIssuerOf({ issuer: 'https://cxone.niceincontact.com' })).toBe(
      'https://cxone.niceincontact.com',
    );
    expect(cxoneIssuerOf({ issuer: 'custom', customIssuer: 'http://127.0.0.1:9/' })).toBe(
      'http://127.0.0.1:9',
    );
    expect(cxoneDfoUrlOf({ dfoUrl: 'https://dfo.example', discoveredDfoUrl: 'https://other.example' })).toBe(
      'https://dfo.example',
    );
    expect(cxoneDfoUrlOf({ dfoUrl: '', discoveredDfoUrl: 'https://api-de-na1.niceincontact.com' })).toBe(
      'https://api-de-na1.niceincontact.com',
    );
    expect(() => cxoneDfoUrlOf({ dfoUrl: '', discoveredDfoUrl: '' })).toThrow(/not known yet/);
  });

  it('Cognigy.AI: the API URL, checked', () => {
    expect(cognigyApiUrlOf({ apiUrl: 'https://api-app.cognigy.ai/' })).toBe('https://api-app.cognigy.ai');
    expect(() => cognigyApiUrlOf({ apiUrl: 'http://api-app.cognigy.ai' })).toThrow(/https/);
  });
});

describe('authenticateTo', () => {
  it("puts a path-only request on the credential's host with the auth header", () => {
    const out = authenticateTo(
      'cognigy',
      'https://api.example',
      { url: '/new/v2.0/profiles', headers: { a: '1' } },
      {
        'X-API-Key': 'k',
      },
    );
    expect(out).toMatchObject({
      baseURL: 'https://api.example',
      url: '/new/v2.0/profiles',
      headers: { a: '1', 'X-API-Key': 'k' },
    });
  });

  it('allows an absolute URL on the same host and refuses any other host (the token goes nowhere else)', () => {
    expect(
      authenticateTo(
        'genesys',
        'https://api.example',
        { url: 'https://api.example/api/v2/x' },
        { Authorization: 'Bearer t' },
      ).headers,
    ).toEqual({ Authorization: 'Bearer t' });
    expect(() =>
      authenticateTo(
        'genesys',
        'https://api.example',
        { url: 'https://evil.example/steal' },
        { Authorization: 'Bearer t' },
      ),
    ).toThrow(/its token is sent only to https:\/\/api.example, not to https:\/\/evil.example/);
    expect(() =>
      authenticateTo('genesys', 'https://api.example', { baseURL: 'https://evil.example', url: '/x' }, {}),
    ).toThrow(ConfigurationError);
  });
});
