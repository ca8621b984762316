/**
 * Coalescing: the events of one subject (a conversation, an external contact) that come in a burst
 * (an IVR sets attributes one by one) make one sync of it. A subject is due once it has been quiet
 * for `quietMs` since its last event, or `maxWaitMs` after its first, however busy it stays.
 *
 * `dueSubjects` is the rule over plain rows (a durable inbox's, for one); `Coalescer` keeps the rows
 * in memory, with a bounded memory of event keys to drop repeats. Times are milliseconds of any
 * clock the host keeps steady (`Date.now()`, `performance.now()`).
 */
import { ConfigurationError } from '../../../errors/errors.js';
import { type GenesysEvent, type GenesysEventKind, type GenesysEventSubject, subjectKey } from './types.js';

export interface CoalescePolicy {
  /** Due this long after the subject's last event (default 2 s). */
  quietMs: number;
  /** Due at the latest this long after its first pending event (default 10 s). */
  maxWaitMs: number;
}

export const DEFAULT_COALESCE_POLICY: Readonly<CoalescePolicy> = { quietMs: 2_000, maxWaitMs: 10_000 };

/** What the rule needs of a pending subject. */
export interface PendingSubjectRow {
  subjectKey: string;
  /** When its first pending event arrived. */
  firstAt: number;
  /** When its last event arrived. */
  lastAt: number;
}

/** When a pending subject becomes due. */
export function subjectDueAt(
  row: PendingSubjectRow,
  policy: CoalescePolicy = DEFAULT_COALESCE_POLICY,
): number {
  return Math.min(row.lastAt + policy.quietMs, row.firstAt + policy.maxWaitMs);
}

/** The rows due at `nowMs`, the earliest due first (then by key, so the order is stable). */
export function dueSubjects<R extends PendingSubjectRow>(
  rows: Iterable<R>,
  nowMs: number,
  policy: CoalescePolicy = DEFAULT_COALESCE_POLICY,
): R[] {
  const due: [number, R][] = [];
  for (const row of rows) {
    const at = subjectDueAt(row, policy);
    if (at <= nowMs) due.push([at, row]);
  }
  due.sort(
    ([a, x], [b, y]) => a - b || (x.subjectKey < y.subjectKey ? -1 : x.subjectKey > y.subjectKey ? 1 : 0),
  );
  return due.map(([, row]) => row);
}

/** When the first of the rows becomes due, or undefined for none. */
export function nextDueAt(
  rows: Iterable<PendingSubjectRow>,
  policy: CoalescePolicy = DEFAULT_COALESCE_POLICY,
): number | undefined {
  let next: number | undefined;
  for (const row of rows) {
    const at = subjectDueAt(row, policy);
    if (next === undefined || at < next) next = at;
  }
  return next;
}

export function checkCoalescePolicy(policy: Partial<CoalescePolicy> = {}): CoalescePolicy {
  const p: CoalescePolicy = {
    quietMs: policy.quietMs ?? DEFAULT_COALESCE_POLICY.quietMs,
    maxWaitMs: policy.maxWaitMs ?? DEFAULT_COALESCE_POLICY.maxWaitMs,
  };
  for (const [k, v] of Object.entries(p)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new ConfigurationError(`coalescing ${k} must be a number of milliseconds (0 or more)`);
  }
  return p;
}

/** One due subject: sync it once, from its current state. */
export interface SubjectBatch extends PendingSubjectRow {
  subject: GenesysEventSubject;
  /** The ids of its events, in arrival order (events without an id are only counted). */
  eventIds: string[];
  eventCount: number;
  /** The kinds seen, for logs and metrics. */
  kinds: Exclude<GenesysEventKind, 'ignored'>[];
  /** The latest `eventTime` among its events (the sync's lag is measured from it), if any had one. */
  newestEventTime?: string;
}

export type AddOutcome =
  /** Pending: part of its subject's next batch. */
  | 'added'
  /** A repeat of an event seen within the memory's window: dropped. */
  | 'duplicate'
  /** A topic the sync does not use: nothing to do. */
  | 'ignored';

