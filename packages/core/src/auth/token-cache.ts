/** A token and when it stops being valid (epoch ms). */
export interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

/** Where tokens are kept: memory by default; a worker fleet may share one (Redis, a file…). */
export interface TokenStore {
  get(key: string): Promise<CachedToken | undefined> | CachedToken | undefined;
  set(key: string, token: CachedToken): Promise<void> | void;
  delete(key: string): Promise<void> | void;
}

export class MemoryTokenStore implements TokenStore {
  private tokens = new Map<string, CachedToken>();
  get(key: string) {
    return this.tokens.get(key);
  }
  set(key: string, token: CachedToken) {
    this.tokens.set(key, token);
  }
  delete(key: string) {
    this.tokens.delete(key);
  }
}

/**
 * Reuses a token until shortly before it expires (a minute, or a tenth of its lifetime if shorter),
 * fetches at most one new token at a time per key however many callers ask, and forgets a token the
 * platform refused (so the next call fetches a fresh one).
 */
export class TokenCache {
  private inFlight = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly store: TokenStore = new MemoryTokenStore(),
    private readonly now: () => number = Date.now,
  ) {}

  async get(
    key: string,
    fetchToken: () => Promise<{ accessToken: string; expiresInSeconds: number }>,
  ): Promise<string> {
    const cached = await this.store.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.accessToken;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = (async () => {
        const issuedAt = this.now();
        const t = await fetchToken();
        const lifetimeMs = t.expiresInSeconds * 1000;
        const margin = Math.min(60_000, lifetimeMs / 10);
        const token = { accessToken: t.accessToken, expiresAt: issuedAt + lifetimeMs - margin };
        await this.store.set(key, token);
        return token;
      })().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return (await pending).accessToken;
  }

  /** Forgets `accessToken` if it is still the cached one (another caller may have refreshed it already). */
  async invalidate(key: string, accessToken: string): Promise<void> {
    const cached = await this.store.get(key);
    if (cached?.accessToken === accessToken) await this.store.delete(key);
  }
}
