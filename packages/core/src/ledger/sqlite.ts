/**
 * The embedded ledger: one SQLite file through Node's built-in `node:sqlite` (no native addon).
 * WAL mode and a busy timeout let several processes on one machine share the file; each write is one
 * `BEGIN IMMEDIATE` transaction, so a read-modify-write (attempts + 1) never loses another's write.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLOutputValue } from 'node:sqlite';
import { ConfigurationError } from '../errors/errors.js';
import type { Inbox } from './inbox.js';
import { entryOf as entryOfRow, eventOf as eventOfRow, type Row, windowOf as windowOfRow } from './rows.js';
import { SqliteInbox } from './sqlite-inbox.js';
import type {
  FailureRecord,
  LedgerEntry,
  LedgerEvent,
  LedgerStore,
  LedgerWindow,
  SuccessRecord,
} from './store.js';

/** How long a write waits for another process's transaction before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

/** Schema migrations, in order: index i takes the file from version i to version i + 1. Append only. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE entries (
     customer_key TEXT NOT NULL, target TEXT NOT NULL, phone TEXT, email TEXT,
     source_kind TEXT, source_id TEXT,
     record_id TEXT, fields TEXT NOT NULL DEFAULT '{}', mapping_digest TEXT, schema_digest TEXT,
     outcome TEXT NOT NULL, error_kind TEXT, error_message TEXT, retryable INTEGER NOT NULL DEFAULT 0,
     attempts INTEGER NOT NULL DEFAULT 0,
     first_at TEXT NOT NULL, updated_at TEXT NOT NULL, last_success_at TEXT, verified_at TEXT,
     PRIMARY KEY (customer_key, target));
   CREATE INDEX entries_retryable ON entries (retryable, target) WHERE retryable = 1;
   CREATE INDEX entries_by_phone ON entries (phone) WHERE phone IS NOT NULL;
   CREATE INDEX entries_by_email ON entries (email) WHERE email IS NOT NULL;
   CREATE TABLE events (
     id INTEGER PRIMARY KEY AUTOINCREMENT, customer_key TEXT NOT NULL, target TEXT NOT NULL,
     at TEXT NOT NULL, event TEXT NOT NULL, outcome TEXT, record_id TEXT, fields TEXT,
     error_kind TEXT, error_message TEXT, retryable INTEGER);
   CREATE INDEX events_by_customer ON events (customer_key, at);
   CREATE TABLE windows (
     id TEXT PRIMARY KEY, since TEXT NOT NULL, until TEXT NOT NULL, pages INTEGER NOT NULL,
     covered_until TEXT, resume TEXT, updated_at TEXT NOT NULL);`,
  // 2: the inbox of source events for the live sync (sqlite-inbox.ts). `seq` orders `recent`; the
  // partial indexes keep the pending events (per subject) apart from the processed ones (for prune).
  `CREATE TABLE inbox_events (
     seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, subject_key TEXT NOT NULL, topic TEXT NOT NULL,
     kind TEXT NOT NULL, event_time TEXT NOT NULL, received_at TEXT NOT NULL, processed_at TEXT);
   CREATE INDEX inbox_events_pending ON inbox_events (subject_key, received_at) WHERE processed_at IS NULL;
   CREATE INDEX inbox_events_processed ON inbox_events (received_at) WHERE processed_at IS NOT NULL;
   CREATE TABLE inbox_subjects (
     subject_key TEXT PRIMARY KEY, pending INTEGER NOT NULL DEFAULT 0,
     first_received_at TEXT, last_received_at TEXT, lease_owner TEXT, lease_until TEXT,
     attempts INTEGER NOT NULL DEFAULT 0, retry_at TEXT, error TEXT, updated_at TEXT NOT NULL);
   CREATE INDEX inbox_subjects_pending ON inbox_subjects (first_received_at) WHERE pending > 0;`,
  // 3: when the source data last written was observed, so that older data never overwrites newer.
  'ALTER TABLE entries ADD COLUMN source_at TEXT;',
];

/** The migrations, for tests that write a ledger of an older version. Not part of the API. */
export const SQLITE_LEDGER_MIGRATIONS: readonly string[] = MIGRATIONS;

/** The schema version this build writes. */
export const LEDGER_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Opens (creating it and its folder if needed) and migrates the ledger in `file`. A file written by a
 * newer version, or that is not a ledger, is refused with a ConfigurationError naming it and is left
 * as it was: the version is read before anything is written.
 */
