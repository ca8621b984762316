/**
 * One customer's sync on one target, in two steps that every host calls: `planTarget` (convert,
 * find, compare: a plain-data plan that can cross a process or a Temporal history) and `applyPlan`
 * (write what the plan says). `syncCustomer` is both, for each target.
 */
import { isSyncError, NotFoundError, type SyncError, UpstreamError } from '../errors/errors.js';
import type { LedgerEntry } from '../ledger/store.js';
import type { SourceCustomer } from '../sources/types.js';
import { planChanges } from './changes.js';
import { errorSummary, type TargetResult } from './result.js';
import type { SyncTarget, TargetRecord } from './target.js';

export interface PlanOptions {
  dryRun?: boolean;
  /** The target's own id of the customer (CXone customer id, Cognigy profile id) instead of finding it. */
  recordId?: string;
  /** What the ledger knows of this customer on this target; none without a ledger. */
  ledger?: LedgerView;
}

/**
 * The ledger as a plan reads it (no I/O here: the host reads the entry and brings the digest
 * function, which is node's crypto and so stays out of this pure module).
 */
export interface LedgerView {
  entry?: LedgerEntry;
  /** Read the target anyway and rewrite what differs (`--verify`, or the entry is due for a check). */
  verify: boolean;
  digestFields(values: Record<string, unknown>): Record<string, string>;
  /** The digest of a mapping or a schema. */
  digest(value: unknown): string;
}

/** What the ledger is to remember once the plan is applied (plain data). */
export interface LedgerNote {
  /** Digests of every converted value: after a success the record holds them all. */
  fields: Record<string, string>;
  mappingDigest: string;
  schemaDigest: string;
  /** The target's record was read by this plan (found or verified), not only written. */
  verified: boolean;
  /** The record id the ledger knew is gone from the target: forget it (the customer was found again). */
  forgot?: boolean;
  /** Decided from the ledger alone (no request): nothing new to record. */
  fromLedger?: boolean;
}

/** What to do on one target: the result so far and, when something must be written, what and where. */
export interface TargetPlan {
  result: TargetResult;
  /**
   * Absent when nothing is to be written (unchanged, not found, dry run, failed). `direct` says the
   * record id comes from the ledger and was not read now: a 404 on the write means it is gone.
   */
  write?: { recordId?: string; changes: Record<string, unknown>; direct?: boolean };
  /** Present when planned with a ledger. */
  ledger?: LedgerNote;
}

/** What a sync needs of a ledger: read before a target's plan, record after it (see ledger/sync.ts). */
export interface SyncLedger {
  view(customer: SourceCustomer, target: string): Promise<LedgerView>;
  record(customer: SourceCustomer, plan: TargetPlan | undefined, result: TargetResult): Promise<void>;
}

/** Any error as the taxonomy's (an unexpected one becomes an UpstreamError). */
export function asSyncError(e: unknown): SyncError {
  return isSyncError(e) ? e : new UpstreamError(`unexpected error: ${(e as Error)?.message ?? String(e)}`);
}

/** A target's result for an error: failed, nothing written (what was learnt before it is kept). */
export function failedResult(target: string, e: unknown, partial?: TargetResult): TargetResult {
  return {
    unchanged: [],
    skipped: [],
    ...partial,
    target,
    outcome: 'failed',
    written: {},
    error: errorSummary(asSyncError(e)),
  };
}

/**
 * Converts the customer's attributes for the target, finds their record and compares: says what to
 * write, or the final outcome when nothing is to be written. Throws the taxonomy's errors (a host
 * with durable retries retries them; `syncTarget` records them).
 */
export async function planTarget(
  customer: SourceCustomer,
  target: SyncTarget,
  options: PlanOptions = {},
): Promise<TargetPlan> {
  return planInto(newResult(target.name), customer, target, options);
}

const newResult = (target: string): TargetResult => ({
  target,
  outcome: 'updated',
  written: {},
  unchanged: [],
  skipped: [],
});

/** Outcomes after which the ledger's record id and digests describe the record as it is. */
const SETTLED = new Set(['updated', 'unchanged']);

