import type { SyncServices } from '../compose.js';
import { AuthenticationError, ConfigurationError } from '../errors/errors.js';
import type { LedgerStore, LedgerWindow } from '../ledger/store.js';
import type { TargetName } from '../platforms.js';
import { systemClock } from '../retry/clock.js';
import { customerPages, runConversationJob } from '../sources/genesys/flows.js';
import { formatInterval } from '../sources/genesys/requests.js';
import type { GenesysInterval } from '../sources/genesys/types.js';
import type { SourceCustomer } from '../sources/types.js';
import { type BackfillRemaining, coverageOf, coversNothing, narrowedByPage } from './coverage.js';
import { customerKey } from './group.js';
import type { SyncLedger } from './plan.js';
import { OUTCOMES, type Outcome, type SyncResult, worstOutcome } from './result.js';
import { type RetryReport, retryFailures } from './retry.js';
import { syncCustomer } from './sync-customer.js';
import type { SyncTarget } from './target.js';

/** What one customer's sync came to, over all its targets: the worst outcome wins. */
export type CustomerOutcome = Outcome;

export function customerOutcome(result: SyncResult): CustomerOutcome {
  return worstOutcome(result.targets.map((t) => t.outcome));
}

export interface BackfillFailure {
  customer: string;
  conversationId: string;
  target?: TargetName;
  kind: string;
  message: string;
}

export interface BackfillProgress {
  pages: number;
  conversations: number;
  customers: number;
  outcomes: Record<CustomerOutcome, number>;
  /** Conversations with no customer participant. */
  withoutCustomer: number;
  /** The first failures (at most 100), with their reasons. */
  failures: BackfillFailure[];
  /**
   * The end of what was synced: the window's end, or Genesys Cloud's analytics watermark when the
   * data did not reach it yet (absent in a progress from before it was tracked).
   */
  coveredUntil?: string;
  /** What is left when the window was not covered whole: `[watermark, until)`; run again later. */
  remaining?: BackfillRemaining;
  /** Genesys Cloud's analytics watermark, when it cut the window. */
  dataAvailabilityDate?: string;
  /** With a ledger: the earlier failures retried before the window (absent when there were none). */
  retried?: Pick<RetryReport, 'succeeded' | 'failed'>;
  /** With a ledger: the run continued an interrupted one of the same window from this page. */
  resumedAtPage?: number;
}

export function emptyProgress(): BackfillProgress {
  return {
    pages: 0,
    conversations: 0,
    customers: 0,
    outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>,
    withoutCustomer: 0,
    failures: [],
  };
}

/**
 * Adds one customer's result to the running totals. A progress object carried from before an outcome
 * was added (a Temporal continue-as-new or a recorded history) lacks its key: it counts from 0.
 */
export function recordResult(progress: BackfillProgress, result: SyncResult, key: string): void {
  progress.customers++;
  const outcome = customerOutcome(result);
  progress.outcomes[outcome] = (progress.outcomes[outcome] ?? 0) + 1;
  for (const t of result.targets) {
    if (t.outcome === 'failed' && t.error && progress.failures.length < 100) {
      progress.failures.push({
        customer: key,
        conversationId: result.source.id,
        target: t.target,
        kind: t.error.kind,
        message: t.error.message,
      });
    }
  }
}

export interface BackfillOptions {
  interval: GenesysInterval;
  targets?: TargetName | 'all';
  /** Customers synced at the same time (default 8). */
  concurrency?: number;
  dryRun?: boolean;
  onProgress?: (p: BackfillProgress) => void;
  /**
   * The sync ledger: unchanged customers cost no request, earlier retryable failures are retried
   * first, and the window's progress is kept per page so that a run again after a crash resumes.
   */
  ledger?: { store: LedgerStore; sync: SyncLedger };
}

/** Where an interrupted back-fill stopped: its job, the next page's cursor, and the counts so far. */
interface ResumePoint {
  jobId: string;
  cursor: string;
  progress: BackfillProgress;
}

/** The ledger's id of a back-fill window: the same interval to the same targets. */
export function backfillWindowId(since: string, until: string, targets: readonly string[]): string {
  return `backfill ${since}/${until} ${[...targets].sort().join(',')}`;
}

/** How long a back-fill waits for Genesys Cloud to finish its analytics job. */
const JOB_TIMEOUT_MS = 30 * 60_000;

/**
 * Syncs every customer of the conversations in an interval, in one process: one analytics job (its
 * pages carry the participant attributes, so there is no read per conversation), each page's
 * customers synced a few at a time. Pages go in time order, so a later conversation's values win.
 * The job covers the interval only up to Genesys Cloud's analytics watermark: the progress says how
 * far (`coveredUntil`) and what is left (`remaining`) for a later run.
 */
