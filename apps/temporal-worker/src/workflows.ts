// Workflows: deterministic orchestration only. They import activity TYPES; every call to a platform
// is an activity on that platform's task queue (see shared.ts).
import {
  coverageOf,
  coversNothing,
  customerKey,
  customerOutcome,
  emptyProgress,
  failedResult,
  narrowedByPage,
  OUTCOMES,
  parseSubjectKey,
  recordResult,
  type SourceCustomer,
  type SyncResult,
  sourceSummary,
  type TargetName,
  type TargetResult,
  worstOutcome,
} from '@cx-profile-sync/core/pure';
import { defineSearchAttributeKey, type RetryPolicy, SearchAttributeType } from '@temporalio/common';
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  executeChild,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, ConversationPage } from './activities.js';
import { NON_RETRYABLE_TYPES, syncErrorOf } from './failures.js';
import {
  type BackfillInput,
  type BackfillStatus,
  backfillWorkflowId,
  type CommonInput,
  type IncrementalInput,
  type LiveEvent,
  type LiveStatus,
  type LiveSyncInput,
  type Platform,
  platformQueue,
  SEARCH_ATTRIBUTES,
  SOURCE_PLATFORM,
  type SyncConversationInput,
} from './shared.js';

/** A back-fill's progress: pages done, customers synced and their outcomes, failures with reasons. */
export const progressQuery = defineQuery<BackfillStatus>('progress');

const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
const SCHEDULED_BY = defineSearchAttributeKey('TemporalScheduledById', SearchAttributeType.KEYWORD);

/**
 * The activities, each on its platform's queue, with the retry policy the error taxonomy needs. A
 * target's queue is named after the target, so any target the source activities return (any
 * registered and configured one) is served by its own queue.
 */
function activitiesFor(input: CommonInput) {
  const taskQueue = workflowInfo().taskQueue;
  const startToCloseTimeout = (input.activityTimeoutSeconds ?? 30) * 1000;
  // Non-retryable errors carry nonRetryable themselves; the list also covers older workers. A 429
  // carries its Retry-After as nextRetryDelay, which replaces this backoff for that try.
  const retry: RetryPolicy = {
    initialInterval: 1000,
    backoffCoefficient: 2,
    maximumInterval: 60_000,
    maximumAttempts: input.maxAttempts ?? 8,
    nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
  };
  const on = (platform: Platform) =>
    proxyActivities<Activities>({
      taskQueue: platformQueue(taskQueue, platform),
      startToCloseTimeout,
      retry,
    });
  const targets = new Map<TargetName, ReturnType<typeof on>>();
  return {
    source: on(SOURCE_PLATFORM),
    jobWait: proxyActivities<Activities>({
      taskQueue: platformQueue(taskQueue, SOURCE_PLATFORM),
      startToCloseTimeout: '2h',
      heartbeatTimeout: '1m',
      retry,
    }),
    target(name: TargetName) {
      let proxy = targets.get(name);
      if (!proxy) {
        proxy = on(name);
        targets.set(name, proxy);
      }
      return proxy;
    },
  };
}
type Acts = ReturnType<typeof activitiesFor>;

/**
 * One target: plan (find, convert, compare), then push when something changed. Never throws: an
 * activity that failed for good is the target's failed result, in the core's shape.
 */
async function syncTarget(
  acts: Acts,
  customer: SourceCustomer,
  target: TargetName,
  dryRun: boolean,
  verify = false,
): Promise<TargetResult> {
  const on = acts.target(target);
  // One activity a target (with the worker's ledger); runs started before it keep their two.
  if (patched('one-activity-a-target')) {
    try {
      return await on.syncTarget({
        customer,
        target,
        ...(dryRun ? { dryRun } : {}),
        ...(verify ? { verify } : {}),
      });
    } catch (e) {
      return failedResult(target, syncErrorOf(e));
    }
  }
  let plan: Awaited<ReturnType<Activities['planTarget']>>;
  try {
    plan = await on.planTarget({ customer, target, dryRun });
  } catch (e) {
    return failedResult(target, syncErrorOf(e));
  }
  if (!plan.write) return plan.result;
  try {
    const pushed = await on.pushTarget({
      customer,
      target,
      changes: plan.write.changes,
      ...(plan.write.recordId ? { recordId: plan.write.recordId } : {}),
    });
    return {
      ...plan.result,
      outcome: 'updated',
      customerId: pushed.id,
      written: pushed.written,
      ...(pushed.created ? { created: true } : {}),
    };
  } catch (e) {
    return failedResult(target, syncErrorOf(e), plan.result);
  }
}