export function openSqliteLedger(file: string): LedgerStore {
  let db: DatabaseSync;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (e) {
    throw openError(file, e);
  }
  try {
    // Durability: WAL with synchronous NORMAL survives a crash of the process, not a power loss; the
    // sync's records may lose their last commits to one (each then costs one repeated, idempotent
    // write), and NORMAL spares them a disk sync each. The inbox's accepts, which a 202 promises, commit
    // with FULL (`transaction(fn, true)`): synced to disk before they return.
    db.exec('PRAGMA synchronous = NORMAL');
    if (readVersion(db, file) !== LEDGER_SCHEMA_VERSION) {
      db.exec('PRAGMA journal_mode = WAL');
      migrate(db, file);
    }
    return new SqliteLedger(db, file);
  } catch (e) {
    db.close();
    throw e instanceof ConfigurationError ? e : openError(file, e);
  }
}

function readVersion(db: DatabaseSync, file: string): number {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
  if (!tables.some((t) => t.name === 'meta')) {
    // Another program's database: adding our tables to it would be a surprise.
    if (tables.length > 0) throw notALedger(file, 'an SQLite database of something else');
    return 0;
  }
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get();
  const version = Number(row?.value);
  if (!Number.isInteger(version) || version < 1) throw notALedger(file, 'its schema version is unreadable');
  if (version > LEDGER_SCHEMA_VERSION) {
    throw new ConfigurationError(
      `The ledger ${file} was written by a newer version of cx-profile-sync (schema version ${version}; ` +
        `this one knows up to ${LEDGER_SCHEMA_VERSION}). It was left unchanged: upgrade cx-profile-sync, ` +
        'or point CX_LEDGER at another file.',
    );
  }
  return version;
}

function migrate(db: DatabaseSync, file: string): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    // Read again under the write lock: another process may have migrated meanwhile.
    const from = readVersion(db, file);
    for (const sql of MIGRATIONS.slice(from)) db.exec(sql);
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(String(LEDGER_SCHEMA_VERSION));
    db.exec('COMMIT');
  } catch (e) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

function notALedger(file: string, why: string): ConfigurationError {
  return new ConfigurationError(
    `${file} is not a cx-profile-sync ledger (${why}). Move it away, or point CX_LEDGER at another file.`,
  );
}

function usageError(file: string, e: unknown): ConfigurationError {
  if (e instanceof ConfigurationError) return e;
  const errcode = (e as { errcode?: number }).errcode;
  // SQLITE_BUSY (5): another process held the write lock for longer than the busy timeout.
  if (errcode === 5)
    return new ConfigurationError(
      `The ledger ${file} is locked: another process kept it busy for more than ${BUSY_TIMEOUT_MS / 1000} s. ` +
        'Stop the other sync using it, or point CX_LEDGER at another file.',
      { cause: e },
    );
  return openError(file, e);
}

function openError(file: string, e: unknown): ConfigurationError {
  const errcode = (e as { errcode?: number }).errcode;
  // SQLITE_NOTADB (26) and SQLITE_CORRUPT (11): the file is not (or no longer) an SQLite database.
  if (errcode === 26 || errcode === 11) return notALedger(file, 'not an SQLite database');
  return new ConfigurationError(`Cannot open the ledger ${file}: ${(e as Error).message}`, { cause: e });
}

/** The identity and source columns of a success or a failure (e-mail in lower case, as keys are). */
function whoAndWhere(r: SuccessRecord | FailureRecord) {
  return {
    phone: r.identity?.phone ?? null,
    email: r.identity?.email?.toLowerCase() ?? null,
    sourceKind: r.source?.kind ?? null,
    sourceId: r.source?.id ?? null,
  };
}

/** A row as rows.ts reads it: SQLite keeps JSON as text and booleans as 0 and 1. */
function normal(r: Record<string, SQLOutputValue>): Row {
  return {
    ...r,
    fields: r.fields == null ? null : JSON.parse(String(r.fields)),
    retryable: r.retryable == null ? null : r.retryable === 1,
  };
}
const entryOf = (r: Record<string, SQLOutputValue>) => entryOfRow(normal(r));
const eventOf = (r: Record<string, SQLOutputValue>) => eventOfRow(normal(r));
const windowOf = (r: Record<string, SQLOutputValue>) => windowOfRow(normal(r));

