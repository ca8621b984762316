/**
 * What both inbox backends share: the checks of what callers hand over (times in the one form that
 * sorts as text), and rows as the inbox's plain data.
 */
import type {
  ClaimOptions,
  InboxBatch,
  InboxDepth,
  InboxEvent,
  InboxRecord,
  NextDueOptions,
} from './inbox.js';
import type { Row } from './rows.js';

/** `value` as `Date#toISOString()` writes it, or a TypeError naming `what`. */
export function isoTime(value: unknown, what: string): string {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`${what} is not an ISO 8601 time: ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

/** `iso` moved by `ms` milliseconds. */
export const shifted = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

function duration(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new TypeError(`${what} must be a number of milliseconds (0 or more), not ${String(value)}`);
  return value;
}

function text(value: unknown, what: string, nonEmpty: boolean): string {
  if (typeof value !== 'string' || (nonEmpty && value === ''))
    throw new TypeError(
      `${what} must be a${nonEmpty ? ' non-empty' : ''} string, not ${JSON.stringify(value)}`,
    );
  return value;
}

/**
 * The events checked, with their times normalised, and without the repeats of an id within the call
 * (counted as duplicates by the caller: the batch is queued once).
 */
export function checkEvents(events: readonly InboxEvent[]): InboxEvent[] {
  if (!Array.isArray(events)) throw new TypeError('accept takes an array of events');
  const seen = new Set<string>();
  const unique: InboxEvent[] = [];
  for (const [i, e] of events.entries()) {
    const at = `event ${i}`;
    if (typeof e !== 'object' || e === null) throw new TypeError(`${at} is not an object`);
    const event: InboxEvent = {
      id: text(e.id, `${at}: id`, true),
      subjectKey: text(e.subjectKey, `${at}: subjectKey`, true),
      topic: text(e.topic, `${at}: topic`, false),
      kind: text(e.kind, `${at}: kind`, false),
      eventTime: isoTime(e.eventTime, `${at}: eventTime`),
      receivedAt: isoTime(e.receivedAt, `${at}: receivedAt`),
    };
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    unique.push(event);
  }
  return unique;
}

/** The claim's options checked, with the times it compares against. */
export function claimTimes(o: ClaimOptions) {
  const now = isoTime(o.now, 'now');
  if (!Number.isInteger(o.limit) || o.limit < 1)
    throw new TypeError(`limit must be a whole number ≥ 1, not ${o.limit}`);
  return {
    now,
    quietBefore: shifted(now, -duration(o.quietMs, 'quietMs')),
    maxWaitBefore: shifted(now, -duration(o.maxWaitMs, 'maxWaitMs')),
    leaseUntil: shifted(now, duration(o.leaseMs, 'leaseMs')),
    owner: text(o.owner, 'owner', true),
    limit: o.limit,
  };
}

export function nextDueTimes(o: NextDueOptions) {
  return {
    now: isoTime(o.now, 'now'),
    quietMs: duration(o.quietMs, 'quietMs'),
    maxWaitMs: duration(o.maxWaitMs, 'maxWaitMs'),
  };
}

export function leaseUntil(o: { now: string; leaseMs: number }): string {
  return shifted(isoTime(o.now, 'now'), duration(o.leaseMs, 'leaseMs'));
}

export function keepBefore(now: string, keepMs: number): string {
  return shifted(isoTime(now, 'now'), -duration(keepMs, 'keepMs'));
}

export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0)
    throw new TypeError(`limit must be a whole number ≥ 0, not ${limit}`);
  return limit;
}

/**
 * The earliest time among: the free subjects' due times (the earliest of last received + quiet and
 * first received + max wait), and the ends of the leases and back-offs holding the others.
 */
export function nextDueOf(
  free: { last: unknown; first: unknown },
  heldUntil: unknown,
  o: { quietMs: number; maxWaitMs: number },
): string | undefined {
  const times: string[] = [];
  if (free.last != null) times.push(shifted(String(free.last), o.quietMs));
  if (free.first != null) times.push(shifted(String(free.first), o.maxWaitMs));
  if (heldUntil != null) times.push(String(heldUntil));
  // ISO times of one form: the earliest sorts first as text.
  return times.sort()[0];
}

/** A subject's claimed row and its pending events' rows (in the order received) as a batch. */
export function batchOf(subject: Row, events: Row[]): InboxBatch {
  let newest = String(events[0]?.event_time);
  for (const e of events) if (String(e.event_time) > newest) newest = String(e.event_time);
  return {
    subjectKey: String(subject.subject_key),
    eventIds: events.map((e) => String(e.id)),
    firstReceivedAt: String(events[0]?.received_at),
    lastReceivedAt: String(events[events.length - 1]?.received_at),
    newestEventTime: newest,
    attempts: Number(subject.attempts),
    leaseUntil: String(subject.lease_until),
  };
}

export function recordOf(r: Row): InboxRecord {
  const record: InboxRecord = {
    id: String(r.id),
    subjectKey: String(r.subject_key),
    topic: String(r.topic),
    kind: String(r.kind),
    eventTime: String(r.event_time),
    receivedAt: String(r.received_at),
  };
  if (r.processed_at != null) record.processedAt = String(r.processed_at);
  return record;
}

/** The depth query's row (the same column names in both backends). */
export function depthOf(r: Row): InboxDepth {
  const depth: InboxDepth = {
    pendingEvents: Number(r.pending_events ?? 0),
    pendingSubjects: Number(r.pending_subjects ?? 0),
    leasedSubjects: Number(r.leased_subjects ?? 0),
    retryingSubjects: Number(r.retrying_subjects ?? 0),
  };
  if (r.oldest != null) depth.oldestPendingReceivedAt = String(r.oldest);
  return depth;
}

/** The real setImmediate, taken before a test's fake timers could replace it. */
const nextTurn = setImmediate;

interface Waiting {
  events: InboxEvent[];
  resolve: (accepted: number) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for `accept`: the calls made in one turn of the event loop (the requests the intake
 * read together), and those made while a commit is under way, share the next transaction, so that a
 * synced commit (a few milliseconds on a disk) is paid once per group rather than once per call.
 * Each call stays all-or-nothing and resolves only after the commit that holds its events.
 * `commit` gets the calls' events (no id twice across them) and returns each call's count of new ones.
 */
export class GroupCommit {
  private queue: Waiting[] = [];
  private running: Promise<void> | undefined;
  private scheduled = false;

  constructor(private readonly commit: (calls: InboxEvent[][]) => number[] | Promise<number[]>) {}

  /** Queues the events (checked, without repeated ids) and resolves with how many were new. */
  add(events: InboxEvent[]): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      if (!this.scheduled && !this.running) {
        this.scheduled = true;
        nextTurn(() => {
          this.scheduled = false;
          void this.run();
        });
      }
    });
  }

  /** Commits what is queued, now (before the database closes). */
  async drain(): Promise<void> {
    while (this.running || this.queue.length > 0) await (this.running ?? this.run());
  }

  private run(): Promise<void> {
    if (this.running || this.queue.length === 0) return this.running ?? Promise.resolve();
    const group = this.queue.splice(0);
    this.running = (async () => {
      try {
        // An id in two calls of the group is the first one's; the later call counts it a duplicate.
        const seen = new Set<string>();
        const calls = group.map((w) => w.events.filter((e) => !seen.has(e.id) && seen.add(e.id)));
        const counts = await this.commit(calls);
        for (const [i, w] of group.entries()) w.resolve(counts[i] ?? 0);
      } catch (e) {
        for (const w of group) w.reject(e);
      } finally {
        this.running = undefined;
        // What came while this commit ran is the next group.
        if (this.queue.length > 0) void this.run();
      }
    })();
    return this.running;
  }
}