/** Syncs one customer to each target at once: the same result object as the CLI's --json. */
async function syncToTargets(
  acts: Acts,
  customer: SourceCustomer,
  targets: TargetName[],
  dryRun: boolean,
  verify = false,
): Promise<SyncResult> {
  const results = await Promise.all(targets.map((t) => syncTarget(acts, customer, t, dryRun, verify)));
  return {
    source: sourceSummary(customer),
    targets: results,
  };
}

/**
 * Syncs the customer of one conversation: fetch from Genesys Cloud, then plan and push on each
 * target, each a separate activity. A target's failure is in its result; a failure to read the
 * source fails the workflow with the error's type (NotFoundError, AuthenticationError…).
 */
export async function syncCustomer(input: SyncConversationInput): Promise<SyncResult> {
  const acts = activitiesFor(input);
  const { customer, targets } = await acts.source.fetchCustomer({
    conversationId: input.conversationId,
    targets: input.targets ?? 'all',
  });
  if (input.searchAttributes)
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.target, value: targets },
      { key: SEARCH_ATTRIBUTES.customer, value: customerKey(customer) },
    ]);
  const result = await syncToTargets(acts, customer, targets, input.dryRun ?? false, input.verify);
  if (input.searchAttributes)
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.outcome, value: customerOutcome(result) }]);
  return result;
}

/** What a pass over the ledger's retryable failures came to. */
export interface RetryStatus {
  retried: number;
  succeeded: number;
  failed: number;
  /** The customers that failed again, with their failed attempts so far. */
  stillFailing: { customerKey: string; target: TargetName; attempts: number; message?: string }[];
}

/**
 * Syncs again, a few at a time, the customers whose last outcome on a target was a retryable failure
 * (the worker's ledger lists them): each read again from its last conversation, then synced to that
 * target only.
 */
async function retryLedgerFailures(acts: Acts, input: CommonInput, concurrency = 8): Promise<RetryStatus> {
  const { failures } = await acts.source.ledgerFailures({ targets: input.targets ?? 'all' });
  const status: RetryStatus = { retried: failures.length, succeeded: 0, failed: 0, stillFailing: [] };
  const queue = [...failures];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let f = queue.shift(); f; f = queue.shift()) {
        let result: TargetResult;
        try {
          const { customer } = await acts.source.fetchCustomer({
            conversationId: f.conversationId,
            targets: f.target,
          });
          result = await syncTarget(acts, customer, f.target, false);
        } catch (e) {
          result = failedResult(f.target, syncErrorOf(e));
        }
        if (result.outcome !== 'failed') status.succeeded++;
        else {
          status.failed++;
          status.stillFailing.push({
            customerKey: f.customerKey,
            target: f.target,
            attempts: f.attempts + 1,
            ...(result.error ? { message: result.error.message } : {}),
          });
        }
      }
    }),
  );
  return status;
}

/** `retry`: one pass over the ledger's retryable failures (the CLI's `retry`, through Temporal). */
export async function retryFailures(input: CommonInput): Promise<RetryStatus> {
  return retryLedgerFailures(activitiesFor(input), input);
}

function checkInt(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw ApplicationFailure.create({
      type: 'ConfigurationError',
      nonRetryable: true,
      message: `${name} must be an integer from ${min} to ${max}, got ${value}`,
    });
  return value;
}

/**
 * Syncs every customer of the conversations that started in [since, until): one analytics job
 * (submitted once: its id is kept in the workflow's state), then page after page, the customers of
 * a page a few at a time. Pages go in time order, so a later conversation's values win.
 *
 * It continues as new after `pagesPerRun` pages, carrying the cursor and the progress, so the
 * history stays small however long the interval. A crash of the worker (or the server) loses
 * nothing: completed activities are in the history, and a customer is counted once, when its
 * sync completes. A customer that fails for good is recorded with its reason and the rest go on.
 */
