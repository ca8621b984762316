/**
 * The baseline: the script of the old integration tutorial, ported once, faithfully, to
 * the platforms' real endpoints. It is what a user would get by copying the tutorial, and it does not
 * use the core on purpose. What the port keeps from the tutorial:
 *
 * - one customer after the other: read, convert, write, next;
 * - a new HTTP connection for every request (the tutorial's module-level `requests.get`/`post` and
 *   its new `Session` per write), here an agent without keep-alive;
 * - the retry rule of the write only: urllib3 `Retry(total=3, backoff_factor=1,
 *   status_forcelist=[429, 500, 502, 503, 504])` mounted on the write's session, with urllib3 2.x
 *   semantics: up to 3 retries (4 tries), a Retry-After header is slept exactly, else a backoff of
 *   0 s, 2 s, 4 s; the read and the token requests are never retried (a 429 there is a failure);
 * - tokens cached in memory the tutorial's way (Genesys for 540 s, CXone for `expires_in` − 60 s);
 * - its type inference: `value.lower()` in ("true", "false") → boolean, else `float(value)` → number,
 *   else string, giving `{name, value, type}`.
 *
 * What the port had to change, because the tutorial's endpoints and grants do not exist:
 * - Genesys: client credentials at `{login}/oauth/token` (there is no JWT-bearer grant), and the
 *   conversation `GET /api/v2/conversations/{id}` whose customer participant holds the attributes
 *   (the tutorial's "interaction contact" endpoint does not exist);
 * - CXone: the access-key password grant at `{issuer}/auth/token` (no client-credentials grant), and
 *   `PUT /dfo/3.0/customers/{id}/custom-fields` with a bare array of `{ident, value}` strings;
 * - the CXone API takes only strings, so the port sends each inferred value as the tutorial put it on
 *   the wire (its JSON text: `json.dumps`): `true`/`false`, Python's float repr (`"00123"` becomes
 *   `"123.0"`, `"1e5"` becomes `"100000.0"`, `"NaN"` stays `"NaN"`), strings as they are;
 * - the real API refuses the whole request when one ident is unknown, so the port sends only the
 *   attributes named like the tenant's custom fields (`CUSTOM_FIELD_IDENTS`, typed in by the porter
 *   the way the tutorial's constants are). Values the API refuses (a list field given "yes" or
 *   "diamond", an e-mail field given "not-an-email") fail the customer's whole write: that is the
 *   tutorial's behaviour and the point of the comparison;
 * - the customer ids are the tutorial's inputs: pairs of (conversation id, CXone customer id), known
 *   up front. A customer CXone does not know has no pair; it is counted as not found, with no request.
 */
import http from 'node:http';
import https from 'node:https';

// ---------------------------------------------------------------------------------------------
// The pure part: the tutorial's conversion and what the port sends.
// ---------------------------------------------------------------------------------------------

/** The tutorial's `{name, value, type}`. */
export interface TutorialAttribute {
  name: string;
  value: string | number | boolean;
  type: 'string' | 'number' | 'boolean';
}

// Python's float(): optional whitespace, sign, digits with single underscores between them, an
// optional fraction and exponent; or inf, infinity, nan in any case.
const DIGITS = '\\d(?:_?\\d)*';
const PY_FLOAT = new RegExp(
  `^[+-]?(?:(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?|inf|infinity|nan)$`,
  'i',
);

/** Python's `float(value)`, or undefined where Python raises ValueError. */
export function pythonFloat(value: string): number | undefined {
  const s = value.trim();
  if (!PY_FLOAT.test(s)) return undefined;
  const lower = s.toLowerCase().replace(/^[+-]/, '');
  const negative = s.startsWith('-');
  if (lower === 'nan') return Number.NaN;
  if (lower === 'inf' || lower === 'infinity') return negative ? -Infinity : Infinity;
  return Number(s.replace(/_/g, ''));
}

/** Python's `repr(float)`: shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = x.toExponential().split('e') as [string, string];
  const e = Number(exp);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (e >= -4 && e < 16) {
    if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
    const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
    const fraction = digits.slice(e + 1);
    return `${sign}${whole}.${fraction || '0'}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** The tutorial's `transform_attributes_for_cxone`, line for line. */
export function transformAttributesForCxone(attributes: Record<string, unknown>): TutorialAttribute[] {
  const out: TutorialAttribute[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    let type: TutorialAttribute['type'] = 'string';
    let parsed = value as TutorialAttribute['value'];
    if (typeof value === 'string') {
      const lower = value.toLowerCase();
      if (lower === 'true' || lower === 'false') {
        type = 'boolean';
        parsed = lower === 'true';
      } else {
        const f = pythonFloat(value);
        if (f !== undefined) {
          type = 'number';
          parsed = f;
        }
      }
    }
    out.push({ name, value: parsed, type });
  }
  return out;
}

/** The JSON text Python's `json.dumps` gives a value (NaN and Infinity as Python writes them). */
export function pythonJsonText(value: TutorialAttribute['value']): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return pythonFloatRepr(value);
  }
  return value;
}

