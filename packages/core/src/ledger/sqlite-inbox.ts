/**
 * The inbox (inbox.ts) in the SQLite ledger: tables `inbox_events` (every event, pending until a sync
 * completes it, kept a while after as the duplicate check's memory) and `inbox_subjects` (per subject
 * with pending events: their count and receive times, the lease and the failed attempts). Every write
 * is one `BEGIN IMMEDIATE` transaction, so a claim is atomic also between processes sharing the file.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
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

/** The ledger's transaction and error mapping (sqlite.ts), lent to the inbox. */
export interface SqliteAccess {
  /** `durable`: synced to disk before it returns (synchronous FULL), as a 202 promises. */
  transaction<T>(fn: () => T, durable?: boolean): T;
  guard<T>(fn: () => T): T;
}

/** A subject that may be claimed at :now: pending events, and neither a live lease nor a back-off. */
const FREE = `pending > 0 AND (lease_until IS NULL OR lease_until <= :now) AND (retry_at IS NULL OR retry_at <= :now)`;

function prepare(db: DatabaseSync) {
  const s = (sql: string): StatementSync => db.prepare(sql);
  return {
    insert: s(`INSERT INTO inbox_events (id, subject_key, topic, kind, event_time, received_at)
        VALUES (:id, :subjectKey, :topic, :kind, :eventTime, :receivedAt) ON CONFLICT (id) DO NOTHING`),
    // min() and max() of two values are NULL if either is: a subject whose events were all processed
    // has no receive times.
    subject:
      s(`INSERT INTO inbox_subjects (subject_key, pending, first_received_at, last_received_at, updated_at)
        VALUES (:subjectKey, 1, :receivedAt, :receivedAt, :at)
        ON CONFLICT (subject_key) DO UPDATE SET pending = pending + 1,
          first_received_at = coalesce(min(first_received_at, excluded.first_received_at), excluded.first_received_at),
          last_received_at = coalesce(max(last_received_at, excluded.last_received_at), excluded.last_received_at),
          updated_at = excluded.updated_at`),
    due: s(`SELECT subject_key FROM inbox_subjects WHERE ${FREE}
          AND (last_received_at <= :quietBefore OR first_received_at <= :maxWaitBefore)
        ORDER BY first_received_at, subject_key LIMIT :limit`),
    lease: s(`UPDATE inbox_subjects SET lease_owner = :owner, lease_until = :leaseUntil, updated_at = :now
        WHERE subject_key = :subjectKey RETURNING subject_key, attempts, lease_until`),
    pendingOf: s(`SELECT id, received_at, event_time FROM inbox_events
        WHERE subject_key = ? AND processed_at IS NULL ORDER BY received_at, seq`),
    process: s(`UPDATE inbox_events SET processed_at = :at
        WHERE id = :id AND subject_key = :subjectKey AND processed_at IS NULL`),
    owner: s('SELECT lease_owner FROM inbox_subjects WHERE subject_key = ?'),
    // Counted again from the events rather than decremented: the subject's row can never drift.
    completeSubject: s(`UPDATE inbox_subjects SET
          pending = (SELECT count(*) FROM inbox_events WHERE subject_key = :subjectKey AND processed_at IS NULL),
          first_received_at = (SELECT min(received_at) FROM inbox_events
            WHERE subject_key = :subjectKey AND processed_at IS NULL),
          last_received_at = (SELECT max(received_at) FROM inbox_events
            WHERE subject_key = :subjectKey AND processed_at IS NULL),
          lease_owner = CASE WHEN lease_owner = :owner THEN NULL ELSE lease_owner END,
          lease_until = CASE WHEN lease_owner = :owner THEN NULL ELSE lease_until END,
          attempts = 0, retry_at = NULL, error = NULL, updated_at = :at
        WHERE subject_key = :subjectKey`),
    dropIdle: s(`DELETE FROM inbox_subjects WHERE subject_key = ? AND pending = 0 AND lease_owner IS NULL`),
    release: s(`UPDATE inbox_subjects SET lease_owner = NULL, lease_until = NULL, attempts = attempts + 1,
          retry_at = :retryAt, error = :error, updated_at = :at
        WHERE subject_key = :subjectKey AND lease_owner = :owner`),
    renew: s(`UPDATE inbox_subjects SET lease_until = :leaseUntil, updated_at = :at
        WHERE subject_key = :subjectKey AND lease_owner = :owner`),
    depth: s(`SELECT coalesce(sum(pending), 0) AS pending_events,
          coalesce(sum(pending > 0), 0) AS pending_subjects,
          coalesce(sum(lease_until > :now), 0) AS leased_subjects,
          coalesce(sum(pending > 0 AND retry_at > :now), 0) AS retrying_subjects,
          min(CASE WHEN pending > 0 THEN first_received_at END) AS oldest
        FROM inbox_subjects`),
    recent: s('SELECT * FROM inbox_events ORDER BY seq DESC LIMIT ?'),
    nextFree: s(`SELECT min(last_received_at) AS last, min(first_received_at) AS first
        FROM inbox_subjects WHERE ${FREE}`),
    nextHeld: s(`SELECT min(CASE WHEN coalesce(lease_until, '') > coalesce(retry_at, '') THEN lease_until
            ELSE retry_at END) AS until
        FROM inbox_subjects WHERE pending > 0 AND NOT (${FREE})`),
    prune: s('DELETE FROM inbox_events WHERE processed_at IS NOT NULL AND received_at < ?'),
    pruneSubjects: s(
      `DELETE FROM inbox_subjects WHERE pending = 0 AND (lease_until IS NULL OR lease_until <= ?)`,
    ),
  };
}

