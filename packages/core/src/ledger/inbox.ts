/**
 * The inbox: a durable queue of source events (Genesys Cloud notifications) in the ledger, for the
 * live sync (issue 12). The intake answers 202 once `accept` has resolved, as the events are then on
 * disk; a host then takes the subjects that are due (a burst of events for one conversation or
 * contact, quiet for a while or waiting too long) with `claimDue`, syncs each subject once from its
 * current state, and marks the events it took with `complete` (or gives the subject back with
 * `release` after a failure).
 *
 * - Exactly one effect per event id: an id seen before is a duplicate, also once processed, for as
 *   long as `prune` keeps it (a week by default: EventBridge re-delivers for up to a day).
 * - A subject is leased to one owner at a time (`claimDue` is atomic, also between processes sharing
 *   the ledger), so a subject's syncs never run concurrently; a lease that its owner neither completes
 *   nor releases (the process died) expires at its `leaseMs`, and the subject is due again.
 * - Events that arrive while a subject is leased stay pending: `complete` marks only the events of the
 *   batch, and the newcomers form the next one.
 *
 * Times are ISO 8601 strings; they are stored as `Date#toISOString()` gives them (a time in another
 * form is converted), so that they sort as text. Every type is plain data.
 */
import type { Timestamp } from './store.js';

/** How long the coalescing waits after a subject's last event (the quiet period). */
export const DEFAULT_INBOX_QUIET_MS = 2_000;
/** How long it waits at most after a subject's first pending event, however busy the subject is. */
export const DEFAULT_INBOX_MAX_WAIT_MS = 10_000;
/** How long processed events are kept, so that their ids are still recognised as duplicates. */
export const DEFAULT_INBOX_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** One event as the intake accepted it. */
export interface InboxEvent {
  /** The event's id (EventBridge's `id`, or a notification's correlation id): the duplicate check's key. */
  id: string;
  /** What one sync covers: the customer's key (a conversation, an external contact). */
  subjectKey: string;
  /** The source's topic (`v2.detail.events.conversation.{id}.attributes`, …). */
  topic: string;
  /** What the event says, in the intake's words (`attributes`, `customer-end`, `contact`, …). */
  kind: string;
  /** When the source says it happened. */
  eventTime: Timestamp;
  /** When the intake received it. */
  receivedAt: Timestamp;
}

/** An event as `recent` shows it: processed once a sync completed it. */
export interface InboxRecord extends InboxEvent {
  processedAt?: Timestamp;
}

export interface AcceptResult {
  /** Events new to the inbox, now pending. */
  accepted: number;
  /** Events whose id was seen before (pending or processed), or twice in this call: not queued again. */
  duplicates: number;
}

export interface ClaimOptions {
  now: Timestamp;
  /** A subject is due once its newest pending event was received at least this long ago… */
  quietMs: number;
  /** …or its oldest pending event at least this long ago. */
  maxWaitMs: number;
  /** At most this many subjects. */
  limit: number;
  /** The lease lasts until `now + leaseMs` (renew it for a longer sync). */
  leaseMs: number;
  /** Who takes the subjects: unique per process (or per worker), e.g. host, pid and a random part. */
  owner: string;
}

/** One due subject, leased to the claimer: its pending events at the time of the claim. */
export interface InboxBatch {
  subjectKey: string;
  /** The pending events' ids, oldest received first: what `complete` is to be given. */
  eventIds: string[];
  firstReceivedAt: Timestamp;
  lastReceivedAt: Timestamp;
  /** The latest `eventTime` of the batch (the lag of the sync is measured from it). */
  newestEventTime: Timestamp;
  /** Syncs of this subject that failed (`release`) since its last completed one. */
  attempts: number;
  /** The lease's end. */
  leaseUntil: Timestamp;
}

export interface ReleaseOptions {
  /** Not due again before this time (a back-off); due as the events say when absent. */
  retryAt?: Timestamp;
  /** What went wrong, kept for `depth`'s callers and the status. */
  error?: string;
}

export interface InboxDepth {
  /** Events accepted and not yet processed (including those of leased subjects). */
  pendingEvents: number;
  /** Subjects with pending events. */
  pendingSubjects: number;
  /** Subjects whose lease is live at `now` (a sync is running). */
  leasedSubjects: number;
  /** Subjects with pending events waiting for a `retryAt` after `now`. */
  retryingSubjects: number;
  /** When the oldest pending event was received. */
  oldestPendingReceivedAt?: Timestamp;
}

export interface NextDueOptions {
  now: Timestamp;
  quietMs: number;
  maxWaitMs: number;
}

export interface PruneOptions {
  /** Processed events received longer ago than this are forgotten (default a week). */
  keepMs?: number;
}

export interface Inbox {
  /**
   * Queues the events, all or none, in one transaction: when it resolves they are on disk (SQLite:
   * WAL, synchronous FULL; PostgreSQL: a committed transaction). Ids seen before are counted as
   * duplicates and left alone.
   */
  accept(events: readonly InboxEvent[]): Promise<AcceptResult>;
  /**
   * Leases the subjects due at `now` that no live lease holds and no `retryAt` holds back, the
   * oldest pending event first, to `owner` until `now + leaseMs`; one transaction, so two callers
   * (two processes) never get the same subject.
   */
  claimDue(options: ClaimOptions): Promise<InboxBatch[]>;
  /**
   * Marks these events of the subject processed (only these: events that arrived during the sync
   * stay pending) and ends `owner`'s lease, resetting the failed attempts. Events are marked even if
   * the lease was lost meanwhile (the sync did run); returns whether `owner` still held it.
   */
  complete(subjectKey: string, eventIds: readonly string[], owner: string): Promise<boolean>;
  /**
   * Gives `owner`'s lease back after a failed sync: one more attempt, not due before `retryAt`.
   * Returns false (and changes nothing) when `owner` no longer holds the lease.
   */
  release(subjectKey: string, owner: string, options?: ReleaseOptions): Promise<boolean>;
  /** Extends `owner`'s lease to `now + leaseMs`; false when `owner` no longer holds it. */
  renew(subjectKey: string, owner: string, options: { now: Timestamp; leaseMs: number }): Promise<boolean>;
  /** The queue's size at `now`, for metrics and the status command. */
  depth(now: Timestamp): Promise<InboxDepth>;
  /** The last `limit` events accepted, newest first, with when they were processed. */
  recent(limit: number): Promise<InboxRecord[]>;
  /**
   * When the next subject becomes due (at or before `now` if one already is), or undefined when
   * nothing is pending. A subject held by a lease or a `retryAt` counts from the end of that; as a
   * lease may end early (`complete`), a host also looks again after its own completes, and now and
   * then (another process may accept or complete).
   */
  nextDue(options: NextDueOptions): Promise<Timestamp | undefined>;
  /** Forgets processed events received before `now - keepMs`; returns how many. */
  prune(now: Timestamp, options?: PruneOptions): Promise<number>;
}