export async function backfill(input: BackfillInput): Promise<BackfillStatus> {
  const acts = activitiesFor(input);
  const concurrency = checkInt('concurrency', input.concurrency ?? 8, 1, 100);
  // The command line asks for 100 or more (at most one Genesys read per 100 conversations).
  const pageSize = checkInt('pageSize', input.pageSize ?? 100, 1, 1000);
  const pagesPerRun = checkInt('pagesPerRun', input.pagesPerRun ?? 1, 1, 1000);
  const carried = input.state;
  const status: BackfillStatus = {
    since: input.since,
    until: input.until,
    phase: carried ? 'syncing' : 'submitting',
    runs: (carried?.runs ?? 0) + 1,
    progress: carried?.progress ?? emptyProgress(),
    ...(carried ? { jobId: carried.jobId } : {}),
  };
  setHandler(progressQuery, () => status);
  const progress = status.progress;

  let state = carried;
  if (!state && !input.dryRun && patched('ledger-retry-first')) {
    // The ledger's failures first: a customer that failed last time is not left until it changes.
    const retried = await retryLedgerFailures(acts, input, concurrency);
    if (retried.retried > 0) progress.retried = { succeeded: retried.succeeded, failed: retried.failed };
  }
  if (!state) {
    // A job holds only what Genesys Cloud's analytics data reaches: submit it for
    // [since, min(until, watermark)) and say what is left. (Runs started before this read kept the
    // whole window: the patch keeps their histories replaying.)
    let jobUntil = input.until;
    if (patched('analytics-watermark')) {
      const { dataAvailabilityDate } = await acts.source.dataAvailability();
      Object.assign(progress, coverageOf(input.since, input.until, dataAvailabilityDate));
      jobUntil = progress.coveredUntil!;
      if (coversNothing(progress, input.since)) {
        log.info('analytics data does not reach the window yet', { dataAvailabilityDate });
        status.phase = 'done';
        return status;
      }
    }
    const { jobId, targets } = await acts.source.submitConversationJob({
      since: input.since,
      until: jobUntil,
      targets: input.targets ?? 'all',
    });
    status.jobId = jobId;
    status.phase = 'waiting-for-job';
    if (input.searchAttributes) upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.target, value: targets }]);
    log.info('analytics job submitted', { jobId, since: input.since, until: input.until });
    await acts.jobWait.waitForConversationJob({ jobId });
    state = { jobId, targets, progress, runs: status.runs };
    status.phase = 'syncing';
  }

  let pagesThisRun = 0;
  for (;;) {
    const page: ConversationPage = await acts.source.fetchConversationPage({
      jobId: state.jobId,
      pageSize,
      ...(state.cursor ? { cursor: state.cursor } : {}),
      ...(state.skip ? { skip: state.skip } : {}),
    });
    progress.conversations += page.conversations;
    progress.withoutCustomer += page.withoutCustomer;
    Object.assign(progress, narrowedByPage(progress, input.since, input.until, page.dataAvailabilityDate));
    const queue = [...page.customers];
    const targets = state.targets;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const result = await syncToTargets(acts, c, targets, input.dryRun ?? false, input.verify);
          recordResult(progress, result, customerKey(c));
        }
      }),
    );
    if (page.nextSkip !== undefined) {
      state = { ...state, skip: page.nextSkip };
    } else {
      progress.pages++;
      pagesThisRun++;
      const { skip: _skip, cursor: _cursor, ...rest } = state;
      if (!page.nextCursor) break;
      state = { ...rest, cursor: page.nextCursor };
    }
    if (pagesThisRun >= pagesPerRun || workflowInfo().continueAsNewSuggested) {
      log.info('continuing as new', { pages: progress.pages, customers: progress.customers });
      await continueAsNew<typeof backfill>({ ...input, state: { ...state, progress, runs: status.runs } });
    }
  }
  status.phase = 'done';
  if (input.searchAttributes)
    upsertSearchAttributes([
      {
        key: SEARCH_ATTRIBUTES.outcome,
        value: worstOutcome(OUTCOMES.filter((o) => progress.outcomes[o] > 0)),
      },
    ]);
  log.info('back-fill done', { pages: progress.pages, customers: progress.customers, ...progress.outcomes });
  return status;
}

/**
 * What a Schedule starts every N minutes: a back-fill of the last window plus an overlap, ending at
 * the scheduled time (minute-aligned), as a child with the window's own id (so a window is synced once).
 * The child covers the window only up to Genesys Cloud's analytics watermark, and a window starts no
 * later than where the Schedule's last completed run's coverage ended (read from Temporal by an
 * activity: the runs' results are the memory), so what was not yet available is picked up later.
 */