export class SqliteInbox implements Inbox {
  private readonly s: ReturnType<typeof prepare>;
  private readonly group = new GroupCommit((calls) => this.acceptGroup(calls));

  constructor(
    db: DatabaseSync,
    private readonly access: SqliteAccess,
  ) {
    this.s = prepare(db);
  }

  async accept(events: readonly InboxEvent[]): Promise<AcceptResult> {
    const unique = checkEvents(events);
    const accepted = unique.length > 0 ? await this.group.add(unique) : 0;
    return { accepted, duplicates: events.length - accepted };
  }

  /** One transaction for a group of accept calls (GroupCommit): each call's count of new events. */
  private acceptGroup(calls: InboxEvent[][]): number[] {
    const at = new Date().toISOString();
    return this.access.transaction(
      () =>
        calls.map((events) => {
          let accepted = 0;
          for (const e of events) {
            if (Number(this.s.insert.run({ ...e }).changes) === 0) continue;
            this.s.subject.run({ subjectKey: e.subjectKey, receivedAt: e.receivedAt, at });
            accepted++;
          }
          return accepted;
        }),
      true,
    );
  }

  /** Commits the accepts still queued (the ledger calls it before closing the database). */
  drain(): Promise<void> {
    return this.group.drain();
  }

  async claimDue(options: ClaimOptions): Promise<InboxBatch[]> {
    const t = claimTimes(options);
    return this.access.transaction(() => {
      const due = this.s.due.all({
        now: t.now,
        quietBefore: t.quietBefore,
        maxWaitBefore: t.maxWaitBefore,
        limit: t.limit,
      });
      const batches: InboxBatch[] = [];
      for (const row of due) {
        const subjectKey = String(row.subject_key);
        const subject = this.s.lease.get({
          owner: t.owner,
          leaseUntil: t.leaseUntil,
          now: t.now,
          subjectKey,
        });
        const events = this.s.pendingOf.all(subjectKey);
        if (subject && events.length > 0) batches.push(batchOf(subject, events));
      }
      return batches;
    });
  }

  async complete(subjectKey: string, eventIds: readonly string[], owner: string): Promise<boolean> {
    const at = new Date().toISOString();
    return this.access.transaction(() => {
      const held = this.s.owner.get(subjectKey)?.lease_owner === owner;
      for (const id of new Set(eventIds)) this.s.process.run({ id, subjectKey, at });
      this.s.completeSubject.run({ subjectKey, owner, at });
      this.s.dropIdle.run(subjectKey);
      return held;
    });
  }

  async release(subjectKey: string, owner: string, options: ReleaseOptions = {}): Promise<boolean> {
    const retryAt = options.retryAt === undefined ? null : isoTime(options.retryAt, 'retryAt');
    const at = new Date().toISOString();
    return this.access.transaction(
      () =>
        Number(this.s.release.run({ subjectKey, owner, retryAt, error: options.error ?? null, at }).changes) >
        0,
    );
  }

  async renew(
    subjectKey: string,
    owner: string,
    options: { now: string; leaseMs: number },
  ): Promise<boolean> {
    const until = leaseUntil(options);
    const at = new Date().toISOString();
    return this.access.transaction(
      () => Number(this.s.renew.run({ subjectKey, owner, leaseUntil: until, at }).changes) > 0,
    );
  }

  async depth(now: string): Promise<InboxDepth> {
    const at = isoTime(now, 'now');
    const r = this.access.guard(() => this.s.depth.get({ now: at }));
    return depthOf(r ?? {});
  }

  async recent(limit: number): Promise<InboxRecord[]> {
    const n = checkLimit(limit);
    return this.access.guard(() => this.s.recent.all(n)).map(recordOf);
  }

  async nextDue(options: NextDueOptions): Promise<string | undefined> {
    const t = nextDueTimes(options);
    return this.access.guard(() => {
      const free = this.s.nextFree.get({ now: t.now });
      const held = this.s.nextHeld.get({ now: t.now })?.until;
      return nextDueOf({ last: free?.last, first: free?.first }, held, t);
    });
  }

  async prune(now: string, options: PruneOptions = {}): Promise<number> {
    const before = keepBefore(now, options.keepMs ?? DEFAULT_INBOX_RETENTION_MS);
    const at = isoTime(now, 'now');
    return this.access.transaction(() => {
      const { changes } = this.s.prune.run(before);
      this.s.pruneSubjects.run(at);
      return Number(changes);
    });
  }
}
