/**
 * The fleet ledger: PostgreSQL through `pg`, for workers on many machines sharing one ledger. Same
 * semantics as the SQLite backend (sqlite.ts). Each read-modify-write is one statement (INSERT … ON
 * CONFLICT … DO UPDATE), so concurrent writers lose nothing; a write and its history event share one
 * transaction. Times are stored as the same ISO text as in SQLite, so they round-trip and sort alike.
 *
 * The URL may hold a password: no message built here repeats it (they name the host and database).
 */
import pg from 'pg';
import { ConfigurationError, TransientError } from '../errors/errors.js';
import type { Inbox } from './inbox.js';
import { PostgresInbox } from './postgres-inbox.js';
import { entryOf, eventOf, type Row, windowOf } from './rows.js';
import type {
  FailureRecord,
  LedgerEntry,
  LedgerEvent,
  LedgerStore,
  LedgerWindow,
  SuccessRecord,
} from './store.js';

/**
 * Schema migrations, in order: index i takes the database from version i to version i + 1. Append
 * only. The tables are prefixed, as the database may hold another program's tables; keys and times
 * use the "C" collation so that they sort byte by byte, as in SQLite, whatever the database's locale.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE cx_ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE cx_ledger_entries (
     customer_key TEXT COLLATE "C" NOT NULL, target TEXT COLLATE "C" NOT NULL, phone TEXT, email TEXT,
     source_kind TEXT, source_id TEXT,
     record_id TEXT, fields JSONB NOT NULL DEFAULT '{}', mapping_digest TEXT, schema_digest TEXT,
     outcome TEXT NOT NULL, error_kind TEXT, error_message TEXT, retryable BOOLEAN NOT NULL DEFAULT false,
     attempts INTEGER NOT NULL DEFAULT 0,
     first_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
     last_success_at TEXT COLLATE "C", verified_at TEXT COLLATE "C",
     PRIMARY KEY (customer_key, target));
   CREATE INDEX cx_ledger_entries_retryable ON cx_ledger_entries (updated_at) WHERE retryable;
   CREATE INDEX cx_ledger_entries_by_phone ON cx_ledger_entries (phone) WHERE phone IS NOT NULL;
   CREATE INDEX cx_ledger_entries_by_email ON cx_ledger_entries (email) WHERE email IS NOT NULL;
   CREATE TABLE cx_ledger_events (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_key TEXT COLLATE "C" NOT NULL,
     target TEXT COLLATE "C" NOT NULL, at TEXT COLLATE "C" NOT NULL, event TEXT NOT NULL, outcome TEXT,
     record_id TEXT, fields JSONB, error_kind TEXT, error_message TEXT, retryable BOOLEAN);
   CREATE INDEX cx_ledger_events_by_customer ON cx_ledger_events (customer_key, at);
   CREATE TABLE cx_ledger_windows (
     id TEXT PRIMARY KEY, since TEXT NOT NULL, until TEXT NOT NULL, pages INTEGER NOT NULL,
     covered_until TEXT, resume TEXT, updated_at TEXT NOT NULL);`,
  // 2: the inbox of source events for the live sync (postgres-inbox.ts), as in SQLite.
  `CREATE TABLE cx_ledger_inbox_events (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id TEXT COLLATE "C" NOT NULL UNIQUE,
     subject_key TEXT COLLATE "C" NOT NULL, topic TEXT NOT NULL, kind TEXT NOT NULL,
     event_time TEXT COLLATE "C" NOT NULL, received_at TEXT COLLATE "C" NOT NULL,
     processed_at TEXT COLLATE "C");
   CREATE INDEX cx_ledger_inbox_events_pending ON cx_ledger_inbox_events (subject_key, received_at)
     WHERE processed_at IS NULL;
   CREATE INDEX cx_ledger_inbox_events_processed ON cx_ledger_inbox_events (received_at)
     WHERE processed_at IS NOT NULL;
   CREATE TABLE cx_ledger_inbox_subjects (
     subject_key TEXT COLLATE "C" PRIMARY KEY, pending INTEGER NOT NULL DEFAULT 0,
     first_received_at TEXT COLLATE "C", last_received_at TEXT COLLATE "C", lease_owner TEXT,
     lease_until TEXT COLLATE "C", attempts INTEGER NOT NULL DEFAULT 0, retry_at TEXT COLLATE "C",
     error TEXT, updated_at TEXT NOT NULL);
   CREATE INDEX cx_ledger_inbox_subjects_pending ON cx_ledger_inbox_subjects (first_received_at)
     WHERE pending > 0;`,
  // 3: when the source data last written was observed, so that older data never overwrites newer.
  'ALTER TABLE cx_ledger_entries ADD COLUMN source_at TEXT COLLATE "C";',
];

/** The migrations, for tests that write a ledger of an older version. Not part of the API. */
export const POSTGRES_LEDGER_MIGRATIONS: readonly string[] = MIGRATIONS;