export async function incrementalSync(input: IncrementalInput): Promise<BackfillStatus> {
  const scheduled = workflowInfo().typedSearchAttributes.get(SCHEDULED_START) ?? new Date();
  const untilMs = Math.floor(scheduled.getTime() / 60_000) * 60_000;
  let sinceMs = untilMs - (input.everyMinutes + input.overlapMinutes) * 60_000;
  const scheduleId = workflowInfo().typedSearchAttributes.get(SCHEDULED_BY);
  if (scheduleId && patched('incremental-watermark')) {
    const { coveredUntil } = await activitiesFor(input).source.lastIncrementalCoverage({ scheduleId });
    const lastCovered = Date.parse(coveredUntil ?? '');
    if (lastCovered < sinceMs) sinceMs = lastCovered;
  }
  const since = new Date(sinceMs).toISOString();
  const until = new Date(untilMs).toISOString();
  const { everyMinutes: _e, overlapMinutes: _o, ...common } = input;
  return executeChild(backfill, {
    workflowId: backfillWorkflowId(since, until),
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    args: [{ ...common, since, until }],
  });
}

/** An event of the workflow's subject, from the intake (signal-with-start). */
export const liveEventSignal = defineSignal<[LiveEvent]>('event');
export const liveStatusQuery = defineQuery<LiveStatus>('status');

/** Event ids remembered for the duplicate check (carried across continue-as-new). */
const SEEN_KEPT = 1000;

/**
 * Live sync of one subject (a conversation or an external contact): the intake signals each event
 * to it (signal-with-start, so an accepted event is durable in Temporal). Once a burst is over (the
 * quiet period since the last event, or the maximum wait since the first) it reads the subject's
 * current state once and syncs it on each target through the same activities and rate-limited
 * queues as a back-fill; events that arrive meanwhile make the next burst. A repeated event id has no
 * effect. After `idleMs` without events it ends; a later event starts it again.
 */
export async function liveSync(input: LiveSyncInput): Promise<LiveStatus> {
  const acts = activitiesFor(input);
  const quietMs = input.quietMs ?? 2000;
  const maxWaitMs = input.maxWaitMs ?? 10_000;
  const idleMs = input.idleMs ?? 10 * 60_000;
  const seen = new Set(input.state?.seen ?? []);
  let pending: LiveEvent[] = [...(input.state?.pending ?? [])];
  let lastEventAt = Date.now();
  const status: LiveStatus = {
    subjectKey: input.subjectKey,
    syncs: input.state?.syncs ?? 0,
    events: 0,
    duplicates: 0,
    failures: [],
  };
  setHandler(liveStatusQuery, () => status);
  setHandler(liveEventSignal, (e) => {
    if (seen.has(e.id)) {
      status.duplicates++;
      return;
    }
    seen.add(e.id);
    if (seen.size > SEEN_KEPT) seen.delete(seen.values().next().value!);
    status.events++;
    pending.push(e);
    lastEventAt = Date.now();
  });
  const subject = parseSubjectKey(input.subjectKey);
  if (!subject)
    throw ApplicationFailure.create({
      type: 'ValidationError',
      nonRetryable: true,
      message: `not a subject of events: ${input.subjectKey}`,
    });
  for (;;) {
    if (pending.length === 0 && !(await condition(() => pending.length > 0, idleMs))) break;
    // The burst: until quiet for quietMs, or maxWaitMs since its first event.
    const firstAt = Date.now();
    for (;;) {
      const wait = Math.min(quietMs - (Date.now() - lastEventAt), maxWaitMs - (Date.now() - firstAt));
      if (wait <= 0) break;
      const seenNow = pending.length;
      await condition(() => pending.length > seenNow, wait);
    }
    const burst = pending;
    pending = [];
    try {
      const { customer, targets } = await acts.source.fetchCustomer(
        subject.kind === 'conversation'
          ? { conversationId: subject.id, targets: input.targets ?? 'all' }
          : { contactId: subject.id, targets: input.targets ?? 'all' },
      );
      const result = await syncToTargets(acts, customer, targets, input.dryRun ?? false, input.verify);
      const newest = Math.max(...burst.map((e) => Date.parse(e.eventTime)));
      status.syncs++;
      status.last = {
        at: new Date().toISOString(),
        lagMs: Date.now() - newest,
        targets: result.targets.map((t) => ({ target: t.target, outcome: t.outcome })),
      };
    } catch (e) {
      status.failures.push({
        at: new Date().toISOString(),
        events: burst.length,
        message: syncErrorOf(e).message,
      });
      if (status.failures.length > 20) status.failures.shift();
    }
    if (workflowInfo().continueAsNewSuggested || status.syncs % 100 === 0) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof liveSync>({
        ...input,
        state: { seen: [...seen].slice(-SEEN_KEPT), pending, syncs: status.syncs },
      });
    }
  }
  return status;
}
