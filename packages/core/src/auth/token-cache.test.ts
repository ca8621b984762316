import { describe, expect, it } from 'vitest';
import { MemoryTokenStore, TokenCache } from './token-cache.js';

describe('TokenCache', () => {
  it('reuses a token until shortly before it expires', async () => {
    let now = 0;
    let fetched = 0;
    const cache = new TokenCache(new MemoryTokenStore(), () => now);
    const fetch = async () => ({ accessToken: `t${++fetched}`, expiresInSeconds: 3600 });
    expect(await cache.get('k', fetch)).toBe('t1');
    now = 3600_000 - 61_000;
    expect(await cache.get('k', fetch)).toBe('t1');
    now = 3600_000 - 59_000;
    expect(await cache.get('k', fetch)).toBe('t2');
  });

  it('fetches once when many callers ask at the same time', async () => {
    let fetched = 0;
    const cache = new TokenCache();
    const fetch = async () => {
      fetched++;
      await new Promise((r) => setTimeout(r, 10));
      return { accessToken: 'shared', expiresInSeconds: 300 };
    };
    const tokens = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', fetch)));
    expect(new Set(tokens)).toEqual(new Set(['shared']));
    expect(fetched).toBe(1);
  });

  it('drops a refused token, but not a newer one another caller fetched', async () => {
    let n = 0;
    const cache = new TokenCache();
    const fetch = async () => ({ accessToken: `t${++n}`, expiresInSeconds: 300 });
    const first = await cache.get('k', fetch);
    await cache.invalidate('k', first);
    const second = await cache.get('k', fetch);
    expect(second).toBe('t2');
    await cache.invalidate('k', first);
    expect(await cache.get('k', fetch)).toBe('t2');
  });

  it('does not cache a failed fetch', async () => {
    const cache = new TokenCache();
    await expect(cache.get('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => ({ accessToken: 'ok', expiresInSeconds: 60 }))).toBe('ok');
  });
});