/** The custom fields the porter typed in: the tenant's field idents (the sample tenant's). */
export const CUSTOM_FIELD_IDENTS = [
  'loyalty_tier',
  'annual_spend',
  'preferred_channel',
  'account_number',
  'phone_ext',
  'promo_code',
  'opted_in',
  'last_purchase_at',
  'display_name',
  'long_note',
  'notes',
  'contact_email',
  'risk_score',
];

/** The body the port PUTs: the tutorial's attributes named like a custom field, values as strings. */
export function portedCustomFields(attributes: TutorialAttribute[]): { ident: string; value: string }[] {
  return attributes
    .filter((a) => CUSTOM_FIELD_IDENTS.includes(a.name))
    .map((a) => ({ ident: a.name, value: pythonJsonText(a.value) }));
}

/** urllib3 2.x `Retry.get_backoff_time()` with backoff_factor 1, after `errors` consecutive errors. */
export function urllib3Backoff(errors: number, factor = 1, max = 120): number {
  if (errors <= 1) return 0;
  return Math.min(max, factor * 2 ** (errors - 1));
}

/** urllib3's `parse_retry_after`: whole seconds, or an HTTP date; never negative. */
export function parseRetryAfterSeconds(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const at = Date.parse(header);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (at - now) / 1000);
}

// ---------------------------------------------------------------------------------------------
// The I/O: the tutorial's functions over plain node:http, one connection per request.
// ---------------------------------------------------------------------------------------------

export interface BaselineInput {
  conversationId: string;
  /** The CXone customer id the user gives the script; none for a customer CXone does not know. */
  cxoneCustomerId?: string;
}

export interface BaselineConfig {
  genesys: { apiUrl: string; loginUrl: string; clientId: string; clientSecret: string };
  cxone: {
    issuer: string;
    dfoUrl: string;
    clientId: string;
    clientSecret: string;
    accessKeyId: string;
    accessKeySecret: string;
  };
  inputs: BaselineInput[];
  /** Stop starting customers after this many milliseconds (a time box for a sequential script). */
  timeBoxMs?: number;
}

export type BaselineOutcome =
  | 'updated'
  | 'not-found'
  | 'no-attributes'
  | 'refused'
  | 'read-failed'
  | 'write-failed';

