import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../errors/errors.js';
import { GENESYS_REGION_DOMAINS, genesysUrls } from './regions.js';

describe('genesysUrls', () => {
  it('maps each official region domain to its API and login hosts', () => {
    expect(GENESYS_REGION_DOMAINS).toHaveLength(18);
    for (const domain of GENESYS_REGION_DOMAINS) {
      expect(genesysUrls(domain)).toEqual({
        apiUrl: `https://api.${domain}`,
        loginUrl: `https://login.${domain}`,
      });
    }
    expect(genesysUrls('mypurecloud.ie').apiUrl).toBe('https://api.mypurecloud.ie');
    expect(genesysUrls('use2.us-gov-pure.cloud').loginUrl).toBe('https://login.use2.us-gov-pure.cloud');
    // The EU Sovereign Cloud has a domain of its own.
    expect(genesysUrls('edee1.eusc-pure.cloud')).toEqual({
      apiUrl: 'https://api.edee1.eusc-pure.cloud',
      loginUrl: 'https://login.edee1.eusc-pure.cloud',
    });
  });

  it('accepts a domain written with capitals or spaces around it', () => {
    expect(genesysUrls(' MyPureCloud.DE ').apiUrl).toBe('https://api.mypurecloud.de');
  });

  it('refuses lookalikes and anything off the list, listing the valid domains', () => {
    for (const bad of [
      'mypurecloud.com.evil.io',
      'evil.pure.cloud',
      'api.mypurecloud.com',
      'https://api.mypurecloud.com',
      'mypurecloud.co',
      'eusc-pure.cloud',
      'edee1.pure.cloud',
      '',
    ]) {
      let error: unknown;
      try {
        genesysUrls(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(ConfigurationError);
      const message = (error as Error).message;
      expect(message).toContain('mypurecloud.ie');
      expect(message).toContain('apse1.pure.cloud');
      expect(message).toContain('GENESYS_API_URL');
    }
  });
});
