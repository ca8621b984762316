/**
 * The inbox (inbox.ts) in the PostgreSQL ledger: tables `cx_ledger_inbox_events` and
 * `cx_ledger_inbox_subjects`, as in SQLite (sqlite-inbox.ts).
 *
 * Concurrency: `accept` is one statement per group of calls (GroupCommit), inserting the events,
 * then counting them into their subjects' rows, each in key order so that two accepts never deadlock; `claimDue` is one statement
 * that locks the due subjects' rows with FOR UPDATE SKIP LOCKED (a row another claim is taking is
 * skipped, and a row leased meanwhile fails the re-check of the WHERE), so two workers never lease one
 * subject; `complete` locks the subject's row first, then counts its pending events again under it,
 * so that an accept committing meanwhile adds to the new count rather than being lost.
 */
import {
  type AcceptResult,
  type ClaimOptions,
  DEFAULT_INBOX_RETENTION_MS,
  type Inbox,
  type InboxBatch,
  type InboxDepth,
  type InboxEvent,
  type InboxRecord,
  type NextDueOptions,
  type PruneOptions,
  type ReleaseOptions,
} from './inbox.js';
import {
  batchOf,
  checkEvents,
  checkLimit,
  claimTimes,
  depthOf,
  GroupCommit,
  isoTime,
  keepBefore,
  leaseUntil,
  nextDueOf,
  nextDueTimes,
  recordOf,
} from './inbox-rows.js';
import type { Row } from './rows.js';

/** One statement's client inside a transaction: the ledger's (postgres.ts). */
export interface PostgresClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
}

/** The ledger's pool access and error mapping, lent to the inbox. */
export interface PostgresAccess {
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  transaction<T>(fn: (client: PostgresClient) => Promise<T>): Promise<T>;
}

/** A subject that may be claimed at $1: pending events, and neither a live lease nor a back-off. */
const FREE = `pending > 0 AND (lease_until IS NULL OR lease_until <= $1) AND (retry_at IS NULL OR retry_at <= $1)`;

const ACCEPT = `WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
      AS t (id, subject_key, topic, kind, event_time, received_at)
  ), inserted AS (
    INSERT INTO cx_ledger_inbox_events (id, subject_key, topic, kind, event_time, received_at)
    SELECT id, subject_key, topic, kind, event_time, received_at FROM input ORDER BY id
    ON CONFLICT (id) DO NOTHING
    RETURNING id, subject_key, received_at
  ), subjects AS (
    INSERT INTO cx_ledger_inbox_subjects AS s (subject_key, pending, first_received_at, last_received_at, updated_at)
    SELECT subject_key, count(*), min(received_at), max(received_at), $7 FROM inserted
    GROUP BY subject_key ORDER BY subject_key
    ON CONFLICT (subject_key) DO UPDATE SET pending = s.pending + excluded.pending,
      first_received_at = LEAST(s.first_received_at, excluded.first_received_at),
      last_received_at = GREATEST(s.last_received_at, excluded.last_received_at),
      updated_at = excluded.updated_at
    RETURNING 1
  )
  SELECT id FROM inserted`;

// $1 now, $2 quiet before, $3 max wait before, $4 limit, $5 owner, $6 lease until.
const CLAIM = `WITH due AS (
    SELECT subject_key FROM cx_ledger_inbox_subjects
    WHERE ${FREE} AND (last_received_at <= $2 OR first_received_at <= $3)
    ORDER BY first_received_at, subject_key LIMIT $4
    FOR UPDATE SKIP LOCKED
  ), leased AS (
    UPDATE cx_ledger_inbox_subjects s SET lease_owner = $5, lease_until = $6, updated_at = $1
    FROM due WHERE s.subject_key = due.subject_key
    RETURNING s.subject_key, s.attempts, s.lease_until, s.first_received_at
  )
  SELECT l.subject_key, l.attempts, l.lease_until, e.id, e.received_at, e.event_time
  FROM leased l JOIN cx_ledger_inbox_events e ON e.subject_key = l.subject_key AND e.processed_at IS NULL
  ORDER BY l.first_received_at, l.subject_key, e.received_at, e.seq`;

const PENDING_OF = 'FROM cx_ledger_inbox_events WHERE subject_key = $1 AND processed_at IS NULL';

export class PostgresInbox implements Inbox {
  private readonly group = new GroupCommit((calls) => this.acceptGroup(calls));

  constructor(private readonly db: PostgresAccess) {}

  /** Commits the accepts still queued (the ledger calls it before closing the pool). */
  drain(): Promise<void> {
    return this.group.drain();
  }

  async accept(events: readonly InboxEvent[]): Promise<AcceptResult> {
    const unique = checkEvents(events);
    const accepted = unique.length > 0 ? await this.group.add(unique) : 0;
    return { accepted, duplicates: events.length - accepted };
  }

  /** One statement for a group of accept calls (GroupCommit): each call's count of new events. */
  private async acceptGroup(calls: InboxEvent[][]): Promise<number[]> {
    const all = calls.flat();
    const column = (f: keyof InboxEvent) => all.map((e) => e[f]);
    const rows = await this.db.query(ACCEPT, [
      column('id'),
      column('subjectKey'),
      column('topic'),
      column('kind'),
      column('eventTime'),
      column('receivedAt'),
      new Date().toISOString(),
    ]);
    const inserted = new Set(rows.map((r) => String(r.id)));
    return calls.map((events) => events.filter((e) => inserted.has(e.id)).length);
  }