export interface CoalescerOptions extends Partial<CoalescePolicy> {
  /** How long an event's keys are remembered to drop repeats (default an hour). */
  dedupeWindowMs?: number;
  /** At most this many keys are remembered, the oldest forgotten first (default 100,000). */
  maxRememberedKeys?: number;
}

/**
 * Pending subjects in memory. Not durable: a process that must not lose events keeps them in the
 * ledger's inbox and runs `dueSubjects` over its rows instead.
 */
export class Coalescer {
  readonly policy: CoalescePolicy;
  readonly dedupeWindowMs: number;
  readonly maxRememberedKeys: number;
  readonly #pending = new Map<string, SubjectBatch>();
  /** Event key → when it was seen; a Map keeps insertion order, so the oldest come first. */
  readonly #seen = new Map<string, number>();

  constructor(options: CoalescerOptions = {}) {
    this.policy = checkCoalescePolicy(options);
    this.dedupeWindowMs = options.dedupeWindowMs ?? 60 * 60 * 1000;
    this.maxRememberedKeys = options.maxRememberedKeys ?? 100_000;
    if (!(this.dedupeWindowMs >= 0) || !(this.maxRememberedKeys >= 0))
      throw new ConfigurationError('the coalescer dedupeWindowMs and maxRememberedKeys must be 0 or more');
  }

  /** Takes one event at `nowMs`. */
  add(event: GenesysEvent, nowMs: number): { outcome: AddOutcome; duplicate: boolean; subjectKey?: string } {
    if (event.kind === 'ignored') return { outcome: 'ignored', duplicate: false };
    const key = subjectKey(event.subject);
    this.#forget(nowMs);
    const duplicate = event.dedupeKeys.some((k) => this.#seen.has(k));
    // A repeat may bring a key not seen yet (a new EventBridge id with a known CorrelationId).
    for (const k of event.dedupeKeys) {
      this.#seen.delete(k);
      this.#seen.set(k, nowMs);
    }
    this.#forget(nowMs);
    if (duplicate) return { outcome: 'duplicate', duplicate: true, subjectKey: key };

    let batch = this.#pending.get(key);
    if (!batch) {
      batch = {
        subjectKey: key,
        subject: event.subject,
        firstAt: nowMs,
        lastAt: nowMs,
        eventIds: [],
        eventCount: 0,
        kinds: [],
      };
      this.#pending.set(key, batch);
    }
    batch.lastAt = Math.max(batch.lastAt, nowMs);
    batch.eventCount += 1;
    if (event.id !== undefined) batch.eventIds.push(event.id);
    if (!batch.kinds.includes(event.kind)) batch.kinds.push(event.kind);
    if (
      event.eventTime !== undefined &&
      (batch.newestEventTime === undefined || event.eventTime > batch.newestEventTime)
    )
      batch.newestEventTime = event.eventTime;
    return { outcome: 'added', duplicate: false, subjectKey: key };
  }

  /** The subjects due at `nowMs`, taken out (their next events start a new batch). */
  due(nowMs: number): SubjectBatch[] {
    const due = dueSubjects(this.#pending.values(), nowMs, this.policy);
    for (const batch of due) this.#pending.delete(batch.subjectKey);
    return due;
  }

  /** Every pending subject, taken out, due or not (a host finishing what it accepted). */
  drain(): SubjectBatch[] {
    const all = [...this.#pending.values()];
    this.#pending.clear();
    return all;
  }

  /** When the next subject becomes due, for the host's timer; undefined when none is pending. */
  nextDeadline(): number | undefined {
    return nextDueAt(this.#pending.values(), this.policy);
  }

  get pendingSubjects(): number {
    return this.#pending.size;
  }

  get rememberedKeys(): number {
    return this.#seen.size;
  }

  #forget(nowMs: number): void {
    for (const [k, at] of this.#seen) {
      if (this.#seen.size <= this.maxRememberedKeys && nowMs - at <= this.dedupeWindowMs) break;
      this.#seen.delete(k);
    }
  }
}