/** `planTarget`, filling `result` as it goes, so that a failure keeps what was learnt. */
async function planInto(
  result: TargetResult,
  customer: SourceCustomer,
  target: SyncTarget,
  options: PlanOptions,
): Promise<TargetPlan> {
  const { values, skipped } = await target.convert(customer);
  result.skipped = skipped;
  const view = options.ledger;
  let note: LedgerNote | undefined;
  // The record id to read the customer by, when the ledger knows it (one request, no search).
  let knownId: string | undefined;
  if (view) {
    const basis = await target.conversionBasis?.();
    note = {
      fields: view.digestFields(values),
      mappingDigest: view.digest(basis?.mapping ?? null),
      schemaDigest: view.digest(basis?.schema ?? null),
      verified: false,
    };
    const entry = view.entry;
    const observed = customer.source.at ? Date.parse(customer.source.at) : Number.NaN;
    if (entry?.sourceAt && !options.recordId && observed < Date.parse(entry.sourceAt)) {
      // Older than what the target was last given (a back-fill of an old window, a sweep behind a
      // live sync): never written over it.
      result.outcome = 'skipped';
      if (entry.recordId) result.customerId = entry.recordId;
      result.reason = `older than what was last synced: this data is of ${new Date(observed).toISOString()}, the target holds data of ${entry.sourceAt}`;
      return { result, ledger: { ...note, fromLedger: true } };
    }
    const lastLook = entry && settledLook(entry, target, view, options, note, values);
    if (lastLook) {
      // Looked at with these very values, and not found or not to be written (consent): looked at
      // again when they change, when the entry is due for a check (CX_LEDGER_VERIFY_DAYS), or with
      // --verify; no request until then.
      result.outcome = lastLook;
      if (entry.recordId) result.customerId = entry.recordId;
      result.reason = `${lastLook === 'skipped' ? 'skipped (consent)' : 'not found'} when last looked at (${entry.updatedAt}) with these values; looked at again when they change, after CX_LEDGER_VERIFY_DAYS, or with --verify`;
      return { result, ledger: { ...note, fromLedger: true } };
    }
    if (entry?.recordId && !options.recordId) {
      knownId = entry.recordId;
      if (!view.verify && SETTLED.has(entry.outcome)) {
        const changed = changedFields(entry, note, values);
        if (changed.length === 0) {
          // What was last written is what would be written now: no request at all.
          result.outcome = 'unchanged';
          result.customerId = entry.recordId;
          result.unchanged = Object.keys(values);
          return { result, ledger: { ...note, fromLedger: true } };
        }
        if (!target.readsBeforeWrite)
          return directWrite(result, target, values, changed, entry.recordId, note, options);
      }
    }
  }
  let found = await target.find(customer, options.recordId ?? knownId);
  if (knownId && !options.recordId && !found.found && note) {
    // The record the ledger knew is gone (deleted on the target): find the customer again.
    note.forgot = true;
    found = await target.find(customer);
  }
  if (note && found.found) note.verified = true;
  if (!found.found && !found.creates) {
    result.outcome = 'customer-not-found';
    result.reason = found.reason;
    return { result, ...(note ? { ledger: note } : {}) };
  }
  if (found.found) result.customerId = found.found.id;
  if (found.found && found.skip !== undefined) {
    result.outcome = 'skipped';
    result.reason = found.skip;
    return { result, ...(note ? { ledger: note } : {}) };
  }
  const { changes, unchanged } = planChanges(values, found.found?.current ?? {});
  result.unchanged = unchanged;
  result.written = changes;
  if (Object.keys(changes).length === 0 && found.found) {
    result.outcome = 'unchanged';
    return { result, ...(note ? { ledger: note } : {}) };
  }
  // Refused as a whole before anything is sent (a dry run shows the refusal too).
  target.checkWrite?.(found.found, changes);
  if (options.dryRun) {
    result.outcome = 'dry-run';
    if (!found.found) result.reason = found.reason;
    return { result, ...(note ? { ledger: note } : {}) };
  }
  return {
    result,
    write: { ...(found.found ? { recordId: found.found.id } : {}), changes },
    ...(note ? { ledger: note } : {}),
  };
}

/** The converted fields whose digests differ from the entry's (all of them when the mapping or schema changed). */
function changedFields(entry: LedgerEntry, note: LedgerNote, values: Record<string, unknown>): string[] {
  const sameBasis = entry.mappingDigest === note.mappingDigest && entry.schemaDigest === note.schemaDigest;
  return Object.keys(values).filter((f) => !sameBasis || entry.fields[f] !== note.fields[f]);
}

const sameValues = (entry: LedgerEntry, note: LedgerNote, values: Record<string, unknown>) =>
  Object.keys(values).length > 0 && changedFields(entry, note, values).length === 0;

/**
 * The entry's outcome when it can stand without a request: a customer not found (by a target that
 * never creates), or skipped (consent), last looked at with the same values and not due for a check.
 */
function settledLook(
  entry: LedgerEntry,
  target: SyncTarget,
  view: LedgerView,
  options: PlanOptions,
  note: LedgerNote,
  values: Record<string, unknown>,
): 'customer-not-found' | 'skipped' | undefined {
  if (view.verify || options.recordId || !sameValues(entry, note, values)) return undefined;
  if (entry.outcome === 'customer-not-found' && !entry.recordId && !target.createsMissing)
    return 'customer-not-found';
  if (entry.outcome === 'skipped') return 'skipped';
  return undefined;
}

/** The ledger knows the record and what it holds: write the changed fields to it, unread (one request). */
function directWrite(
  result: TargetResult,
  target: SyncTarget,
  values: Record<string, unknown>,
  changed: string[],
  recordId: string,
  note: LedgerNote,
  options: PlanOptions,
): TargetPlan {
  const changes: Record<string, unknown> = Object.create(null);
  for (const f of changed) changes[f] = values[f];
  result.customerId = recordId;
  result.written = changes;
  result.unchanged = Object.keys(values).filter((f) => !(f in changes));
  target.checkWrite?.({ id: recordId, current: {} }, changes);
  if (options.dryRun) {
    result.outcome = 'dry-run';
    return { result, ledger: note };
  }
  return { result, write: { recordId, changes, direct: true }, ledger: note };
}