class SqliteLedger implements LedgerStore {
  private readonly statements;
  private readonly sqliteInbox: SqliteInbox;
  readonly inbox: Inbox;

  constructor(
    private readonly db: DatabaseSync,
    private readonly file: string,
  ) {
    this.sqliteInbox = new SqliteInbox(db, {
      transaction: (fn, durable) => this.transaction(fn, durable),
      guard: (fn) => this.guard(fn),
    });
    this.inbox = this.sqliteInbox;
    const s = (sql: string) => db.prepare(sql);
    this.statements = {
      get: s('SELECT * FROM entries WHERE customer_key = ? AND target = ?'),
      // A write sends only what changed: the digests of the fields not sent still describe the record.
      success: s(`INSERT INTO entries (customer_key, target, phone, email, source_kind, source_id, record_id,
          fields, mapping_digest, schema_digest, outcome, attempts, first_at, updated_at, last_success_at,
          verified_at, source_at)
        VALUES (:customerKey, :target, :phone, :email, :sourceKind, :sourceId, :recordId, :fields,
          :mappingDigest, :schemaDigest, :outcome, 0, :at, :at, :at, :verifiedAt, :sourceAt)
        ON CONFLICT (customer_key, target) DO UPDATE SET
          phone = COALESCE(excluded.phone, phone), email = COALESCE(excluded.email, email),
          source_kind = COALESCE(excluded.source_kind, source_kind),
          source_id = COALESCE(excluded.source_id, source_id),
          record_id = COALESCE(excluded.record_id, record_id), fields = json_patch(fields, excluded.fields),
          mapping_digest = excluded.mapping_digest, schema_digest = excluded.schema_digest,
          outcome = excluded.outcome, error_kind = NULL, error_message = NULL, retryable = 0, attempts = 0,
          updated_at = excluded.updated_at, last_success_at = excluded.last_success_at,
          verified_at = COALESCE(excluded.verified_at, verified_at),
          source_at = CASE WHEN source_at IS NULL OR excluded.source_at > source_at
            THEN COALESCE(excluded.source_at, source_at) ELSE source_at END`),
      failure: s(`INSERT INTO entries (customer_key, target, phone, email, source_kind, source_id, outcome,
          error_kind, error_message, retryable, attempts, first_at, updated_at)
        VALUES (:customerKey, :target, :phone, :email, :sourceKind, :sourceId, 'failed', :kind, :message,
          :retryable, 1, :at, :at)
        ON CONFLICT (customer_key, target) DO UPDATE SET
          phone = COALESCE(excluded.phone, phone), email = COALESCE(excluded.email, email),
          source_kind = COALESCE(excluded.source_kind, source_kind),
          source_id = COALESCE(excluded.source_id, source_id),
          outcome = 'failed', error_kind = excluded.error_kind, error_message = excluded.error_message,
          retryable = excluded.retryable, attempts = attempts + 1, updated_at = excluded.updated_at`),
      event: s(`INSERT INTO events (customer_key, target, at, event, outcome, record_id, fields, error_kind,
          error_message, retryable)
        VALUES (:customerKey, :target, :at, :event, :outcome, :recordId, :fields, :kind, :message, :retryable)`),
      retryable: s(`SELECT * FROM entries WHERE retryable = 1 AND outcome = 'failed'
          AND (:target IS NULL OR target = :target) ORDER BY updated_at, customer_key, target`),
      history: s(`SELECT * FROM events WHERE customer_key IN (SELECT :who UNION
          SELECT customer_key FROM entries WHERE phone = :who OR email = :email)
        ORDER BY at DESC, id DESC`),
      forget: s(`UPDATE entries SET record_id = NULL, fields = '{}', mapping_digest = NULL,
          schema_digest = NULL, updated_at = :at WHERE customer_key = :customerKey AND target = :target`),
      recordWindow: s(`INSERT INTO windows (id, since, until, pages, covered_until, resume, updated_at)
        VALUES (:id, :since, :until, :pages, :coveredUntil, :resume, :at)
        ON CONFLICT (id) DO UPDATE SET since = excluded.since, until = excluded.until, pages = excluded.pages,
          covered_until = excluded.covered_until, resume = excluded.resume, updated_at = excluded.updated_at`),
      window: s('SELECT * FROM windows WHERE id = ?'),
      resetAll: s('DELETE FROM entries'),
      resetTarget: s('DELETE FROM entries WHERE target = ?'),
      resetWindows: s('DELETE FROM windows'),
    };
  }