/** The schema version this build writes. */
export const POSTGRES_LEDGER_SCHEMA_VERSION = MIGRATIONS.length;

/** Held (per database) while migrating, so that workers starting at once migrate one after another. */
const MIGRATION_LOCK = 0x63785f6c; // "cx_l"

/** A few connections per process are plenty: every operation is one short transaction. */
const POOL_SIZE = 4;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connects to the database in `url` and migrates the ledger's tables. A ledger written by a newer
 * version, or whose version is unreadable, is refused with a ConfigurationError and left unchanged:
 * the version is read before anything is written. An unreachable server is a TransientError.
 */
export async function openPostgresLedger(url: string): Promise<LedgerStore> {
  const server = new Server(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'cx-profile-sync',
    // An idle pool does not keep the process alive: a CLI that forgets close() still exits.
    allowExitOnIdle: true,
  });
  // An idle connection's error (the server restarted, a proxy dropped it) would otherwise crash the
  // process; the pool has already discarded that connection and opens a new one when next needed.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      if ((await readVersion(client, server)) !== POSTGRES_LEDGER_SCHEMA_VERSION)
        await migrate(client, server);
    } finally {
      client.release();
    }
    return new PostgresLedger(pool, server);
  } catch (e) {
    await pool.end().catch(() => {});
    throw server.error(e, 'open');
  }
}

type Client = pg.PoolClient;

async function readVersion(client: Client, server: Server): Promise<number> {
  // A query of the catalog, not to_regclass(): that one answers from a cache which, after waiting for
  // the migration lock, may still say "no such table" although another worker has just created it.
  const { rows } = await client.query(
    "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'cx_ledger_meta'",
  );
  if (rows.length === 0) return 0;
  const meta = await client.query("SELECT value FROM cx_ledger_meta WHERE key = 'schema_version'");
  const version = Number(meta.rows[0]?.value);
  if (!Number.isInteger(version) || version < 1) {
    throw new ConfigurationError(
      `The PostgreSQL ledger at ${server.name} is not a cx-profile-sync ledger (the schema version in ` +
        'cx_ledger_meta is unreadable). It was left unchanged; point CX_LEDGER at another database.',
    );
  }
  if (version > POSTGRES_LEDGER_SCHEMA_VERSION) {
    throw new ConfigurationError(
      `The PostgreSQL ledger at ${server.name} was written by a newer version of cx-profile-sync (schema ` +
        `version ${version}; this one knows up to ${POSTGRES_LEDGER_SCHEMA_VERSION}). It was left unchanged: ` +
        'upgrade cx-profile-sync, or point CX_LEDGER at another database.',
    );
  }
  return version;
}