export interface BaselineReport {
  customers: number;
  outcomes: Record<BaselineOutcome, number>;
  /** Values the API accepted but that differ from the Genesys text ("00123" written as "123.0"). */
  valuesAltered: number;
  valuesWritten: number;
  retries: number;
  elapsedMs: number;
  /** The first few failure messages, by kind. */
  examples: string[];
  stoppedByTimeBox: boolean;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a new connection (no keep-alive), like `requests.get` outside a session. */
function send(method: string, url: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      {
        method,
        agent: false,
        headers: { ...headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `response.raise_for_status()`. */
function raiseForStatus(r: Answer, url: string): void {
  if (r.status >= 400) throw new HttpError(r.status, `${r.status} Error for url: ${new URL(url).pathname}`);
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

export function createTutorialClient(
  config: BaselineConfig,
  sleep: (ms: number) => Promise<void> = realSleep,
) {
  const tokenCache: Record<string, { accessToken: string; expiresAt: number }> = {};
  const valid = (t?: { expiresAt: number }) => t !== undefined && Date.now() / 1000 < t.expiresAt;
  let retries = 0;

  async function getGenesysToken(): Promise<string> {
    const cached = tokenCache.genesys;
    if (cached && valid(cached)) return cached.accessToken;
    const g = config.genesys;
    const now = Math.floor(Date.now() / 1000);
    const url = `${g.loginUrl}/oauth/token`;
    const r = await send(
      'POST',
      url,
      {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${g.clientId}:${g.clientSecret}`).toString('base64')}`,
      },
      form({ grant_type: 'client_credentials' }),
    );
    raiseForStatus(r, url);
    const data = JSON.parse(r.body) as { access_token: string };
    // The tutorial caches for 540 s whatever the answer says.
    tokenCache.genesys = { accessToken: data.access_token, expiresAt: now + 540 };
    return data.access_token;
  }

  async function getCxoneToken(): Promise<string> {
    const cached = tokenCache.cxone;
    if (cached && valid(cached)) return cached.accessToken;
    const c = config.cxone;
    const url = `${c.issuer}/auth/token`;
    const basic = Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`);
    const r = await send(
      'POST',
      url,
      {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${basic.toString('base64')}`,
      },
      form({ grant_type: 'password', username: c.accessKeyId, password: c.accessKeySecret }),
    );
    raiseForStatus(r, url);
    const data = JSON.parse(r.body) as { access_token: string; expires_in?: number };
    const now = Math.floor(Date.now() / 1000);
    tokenCache.cxone = { accessToken: data.access_token, expiresAt: now + ((data.expires_in ?? 3600) - 60) };
    return data.access_token;
  }

  /** `fetch_genesys_contact`, on the real conversation endpoint. No retry: a 429 raises. */
  async function fetchGenesysConversation(conversationId: string): Promise<Record<string, unknown>> {
    const url = `${config.genesys.apiUrl}/api/v2/conversations/${encodeURIComponent(conversationId)}`;
    const r = await send('GET', url, {
      authorization: `Bearer ${await getGenesysToken()}`,
      'content-type': 'application/json',
    });
    if (r.status === 401) throw new HttpError(401, 'Genesys Cloud authentication failed.');
    if (r.status === 403) throw new HttpError(403, 'Genesys Cloud access denied. Check scope.');
    if (r.status === 404) throw new HttpError(404, `Contact ID ${conversationId} not found.`);
    raiseForStatus(r, url);
    const conversation = JSON.parse(r.body) as {
      participants?: { purpose?: string; attributes?: Record<string, unknown> }[];
    };
    // The port's one change: the attributes are the customer participant's.
    return conversation.participants?.find((p) => p.purpose === 'customer')?.attributes ?? {};
  }

  /** `push_to_cxone`: a new session, urllib3's Retry on 429 and 5xx, then the tutorial's checks. */
  async function pushToCxone(
    customerId: string,
    fields: { ident: string; value: string }[],
  ): Promise<unknown> {
    const url = `${config.cxone.dfoUrl}/dfo/3.0/customers/${encodeURIComponent(customerId)}/custom-fields`;
    const headers = { authorization: `Bearer ${await getCxoneToken()}`, 'content-type': 'application/json' };
    const body = JSON.stringify(fields);
    let errors = 0;
    let r: Answer;
    for (;;) {
      try {
        r = await send('PUT', url, headers, body);
      } catch (e) {
        // Connection errors count against the same total.
        errors++;
        if (errors > 3) throw new Error(`Max retries exceeded: ${(e as Error).message}`);
        retries++;
        await sleep(urllib3Backoff(errors) * 1000);
        continue;
      }
      if (![429, 500, 502, 503, 504].includes(r.status)) break;
      errors++;
      if (errors > 3)
        throw new HttpError(r.status, `Max retries exceeded (too many ${r.status} error responses)`);
      retries++;
      const retryAfter = parseRetryAfterSeconds(first(r.headers['retry-after']));
      await sleep((retryAfter ? retryAfter : urllib3Backoff(errors)) * 1000);
    }
    if (r.status === 401) throw new HttpError(401, 'CXone authentication failed.');
    if (r.status === 403) throw new HttpError(403, 'CXone access denied. Check scope.');
    if (r.status === 422) throw new HttpError(422, 'CXone payload validation failed');
    raiseForStatus(r, url);
    return JSON.parse(r.body);
  }

  return { fetchGenesysConversation, pushToCxone, retries: () => retries };
}

const first = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);

/** The tutorial's `sync_customer_profile` for every input pair, one after the other. */
export async function runBaseline(
  config: BaselineConfig,
  hooks: { onCustomer?: (done: number) => void; sleep?: (ms: number) => Promise<void> } = {},
): Promise<BaselineReport> {
  const client = createTutorialClient(config, hooks.sleep);
  const outcomes: Record<BaselineOutcome, number> = {
    updated: 0,
    'not-found': 0,
    'no-attributes': 0,
    refused: 0,
    'read-failed': 0,
    'write-failed': 0,
  };
  const examples = new Map<string, string>();
  let valuesAltered = 0;
  let valuesWritten = 0;
  let customers = 0;
  let stoppedByTimeBox = false;
  const started = performance.now();
  for (const input of config.inputs) {
    if (config.timeBoxMs !== undefined && performance.now() - started >= config.timeBoxMs) {
      stoppedByTimeBox = true;
      break;
    }
    customers++;
    let outcome: BaselineOutcome;
    if (!input.cxoneCustomerId) outcome = 'not-found';
    else {
      let stage: 'read' | 'write' = 'read';
      try {
        const attributes = await client.fetchGenesysConversation(input.conversationId);
        if (Object.keys(attributes).length === 0) outcome = 'no-attributes';
        else {
          const fields = portedCustomFields(transformAttributesForCxone(attributes));
          stage = 'write';
          await client.pushToCxone(input.cxoneCustomerId, fields);
          outcome = 'updated';
          valuesWritten += fields.length;
          // Altered: accepted, yet not the source's text even ignoring case ("00123" written as "123.0").
          for (const f of fields)
            if (f.value.toLowerCase() !== String(attributes[f.ident]).toLowerCase()) valuesAltered++;
        }
      } catch (e) {
        const status = e instanceof HttpError ? e.status : 0;
        outcome = stage === 'read' ? 'read-failed' : status === 400 ? 'refused' : 'write-failed';
        const key = `${outcome} ${status}`;
        if (!examples.has(key)) examples.set(key, `${outcome}: ${(e as Error).message}`);
      }
    }
    outcomes[outcome]++;
    hooks.onCustomer?.(customers);
  }
  return {
    customers,
    outcomes,
    valuesAltered,
    valuesWritten,
    retries: client.retries(),
    elapsedMs: performance.now() - started,
    examples: [...examples.values()],
    stoppedByTimeBox,
  };
}