  /** One write transaction; IMMEDIATE takes the write lock at once, so the busy timeout applies. */
  private transaction<T>(fn: () => T, durable = false): T {
    return this.guard(() => {
      if (durable) this.db.exec('PRAGMA synchronous = FULL');
      try {
        this.db.exec('BEGIN IMMEDIATE');
        try {
          const result = fn();
          this.db.exec('COMMIT');
          return result;
        } catch (e) {
          if (this.db.isTransaction) this.db.exec('ROLLBACK');
          throw e;
        }
      } finally {
        if (durable) this.db.exec('PRAGMA synchronous = NORMAL');
      }
    });
  }

  /** SQLite's errors as the taxonomy's, naming the file (a locked or damaged ledger stops the run). */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw usageError(this.file, e);
    }
  }

  private event(values: {
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
  }): void {
    this.statements.event.run({
      customerKey: values.customerKey,
      target: values.target,
      at: values.at,
      event: values.event,
      outcome: values.outcome ?? null,
      recordId: values.recordId ?? null,
      fields: values.written ? JSON.stringify(values.written) : null,
      kind: values.kind ?? null,
      message: values.message ?? null,
      retryable: values.retryable === undefined ? null : Number(values.retryable),
    });
  }

  async get(customerKey: string, target: string): Promise<LedgerEntry | undefined> {
    const row = this.guard(() => this.statements.get.get(customerKey, target));
    return row ? entryOf(row) : undefined;
  }

  async recordSuccess(r: SuccessRecord): Promise<void> {
    this.transaction(() => {
      this.statements.success.run({
        customerKey: r.customerKey,
        target: r.target,
        ...whoAndWhere(r),
        recordId: r.recordId ?? null,
        fields: JSON.stringify(r.fields),
        mappingDigest: r.mappingDigest,
        schemaDigest: r.schemaDigest,
        outcome: r.outcome,
        at: r.at,
        verifiedAt: r.verified ? r.at : null,
        sourceAt: r.sourceAt ?? null,
      });
      this.event({ ...r, event: 'success' });
    });
  }

  async recordFailure(r: FailureRecord): Promise<void> {
    this.transaction(() => {
      this.statements.failure.run({
        customerKey: r.customerKey,
        target: r.target,
        ...whoAndWhere(r),
        kind: r.kind,
        message: r.message,
        retryable: Number(r.retryable),
        at: r.at,
      });
      this.event({ ...r, event: 'failure', outcome: 'failed' });
    });
  }

  async retryable(target?: string): Promise<LedgerEntry[]> {
    return this.guard(() => this.statements.retryable.all({ target: target ?? null })).map(entryOf);
  }

  async history(who: string): Promise<LedgerEvent[]> {
    return this.guard(() => this.statements.history.all({ who, email: who.toLowerCase() })).map(eventOf);
  }

  async recordWindow(w: LedgerWindow): Promise<void> {
    this.transaction(() => {
      this.statements.recordWindow.run({
        id: w.id,
        since: w.since,
        until: w.until,
        pages: w.pages,
        coveredUntil: w.coveredUntil ?? null,
        resume: w.resume ?? null,
        at: new Date().toISOString(),
      });
    });
  }

  async window(id: string): Promise<LedgerWindow | undefined> {
    const row = this.guard(() => this.statements.window.get(id));
    return row ? windowOf(row) : undefined;
  }

  async forgetRecordId(customerKey: string, target: string): Promise<void> {
    const at = new Date().toISOString();
    this.transaction(() => {
      const { changes } = this.statements.forget.run({ customerKey, target, at });
      if (Number(changes) > 0) this.event({ customerKey, target, at, event: 'forget-record-id' });
    });
  }

  async reset(target?: string): Promise<number> {
    let dropped = 0;
    this.transaction(() => {
      const run = target ? this.statements.resetTarget.run(target) : this.statements.resetAll.run();
      dropped = Number(run.changes);
      this.statements.resetWindows.run();
    });
    return dropped;
  }

  async close(): Promise<void> {
    // Accepts queued for the next group commit are committed first (their callers wait for them).
    if (this.db.isOpen) await this.sqliteInbox.drain();
    if (this.db.isOpen) this.db.close();
  }
}
