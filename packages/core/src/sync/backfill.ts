import type { SyncServices } from '../compose.js';
import type { TargetName } from '../platforms.js';
import { systemClock } from '../retry/clock.js';
import { customerPages, runConversationJob } from '../sources/genesys/flows.js';
import { formatInterval } from '../sources/genesys/requests.js';
import type { GenesysInterval } from '../sources/genesys/types.js';
import { type BackfillRemaining, coverageOf, coversNothing, narrowedByPage } from './coverage.js';
import { customerKey } from './group.js';
import { asSyncError } from './plan.js';
import { OUTCOMES, type Outcome, type SyncResult, worstOutcome } from './result.js';
import { syncCustomer } from './sync-customer.js';

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
  const progress = emptyProgress();
  const clock = services.runtime.clock ?? systemClock;
  // A job holds only what the analytics data reaches: submit it for [since, min(until, watermark)).
  const [since, until] = formatInterval(options.interval).split('/') as [string, string];
  const { dataAvailabilityDate } = await services.genesys.availability();
  Object.assign(progress, coverageOf(since, until, dataAvailabilityDate));
  if (coversNothing(progress, since)) {
    options.onProgress?.(progress);
    return progress;
  }
  const jobId = await runConversationJob(
    services.genesys,
    { start: since, end: progress.coveredUntil! },
    { now: () => clock.now(), sleep: (ms) => clock.sleep(ms, services.runtime.signal) },
    { timeoutMs: JOB_TIMEOUT_MS },
  );
  for await (const page of customerPages(services.genesys, jobId)) {
    Object.assign(progress, narrowedByPage(progress, since, until, page.dataAvailabilityDate));
    progress.conversations += page.conversations;
    progress.withoutCustomer += page.withoutCustomer.length;
    const queue = [...page.customers];
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const key = customerKey(c);
          try {
            recordResult(progress, await syncCustomer(c, targets, { dryRun: options.dryRun ?? false }), key);
          } catch (e) {
            const err = asSyncError(e);
            progress.customers++;
            progress.outcomes.failed++;
            if (progress.failures.length < 100)
              progress.failures.push({
                customer: key,
                conversationId: c.source.id,
                kind: err.kind,
                message: err.message,
              });
          }
        }
      }),
    );
    progress.pages++;
    options.onProgress?.(progress);
  }
  return progress;
}
