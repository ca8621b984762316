import { describe, expect, it } from 'vitest';
import { EnvReader } from '../../config.js';
import { readCxoneConfig } from './config.js';

const base = {
  CXONE_CLIENT_ID: 'app',
  CXONE_CLIENT_SECRET: 'app-secret',
  CXONE_ACCESS_KEY_ID: 'AK1',
  CXONE_ACCESS_KEY_SECRET: 'secret',
};

describe('readCxoneConfig: CXONE_SEARCH_QUERY', () => {
  it('is absent by default (the core uses identityIdOnExternalPlatform IN ("{value}"))', () => {
    const env = new EnvReader(base);
    expect(readCxoneConfig(env)).not.toHaveProperty('searchQuery');
    expect(env.problems).toEqual([]);
  });

  it('takes a template with {value}', () => {
    const env = new EnvReader({ ...base, CXONE_SEARCH_QUERY: 'identityIdOnExternalPlatform = "{value}"' });
    expect(readCxoneConfig(env)?.searchQuery).toBe('identityIdOnExternalPlatform = "{value}"');
  });

  it('reports a template without {value}', () => {
    const env = new EnvReader({ ...base, CXONE_SEARCH_QUERY: 'identityIdOnExternalPlatform IN ("x")' });
    readCxoneConfig(env);
    expect(env.problems).toEqual([expect.stringContaining('CXONE_SEARCH_QUERY must contain {value}')]);
  });
});