async function migrate(client: Client, server: Server): Promise<void> {
  await client.query('BEGIN');
  try {
    // Released at COMMIT or ROLLBACK; read again under it, as another worker may have migrated meanwhile.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const from = await readVersion(client, server);
    for (const sql of MIGRATIONS.slice(from)) await client.query(sql);
    await client.query(
      `INSERT INTO cx_ledger_meta (key, value) VALUES ('schema_version', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [String(POSTGRES_LEDGER_SCHEMA_VERSION)],
    );
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

/** What errors may say of the server: host, port and database, never the URL (it may hold a password). */
class Server {
  readonly name: string;
  private readonly secrets: string[];

  constructor(url: string) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      // pg parses some URLs that URL does not (e.g. an unencoded '#' in the password): let pg judge.
    }
    const host = parsed?.hostname || parsed?.searchParams.get('host') || 'localhost';
    const database = parsed && parsed.pathname.length > 1 ? decodeURIComponent(parsed.pathname) : '';
    this.name = parsed ? `${host}${parsed.port ? `:${parsed.port}` : ''}${database}` : 'the CX_LEDGER URL';
    const password = parsed?.password ?? /^[^:]*:\/\/[^:@/]*:([^@]*)@/.exec(url)?.[1] ?? '';
    let decoded = password;
    try {
      decoded = decodeURIComponent(password);
    } catch {}
    // A very short password is not redacted: it would mangle the message more than it protects.
    this.secrets = [url, password, decoded].filter((s) => s.length >= 4);
  }

  /** Text for a message, with the URL and password removed should a driver message ever carry them. */
  private redact(text: string): string {
    return this.secrets.reduce((t, s) => t.replaceAll(s, '***'), text);
  }

  /** The taxonomy's error for a failure to open or use the ledger; other errors are passed through. */
  error(e: unknown, doing: 'open' | 'use'): unknown {
    if (e instanceof ConfigurationError || e instanceof TransientError) return e;
    const { code, message } = e as { code?: unknown; message?: unknown };
    const why = this.redact(String(message ?? e));
    if (isTransient(code, why)) {
      return new TransientError(
        `The PostgreSQL ledger at ${this.name} is unreachable or dropped the connection (${why}). ` +
          'Try again once the server is back.',
        causeOf(e),
      );
    }
    if (doing === 'open' || isConfiguration(code)) {
      return new ConfigurationError(`Cannot open the PostgreSQL ledger at ${this.name}: ${why}`, causeOf(e));
    }
    return e;
  }
}

/**
 * The driver's error as the cause, unless it may hold the URL or password: an invalid URL's TypeError
 * keeps the input, and pg-pool hangs the connection (with its password) on some errors as `client`.
 */
function causeOf(e: unknown): { cause?: unknown } {
  return e instanceof Error && !(e instanceof TypeError) && !('client' in e) ? { cause: e } : {};
}

/** Node's network errors that a later try may not meet again. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);
/**
 * SQLSTATEs that say the server went away or is (re)starting, or that the transaction lost a race:
 * admin/crash shutdown, cannot connect now, too many connections, serialization failure, deadlock.
 */
const RETRYABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);

function isTransient(code: unknown, message: string): boolean {
  if (typeof code === 'string') {
    // SQLSTATE class 08: connection exception.
    if (NETWORK_CODES.has(code) || RETRYABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
  }
  // pg's own errors when a socket closes or a connection cannot be had in time carry no code.
  return /Connection terminated|not queryable|timeout exceeded when trying to connect|Connection closed/i.test(
    message,
  );
}

/** Wrong password or user, no such database, no right to it: fix the settings. */
function isConfiguration(code: unknown): boolean {
  return typeof code === 'string' && (code.startsWith('28') || code === '3D000' || code === '42501');
}

/** The identity and source columns of a success or a failure (e-mail in lower case, as keys are). */
function whoAndWhere(r: SuccessRecord | FailureRecord): unknown[] {
  return [
    r.identity?.phone ?? null,
    r.identity?.email?.toLowerCase() ?? null,
    r.source?.kind ?? null,
    r.source?.id ?? null,
  ];
}

const SUCCESS = `INSERT INTO cx_ledger_entries AS e (customer_key, target, phone, email, source_kind, source_id,
    record_id, fields, mapping_digest, schema_digest, outcome, attempts, first_at, updated_at, last_success_at,
    verified_at, source_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $12, $12, $13, $14)
  ON CONFLICT (customer_key, target) DO UPDATE SET
    phone = COALESCE(excluded.phone, e.phone), email = COALESCE(excluded.email, e.email),
    source_kind = COALESCE(excluded.source_kind, e.source_kind),
    source_id = COALESCE(excluded.source_id, e.source_id),
    record_id = COALESCE(excluded.record_id, e.record_id), fields = e.fields || excluded.fields,
    mapping_digest = excluded.mapping_digest, schema_digest = excluded.schema_digest,
    outcome = excluded.outcome, error_kind = NULL, error_message = NULL, retryable = false, attempts = 0,
    updated_at = excluded.updated_at, last_success_at = excluded.last_success_at,
    verified_at = COALESCE(excluded.verified_at, e.verified_at),
    source_at = CASE WHEN e.source_at IS NULL OR excluded.source_at > e.source_at
      THEN COALESCE(excluded.source_at, e.source_at) ELSE e.source_at END`;

const FAILURE = `INSERT INTO cx_ledger_entries AS e (customer_key, target, phone, email, source_kind, source_id,
    outcome, error_kind, error_message, retryable, attempts, first_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, 'failed', $7, $8, $9, 1, $10, $10)
  ON CONFLICT (customer_key, target) DO UPDATE SET
    phone = COALESCE(excluded.phone, e.phone), email = COALESCE(excluded.email, e.email),
    source_kind = COALESCE(excluded.source_kind, e.source_kind),
    source_id = COALESCE(excluded.source_id, e.source_id),
    outcome = 'failed', error_kind = excluded.error_kind, error_message = excluded.error_message,
    retryable = excluded.retryable, attempts = e.attempts + 1, updated_at = excluded.updated_at`;

const EVENT = `INSERT INTO cx_ledger_events (customer_key, target, at, event, outcome, record_id, fields,
    error_kind, error_message, retryable)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

interface EventValues {
  customerKey: string;
  target: string;
  at: string;
  event: LedgerEvent['event'];
  outcome?: string;
  recordId?: string;
  written?: string[];
  kind?: string;
  message?: string;
  retryable?: boolean;
}

function eventParams(v: EventValues): unknown[] {
  return [
    v.customerKey,
    v.target,
    v.at,
    v.event,
    v.outcome ?? null,
    v.recordId ?? null,
    v.written ? JSON.stringify(v.written) : null,
    v.kind ?? null,
    v.message ?? null,
    v.retryable ?? null,
  ];
}

class PostgresLedger implements LedgerStore {
  private closed = false;
  private readonly postgresInbox: PostgresInbox;
  readonly inbox: Inbox;

  constructor(
    private readonly pool: pg.Pool,
    private readonly server: Server,
  ) {
    this.postgresInbox = new PostgresInbox({
      query: (sql, params) => this.query(sql, params),
      transaction: (fn) => this.transaction(fn),
    });
    this.inbox = this.postgresInbox;
  }

  private async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      return (await this.pool.query(sql, params)).rows;
    } catch (e) {
      throw this.server.error(e, 'use');
    }
  }

  /** One transaction on one connection; a connection that failed is discarded, not reused. */
  private async transaction<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    let client: Client;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.server.error(e, 'use');
    }
    // The pool stops listening while the connection is lent: an error between two statements would
    // otherwise be an unhandled 'error' event. The statement in flight fails and says why anyway.
    const ignore = () => {};
    client.on('error', ignore);
    let failed: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      failed = e instanceof Error ? e : new Error(String(e));
      await client.query('ROLLBACK').catch(() => {});
      throw this.server.error(e, 'use');
    } finally {
      client.off('error', ignore);
      client.release(failed);
    }
  }

  async get(customerKey: string, target: string): Promise<LedgerEntry | undefined> {
    const rows = await this.query('SELECT * FROM cx_ledger_entries WHERE customer_key = $1 AND target = $2', [
      customerKey,
      target,
    ]);
    return rows[0] ? entryOf(rows[0]) : undefined;
  }

  async recordSuccess(r: SuccessRecord): Promise<void> {
    await this.transaction(async (c) => {
      await c.query(SUCCESS, [
        r.customerKey,
        r.target,
        ...whoAndWhere(r),
        r.recordId ?? null,
        JSON.stringify(r.fields),
        r.mappingDigest,
        r.schemaDigest,
        r.outcome,
        r.at,
        r.verified ? r.at : null,
        r.sourceAt ?? null,
      ]);
      await c.query(EVENT, eventParams({ ...r, event: 'success' }));
    });
  }

  async recordFailure(r: FailureRecord): Promise<void> {
    await this.transaction(async (c) => {
      await c.query(FAILURE, [
        r.customerKey,
        r.target,
        ...whoAndWhere(r),
        r.kind,
        r.message,
        r.retryable,
        r.at,
      ]);
      await c.query(EVENT, eventParams({ ...r, event: 'failure', outcome: 'failed' }));
    });
  }

  async retryable(target?: string): Promise<LedgerEntry[]> {
    const rows = await this.query(
      `SELECT * FROM cx_ledger_entries WHERE retryable AND outcome = 'failed'
        AND ($1::text IS NULL OR target = $1) ORDER BY updated_at, customer_key, target`,
      [target ?? null],
    );
    return rows.map(entryOf);
  }

  async history(who: string): Promise<LedgerEvent[]> {
    // E-mails are stored lower-cased by JavaScript, so the address asked for is too (not by SQL's lower()).
    const rows = await this.query(
      `SELECT * FROM cx_ledger_events WHERE customer_key IN (SELECT $1::text UNION
          SELECT customer_key FROM cx_ledger_entries WHERE phone = $1 OR email = $2)
        ORDER BY at DESC, id DESC`,
      [who, who.toLowerCase()],
    );
    return rows.map(eventOf);
  }

  async recordWindow(w: LedgerWindow): Promise<void> {
    await this.query(
      `INSERT INTO cx_ledger_windows (id, since, until, pages, covered_until, resume, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (id) DO UPDATE SET since = excluded.since, until = excluded.until, pages = excluded.pages,
          covered_until = excluded.covered_until, resume = excluded.resume, updated_at = excluded.updated_at`,
      [w.id, w.since, w.until, w.pages, w.coveredUntil ?? null, w.resume ?? null, new Date().toISOString()],
    );
  }

  async window(id: string): Promise<LedgerWindow | undefined> {
    const rows = await this.query('SELECT * FROM cx_ledger_windows WHERE id = $1', [id]);
    return rows[0] ? windowOf(rows[0]) : undefined;
  }

  async forgetRecordId(customerKey: string, target: string): Promise<void> {
    const at = new Date().toISOString();
    await this.transaction(async (c) => {
      const { rowCount } = await c.query(
        `UPDATE cx_ledger_entries SET record_id = NULL, fields = '{}', mapping_digest = NULL,
          schema_digest = NULL, updated_at = $3 WHERE customer_key = $1 AND target = $2`,
        [customerKey, target, at],
      );
      if (rowCount) await c.query(EVENT, eventParams({ customerKey, target, at, event: 'forget-record-id' }));
    });
  }

  async reset(target?: string): Promise<number> {
    return this.transaction(async (c) => {
      const { rowCount } = target
        ? await c.query('DELETE FROM cx_ledger_entries WHERE target = $1', [target])
        : await c.query('DELETE FROM cx_ledger_entries');
      await c.query('DELETE FROM cx_ledger_windows');
      return rowCount ?? 0;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Accepts queued for the next group commit are committed first (their callers wait for them).
    await this.postgresInbox.drain();
    await this.pool.end();
  }
}
