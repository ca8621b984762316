import type { TargetName } from '../convert/mapping.js';
import { isSyncError, UpstreamError } from '../errors/errors.js';
import type { GenesysInterval } from '../sources/genesys/types.js';
import { customerKey, customersOfConversations } from './group.js';
import type { Outcome, SyncResult } from './result.js';
import type { SyncServices } from './services.js';
import { syncCustomer } from './sync-customer.js';

/** What one customer's sync came to, over all its targets: the worst outcome wins. */
export type CustomerOutcome = Outcome;

const SEVERITY: Outcome[] = ['unchanged', 'dry-run', 'updated', 'customer-not-found', 'failed'];

export function customerOutcome(result: SyncResult): CustomerOutcome {
  let worst: Outcome = 'unchanged';
  for (const t of result.targets)
    if (SEVERITY.indexOf(t.outcome) > SEVERITY.indexOf(worst)) worst = t.outcome;
  return worst;
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
}

export function emptyProgress(): BackfillProgress {
  return {
    pages: 0,
    conversations: 0,
    customers: 0,
    outcomes: { updated: 0, unchanged: 0, 'dry-run': 0, 'customer-not-found': 0, failed: 0 },
    withoutCustomer: 0,
    failures: [],
  };
}

/** Adds one customer's result to the running totals. */
export function recordResult(progress: BackfillProgress, result: SyncResult, key: string): void {
  progress.customers++;
  progress.outcomes[customerOutcome(result)]++;
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

/**
 * Syncs every customer of the conversations in an interval, in one process: one analytics job (its
 * pages carry the participant attributes, so there is no read per conversation), each page's
 * customers synced a few at a time. Pages go in time order, so a later conversation's values win.
 */
export async function backfill(services: SyncServices, options: BackfillOptions): Promise<BackfillProgress> {
  const targets = services.targets(options.targets ?? 'all');
  const concurrency = options.concurrency ?? 8;
  const progress = emptyProgress();
  const jobId = await services.genesys.submitConversationJob(options.interval);
  await services.genesys.waitForJob(jobId);
  let cursor: string | undefined;
  do {
    const page = await services.genesys.jobResults(jobId, cursor);
    const { customers, withoutCustomer } = customersOfConversations(page.conversations);
    progress.conversations += page.conversations.length;
    progress.withoutCustomer += withoutCustomer.length;
    const queue = [...customers];
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const key = customerKey(c);
          try {
            recordResult(progress, await syncCustomer(c, targets, { dryRun: options.dryRun ?? false }), key);
          } catch (e) {
            const err = isSyncError(e) ? e : new UpstreamError(String((e as Error)?.message ?? e));
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
    cursor = page.cursor;
  } while (cursor);
  return progress;
}
