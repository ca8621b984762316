/** One request as the emulator received it, secrets masked. */
export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status?: number;
}

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'cookie', 'proxy-authorization']);
const SECRET_FIELDS = new Set([
  'client_secret',
  'password',
  'assertion',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'apikey',
  'clientsecret',
]);

/** Masks a secret but keeps its kind visible ("Bearer ***"), so tests can see which auth was used. */
function maskHeader(name: string, value: string): string {
  if (!SECRET_HEADERS.has(name)) return value;
  const space = value.indexOf(' ');
  return space > 0 ? `${value.slice(0, space)} ***` : '***';
}

export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === 'object') {
    // Null prototype: a "__proto__" key in a body is logged as data, like any other.
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: SECRET_FIELDS.has(k.toLowerCase()) ? '***' : maskSecrets(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** A bounded log of recent requests (oldest dropped first), so long benchmarks keep memory flat. */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  constructor(private readonly max = 5000) {}

  record(
    method: string,
    path: string,
    query: Record<string, string>,
    headers: Record<string, string | string[] | undefined>,
    body: unknown,
  ): LoggedRequest {
    const masked: Record<string, string> = {};
    for (const [name, v] of Object.entries(headers)) {
      if (v === undefined) continue;
      masked[name] = maskHeader(name, Array.isArray(v) ? v.join(', ') : v);
    }
    const entry: LoggedRequest = {
      at: new Date().toISOString(),
      method,
      path,
      query: maskSecrets(query) as Record<string, string>,
      headers: masked,
      body: maskSecrets(body),
    };
    if (this.max > 0) {
      this.entries.push(entry);
      if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    }
    return entry;
  }

  list(): LoggedRequest[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