export interface ApplyOptions {
  /**
   * This write was tried before and may have reached the platform (a Temporal activity's retry): a
   * create first looks for the record the earlier try may have made, and only completes it.
   */
  retried?: boolean;
}

/**
 * Writes what a plan says and returns the target's final result. Throws the taxonomy's errors, so
 * that a host with durable retries (Temporal) can retry the write; `syncCustomer` records them.
 */
export async function applyPlan(
  customer: SourceCustomer,
  target: SyncTarget,
  plan: TargetPlan,
  options: ApplyOptions = {},
): Promise<TargetResult> {
  if (!plan.write) return plan.result;
  const planned = nullPrototype(plan.write.changes);
  const done = (id: string, created: boolean): TargetResult => ({
    ...plan.result,
    outcome: 'updated',
    customerId: id,
    written: planned,
    ...(created ? { created: true } : {}),
  });
  if (!plan.write.recordId && options.retried) {
    const found = await target.find(customer);
    if (found.found && found.skip !== undefined) {
      // Found now, and not to be written (consent): nothing is created or written.
      return {
        ...plan.result,
        outcome: 'skipped',
        customerId: found.found.id,
        written: {},
        reason: found.skip,
      };
    }
    if (found.found) {
      const { changes } = planChanges(planned, found.found.current);
      if (Object.keys(changes).length > 0) await target.write(customer, found.found, changes);
      return done(found.found.id, true);
    }
  }
  const record: TargetRecord | undefined = plan.write.recordId
    ? { id: plan.write.recordId, current: {} }
    : undefined;
  const written = await target.write(customer, record, planned);
  return done(written.id, written.created);
}

/**
 * Plan then apply; an error in either is the target's failed result (the other targets go on). With a
 * ledger, it is read first and told the outcome after (a dry run reads it only). The ledger's own
 * errors are thrown: a host stops rather than lose track of what it wrote.
 */
export function syncTarget(
  customer: SourceCustomer,
  target: SyncTarget,
  options: PlanOptions = {},
  ledger?: SyncLedger,
): Promise<TargetResult> {
  return runTarget(customer, target, options, ledger, false);
}

/**
 * `syncTarget` for a host with durable retries (a Temporal activity): the same steps and ledger
 * records, but a failure is thrown (the taxonomy's error) once the ledger has it, so that the host
 * retries it.
 */
export function attemptTarget(
  customer: SourceCustomer,
  target: SyncTarget,
  options: PlanOptions = {},
  ledger?: SyncLedger,
): Promise<TargetResult> {
  return runTarget(customer, target, options, ledger, true);
}

async function runTarget(
  customer: SourceCustomer,
  target: SyncTarget,
  options: PlanOptions,
  ledger: SyncLedger | undefined,
  throwFailure: boolean,
): Promise<TargetResult> {
  const view = ledger ? await ledger.view(customer, target.name) : undefined;
  const done = await planAndApply(customer, target, options, view);
  const result = done.error ? failedResult(target.name, done.error, done.result) : done.result;
  if (ledger && !options.dryRun) await ledger.record(customer, done.plan, result);
  if (done.error && throwFailure) throw done.error;
  return result;
}

/**
 * Plans and applies, catching the sync's error (returned, with the result learnt so far). A direct
 * write whose record is gone (404) is planned again without the ledger's id.
 */
async function planAndApply(
  customer: SourceCustomer,
  target: SyncTarget,
  options: PlanOptions,
  view: LedgerView | undefined,
): Promise<{ result: TargetResult; plan?: TargetPlan; error?: unknown }> {
  let result = newResult(target.name);
  let plan: TargetPlan | undefined;
  try {
    const planOptions = view ? { ...options, ledger: view } : options;
    plan = await planInto(result, customer, target, planOptions);
    try {
      return { result: await applyPlan(customer, target, plan), plan };
    } catch (e) {
      if (!(plan.write?.direct && e instanceof NotFoundError && view)) throw e;
      result = newResult(target.name);
      plan = await planInto(result, customer, target, {
        ...planOptions,
        ledger: { ...view, entry: undefined },
      });
      if (plan.ledger) plan.ledger.forgot = true;
      return { result: await applyPlan(customer, target, plan), plan };
    }
  } catch (e) {
    return { result, ...(plan ? { plan } : {}), error: e };
  }
}

/**
 * Values that crossed a process or a Temporal history come back as plain objects: rebuild the map
 * without a prototype, so keys such as `__proto__` stay data (as the core's own maps do).
 */
function nullPrototype(o: Record<string, unknown>): Record<string, unknown> {
  const m: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(o))
    Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
  return m;
}