export async function backfill(services: SyncServices, options: BackfillOptions): Promise<BackfillProgress> {
  const targets = services.targets(options.targets ?? 'all');
  const concurrency = options.concurrency ?? 8;
  let progress = emptyProgress();
  const clock = services.runtime.clock ?? systemClock;
  // A dry run reads the ledger but never writes it (no retries, no window).
  const writesLedger = options.ledger && !options.dryRun ? options.ledger : undefined;
  const sync = options.ledger?.sync;
  let retried: BackfillProgress['retried'];
  if (writesLedger) {
    const report = await retryFailures(services, writesLedger, options.targets ?? 'all');
    if (report.retried.length > 0) retried = { succeeded: report.succeeded, failed: report.failed };
  }
  // A job holds only what the analytics data reaches: submit it for [since, min(until, watermark)).
  const [since, until] = formatInterval(options.interval).split('/') as [string, string];
  const windowId = backfillWindowId(
    since,
    until,
    targets.map((t) => t.name),
  );
  const resume = writesLedger ? await resumePoint(services, writesLedger.store, windowId) : undefined;
  let jobId: string;
  let from: string | undefined;
  if (resume) {
    progress = resume.progress;
    progress.resumedAtPage = progress.pages + 1;
    jobId = resume.jobId;
    from = resume.cursor;
  } else {
    const { dataAvailabilityDate } = await services.genesys.availability();
    Object.assign(progress, coverageOf(since, until, dataAvailabilityDate));
    if (coversNothing(progress, since)) {
      if (retried) progress.retried = retried;
      options.onProgress?.(progress);
      return progress;
    }
    jobId = await runConversationJob(
      services.genesys,
      { start: since, end: progress.coveredUntil! },
      { now: () => clock.now(), sleep: (ms) => clock.sleep(ms, services.runtime.signal) },
      { timeoutMs: JOB_TIMEOUT_MS },
    );
  }
  if (retried) progress.retried = retried;
  const window = (resumeAt?: string): LedgerWindow => ({
    id: windowId,
    since,
    until,
    pages: progress.pages,
    ...(resumeAt
      ? { resume: JSON.stringify({ jobId, cursor: resumeAt, progress } satisfies ResumePoint) }
      : progress.coveredUntil
        ? { coveredUntil: progress.coveredUntil }
        : {}),
  });
  // What the targets load for this back-fill (`prepare`) is dropped when it ends, however it ends.
  const bulk = new AbortController();
  try {
    for await (const page of customerPages(services.genesys, jobId, undefined, from)) {
      Object.assign(progress, narrowedByPage(progress, since, until, page.dataAvailabilityDate));
      progress.conversations += page.conversations;
      progress.withoutCustomer += page.withoutCustomer.length;
      await prepareTargets(targets, page.customers, bulk.signal);
      const queue = [...page.customers];
      await Promise.all(
        Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
          for (let c = queue.shift(); c; c = queue.shift()) {
            const key = customerKey(c);
            // A target's failure is in its result: only the ledger throws here, and that stops the run
            // (resumed later, nothing lost).
            const result = await syncCustomer(c, targets, {
              dryRun: options.dryRun ?? false,
              ...(sync ? { ledger: sync } : {}),
            });
            recordResult(progress, result, key);
          }
        }),
      );
      progress.pages++;
      // Every customer of the page is done and recorded: a run again starts at the next page.
      if (writesLedger) await writesLedger.store.recordWindow(window(page.cursor));
      options.onProgress?.(progress);
    }
  } finally {
    bulk.abort();
  }
  if (writesLedger) await writesLedger.store.recordWindow(window());
  return progress;
}

/**
 * Where an interrupted run of this window stopped, when its analytics job can still be read (Genesys
 * keeps a job's results for a while); otherwise the window starts again (the ledger makes the
 * customers already synced cost nothing).
 */
async function resumePoint(
  services: SyncServices,
  store: LedgerStore,
  windowId: string,
): Promise<ResumePoint | undefined> {
  const w = await store.window(windowId);
  if (!w?.resume) return undefined;
  let point: ResumePoint;
  try {
    point = JSON.parse(w.resume) as ResumePoint;
  } catch {
    return undefined;
  }
  try {
    const status = await services.genesys.jobStatus(point.jobId);
    return status.state === 'FULFILLED' ? point : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lets each target load in bulk what it would look up customer by customer (`SyncTarget.prepare`).
 * Its failure only costs the saving, except an authentication or configuration error, which every
 * customer would meet too.
 */
async function prepareTargets(
  targets: readonly SyncTarget[],
  customers: readonly SourceCustomer[],
  bulk: AbortSignal,
): Promise<void> {
  if (customers.length === 0) return;
  await Promise.all(
    targets.map(async (t) => {
      try {
        await t.prepare?.(customers, bulk);
      } catch (e) {
        if (e instanceof AuthenticationError || e instanceof ConfigurationError) throw e;
      }
    }),
  );
}