  async claimDue(options: ClaimOptions): Promise<InboxBatch[]> {
    const t = claimTimes(options);
    const rows = await this.db.query(CLAIM, [
      t.now,
      t.quietBefore,
      t.maxWaitBefore,
      t.limit,
      t.owner,
      t.leaseUntil,
    ]);
    const bySubject = new Map<string, Row[]>();
    for (const r of rows) {
      const key = String(r.subject_key);
      const list = bySubject.get(key);
      if (list) list.push(r);
      else bySubject.set(key, [r]);
    }
    return [...bySubject.values()].map((events) => batchOf(events[0] as Row, events));
  }

  async complete(subjectKey: string, eventIds: readonly string[], owner: string): Promise<boolean> {
    const at = new Date().toISOString();
    return this.db.transaction(async (c) => {
      const { rows } = await c.query(
        'SELECT lease_owner FROM cx_ledger_inbox_subjects WHERE subject_key = $1 FOR UPDATE',
        [subjectKey],
      );
      await c.query(
        `UPDATE cx_ledger_inbox_events SET processed_at = $3
          WHERE subject_key = $1 AND id = ANY ($2::text[]) AND processed_at IS NULL`,
        [subjectKey, [...new Set(eventIds)], at],
      );
      // A statement of its own: it must see the events just marked (a statement's snapshot would not).
      await c.query(
        `UPDATE cx_ledger_inbox_subjects SET
            pending = (SELECT count(*) ${PENDING_OF}),
            first_received_at = (SELECT min(received_at) ${PENDING_OF}),
            last_received_at = (SELECT max(received_at) ${PENDING_OF}),
            lease_owner = CASE WHEN lease_owner = $2 THEN NULL ELSE lease_owner END,
            lease_until = CASE WHEN lease_owner = $2 THEN NULL ELSE lease_until END,
            attempts = 0, retry_at = NULL, error = NULL, updated_at = $3
          WHERE subject_key = $1`,
        [subjectKey, owner, at],
      );
      await c.query(
        'DELETE FROM cx_ledger_inbox_subjects WHERE subject_key = $1 AND pending = 0 AND lease_owner IS NULL',
        [subjectKey],
      );
      return rows[0]?.lease_owner === owner;
    });
  }

  async release(subjectKey: string, owner: string, options: ReleaseOptions = {}): Promise<boolean> {
    const retryAt = options.retryAt === undefined ? null : isoTime(options.retryAt, 'retryAt');
    const rows = await this.db.query(
      `UPDATE cx_ledger_inbox_subjects SET lease_owner = NULL, lease_until = NULL, attempts = attempts + 1,
          retry_at = $3, error = $4, updated_at = $5
        WHERE subject_key = $1 AND lease_owner = $2 RETURNING 1`,
      [subjectKey, owner, retryAt, options.error ?? null, new Date().toISOString()],
    );
    return rows.length > 0;
  }

  async renew(
    subjectKey: string,
    owner: string,
    options: { now: string; leaseMs: number },
  ): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE cx_ledger_inbox_subjects SET lease_until = $3, updated_at = $4
        WHERE subject_key = $1 AND lease_owner = $2 RETURNING 1`,
      [subjectKey, owner, leaseUntil(options), new Date().toISOString()],
    );
    return rows.length > 0;
  }

  async depth(now: string): Promise<InboxDepth> {
    const rows = await this.db.query(
      `SELECT coalesce(sum(pending), 0)::int AS pending_events,
          count(*) FILTER (WHERE pending > 0)::int AS pending_subjects,
          count(*) FILTER (WHERE lease_until > $1)::int AS leased_subjects,
          count(*) FILTER (WHERE pending > 0 AND retry_at > $1)::int AS retrying_subjects,
          min(first_received_at) FILTER (WHERE pending > 0) AS oldest
        FROM cx_ledger_inbox_subjects`,
      [isoTime(now, 'now')],
    );
    return depthOf(rows[0] ?? {});
  }

  async recent(limit: number): Promise<InboxRecord[]> {
    const rows = await this.db.query('SELECT * FROM cx_ledger_inbox_events ORDER BY seq DESC LIMIT $1', [
      checkLimit(limit),
    ]);
    return rows.map(recordOf);
  }

  async nextDue(options: NextDueOptions): Promise<string | undefined> {
    const t = nextDueTimes(options);
    const rows = await this.db.query(
      `SELECT min(last_received_at) FILTER (WHERE ${FREE}) AS last,
          min(first_received_at) FILTER (WHERE ${FREE}) AS first,
          min(GREATEST(lease_until, retry_at)) FILTER (WHERE NOT (${FREE})) AS until
        FROM cx_ledger_inbox_subjects WHERE pending > 0`,
      [t.now],
    );
    const r = rows[0] ?? {};
    return nextDueOf({ last: r.last, first: r.first }, r.until, t);
  }

  async prune(now: string, options: PruneOptions = {}): Promise<number> {
    const before = keepBefore(now, options.keepMs ?? DEFAULT_INBOX_RETENTION_MS);
    const at = isoTime(now, 'now');
    return this.db.transaction(async (c) => {
      const { rowCount } = await c.query(
        'DELETE FROM cx_ledger_inbox_events WHERE processed_at IS NOT NULL AND received_at < $1',
        [before],
      );
      await c.query(
        `DELETE FROM cx_ledger_inbox_subjects WHERE pending = 0 AND (lease_until IS NULL OR lease_until <= $1)`,
        [at],
      );
      return rowCount ?? 0;
    });
  }
}
