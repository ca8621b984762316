import {
  applyPlan,
  attemptTarget,
  attributeMap,
  customersOfConversations,
  type OpenedLedger,
  planTarget as planTargetOfCore,
  type SourceCustomer,
  type SyncLedger,
  type SyncServices,
  syncLedger,
  type TargetName,
  type TargetPlan,
  type TargetResult,
  type Waiting,
  waitForJob,
} from '@cx-profile-sync/core';
import { activityInfo, Context, heartbeat, sleep } from '@temporalio/activity';
import { asActivity } from './failures.js';
import type { Targets } from './shared.js';

/** A customer read from Genesys Cloud, and the targets this worker has configured of those asked for. */
export interface FetchedCustomer {
  customer: SourceCustomer;
  targets: TargetName[];
}

export interface PageRequest {
  jobId: string;
  cursor?: string;
  /** Conversations of this page already taken by an earlier part. */
  skip?: number;
  pageSize: number;
}

/** The customers of (part of) one analytics results page. */
export interface ConversationPage {
  conversations: number;
  customers: SourceCustomer[];
  withoutCustomer: number;
  /** Where the rest of this page starts when it was too large for one payload. */
  nextSkip?: number;
  /** The next page's cursor (none after the last page); only set when this page is finished. */
  nextCursor?: string;
  /** The analytics watermark the job ran against, when the page says it. */
  dataAvailabilityDate?: string;
}

export interface PlanInput {
  customer: SourceCustomer;
  target: TargetName;
  dryRun?: boolean;
  /** The target's own id of the customer, instead of finding it by identity. */
  customerId?: string;
}

export interface SyncTargetInput extends PlanInput {
  /** Read the target record even when the ledger knows it, and rewrite what differs. */
  verify?: boolean;
}

/** A customer the ledger says failed on a target and may succeed now, and where to read them again. */
export interface LedgerFailure {
  customerKey: string;
  target: TargetName;
  conversationId: string;
  attempts: number;
}

/** The most failures one retry pass takes (the rest wait for the next pass). */
export const RETRY_BATCH = 1000;

/** What a target needs: the result so far and, when something must be written, what to write where. */
export type { TargetPlan };

export interface PushInput {
  customer: SourceCustomer;
  target: TargetName;
  /** The record to update; none to create one (Cognigy profiles). */
  recordId?: string;
  changes: Record<string, unknown>;
}

export interface PushResult {
  id: string;
  created: boolean;
  written: Record<string, unknown>;
}

/** Keeps a page's payload well under Temporal's 2 MB limit, whatever the size of the attributes. */
export const PAGE_PAYLOAD_BUDGET = 1_000_000;

/**
 * Values crossing Temporal come back as plain objects: rebuild the attribute map without a
 * prototype, so keys such as `__proto__` stay data (as the core's own maps do).
 */
function revive(c: SourceCustomer): SourceCustomer {
  return { ...c, attributes: attributeMap(Object.entries(c.attributes)) };
}

/** How an activity waits: Temporal's sleep (cancellable) and a heartbeat after each poll. */
const activityWaiting: Waiting = { now: Date.now, sleep, onPoll: heartbeat };

/**
 * The worker's activities around one set of core services: one runtime per worker process, so
 * tokens and client-side limiters are shared by every activity. Each throws the core's errors as
 * ApplicationFailures (see failures.ts), so that Temporal's retries follow the taxonomy.
 */
export function createActivities(
  services: SyncServices,
  options: { jobPollMs?: number; ledger?: OpenedLedger } = {},
) {
  const targetNames = (which: Targets) => services.targets(which).map((t) => t.name);
  const targetNamed = (name: TargetName) => services.targets(name)[0]!;
  const { ledger } = options;
  // The worker's ledger (one per process, shared by its activities); another with --verify's policy.
  const verifying: SyncLedger | undefined = ledger
    ? syncLedger(ledger.store, { verify: true, ledgerTarget: services.ledgerTarget })
    : undefined;

  return {
    /** Genesys: the customer participant of a conversation. */
    async fetchCustomer(
      input: { conversationId: string; targets: Targets } | { contactId: string; targets: Targets },
    ): Promise<FetchedCustomer> {
      return asActivity(async () => {
        const targets = targetNames(input.targets);
        const customer =
          'contactId' in input
            ? await services.genesys.customerFromContact(input.contactId)
            : await services.genesys.customerFromConversation(input.conversationId);
        return { customer, targets };
      });
    },

    /**
     * Genesys: how far the analytics data reaches (`dataAvailabilityDate`): a job over a window that
     * ends later holds only the conversations that started before it.
     */
    async dataAvailability(): Promise<{ dataAvailabilityDate: string }> {
      return asActivity(() => services.genesys.availability());
    },

    /**
     * Temporal: where the last completed incremental run of a Schedule ended its coverage (its
     * back-fill's `progress.coveredUntil`), so that the next window starts there; none without one
     * (a first run, or one older than the namespace's retention).
     */
    async lastIncrementalCoverage(input: { scheduleId: string }): Promise<{ coveredUntil?: string }> {
      const { client } = Context.current();
      const id = input.scheduleId.replace(/['\\]/g, '\\$&');
      const query = `WorkflowType = 'incrementalSync' AND ExecutionStatus = 'Completed' AND TemporalScheduledById = '${id}'`;
      // Newest first: the first one listed is the last run (one at a time: the overlap policy skips).
      for await (const w of client.workflow.list({ query })) {
        const result = (await client.workflow.getHandle(w.workflowId, w.runId).result()) as {
          progress?: { coveredUntil?: string };
        } | null;
        const coveredUntil = result?.progress?.coveredUntil;
        return coveredUntil ? { coveredUntil } : {};
      }
      return {};
    },

    /**
     * Genesys: submits the analytics job of an interval. Not idempotent (each call is a new job); the
     * workflow keeps the id it got, so a completed submission is never repeated.
     */
    async submitConversationJob(input: {
      since: string;
      until: string;
      targets: Targets;
    }): Promise<{ jobId: string; targets: TargetName[] }> {
      return asActivity(async () => {
        const targets = targetNames(input.targets);
        const jobId = await services.genesys.submitConversationJob({ start: input.since, end: input.until });
        return { jobId, targets };
      });
    },

    /** Genesys: polls the job until its results can be read, heartbeating each poll. */
    async waitForConversationJob(input: { jobId: string }): Promise<void> {
      return asActivity(() =>
        waitForJob(services.genesys, input.jobId, activityWaiting, {
          pollMs: options.jobPollMs ?? 250,
          whatToDo: { failed: 'start the back-fill again' },
        }),
      );
    },

    /**
     * Genesys: one page of job results as customers (attributes merged per customer, later
     * conversations winning). A page larger than the payload budget is returned in parts.
     */
    async fetchConversationPage(input: PageRequest): Promise<ConversationPage> {
      return asActivity(async () => {
        const page = await services.genesys.jobResults(input.jobId, input.cursor, input.pageSize);
        const all = page.conversations;
        const start = Math.min(input.skip ?? 0, all.length);
        let end = start;
        let bytes = 0;
        while (end < all.length) {
          const size = JSON.stringify(all[end]).length;
          if (end > start && bytes + size > PAGE_PAYLOAD_BUDGET) break;
          bytes += size;
          end++;
        }
        const part = all.slice(start, end);
        const { customers, withoutCustomer } = customersOfConversations(part);
        return {
          conversations: part.length,
          customers,
          withoutCustomer: withoutCustomer.length,
          ...(end < all.length ? { nextSkip: end } : page.cursor ? { nextCursor: page.cursor } : {}),
          ...(page.dataAvailabilityDate ? { dataAvailabilityDate: page.dataAvailabilityDate } : {}),
        };
      });
    },

    /**
     * A target, in one activity: reads the ledger, converts, finds (or trusts the ledger's record),
     * writes what changed, records the outcome (the core's attemptTarget). A failure is recorded, then
     * thrown for Temporal to retry; a retry plans again, so a create whose answer was lost is found.
     */
    async syncTarget(input: SyncTargetInput): Promise<TargetResult> {
      return asActivity(() =>
        attemptTarget(
          revive(input.customer),
          targetNamed(input.target),
          {
            ...(input.dryRun ? { dryRun: true } : {}),
            ...(input.customerId ? { recordId: input.customerId } : {}),
          },
          input.verify ? verifying : ledger?.sync,
        ),
      );
    },

    /**
     * The ledger: the customers whose last outcome on a configured target was a retryable failure,
     * oldest first (at most RETRY_BATCH), with the conversation to read each again from.
     */
    async ledgerFailures(input: { targets: Targets }): Promise<{ failures: LedgerFailure[] }> {
      return asActivity(async () => {
        const failures: LedgerFailure[] = [];
        if (!ledger) return { failures };
        for (const name of targetNames(input.targets)) {
          for (const e of await ledger.store.retryable(services.ledgerTarget(name))) {
            if (failures.length >= RETRY_BATCH) return { failures };
            if (e.source?.kind !== 'conversation') continue;
            failures.push({
              customerKey: e.customerKey,
              target: name,
              conversationId: e.source.id,
              attempts: e.attempts,
            });
          }
        }
        return { failures };
      });
    },

    /**
     * A target: converts for its schema, finds the customer's record and compares (the core's
     * planTarget). Says what to write, or the final outcome when nothing is to be written.
     */
    async planTarget(input: PlanInput): Promise<TargetPlan> {
      return asActivity(() =>
        planTargetOfCore(revive(input.customer), targetNamed(input.target), {
          dryRun: input.dryRun,
          recordId: input.customerId,
        }),
      );
    },

    /**
     * A target: writes the planned changes (the core's applyPlan). A create that is tried again looks
     * for the record first: the earlier try may have created it before its answer was lost.
     */
    async pushTarget(input: PushInput): Promise<PushResult> {
      return asActivity(async () => {
        // The workflow keeps the plan's result: here only the write counts.
        const plan: TargetPlan = {
          result: { target: input.target, outcome: 'updated', written: {}, unchanged: [], skipped: [] },
          write: { ...(input.recordId ? { recordId: input.recordId } : {}), changes: input.changes },
        };
        const result = await applyPlan(revive(input.customer), targetNamed(input.target), plan, {
          retried: activityInfo().attempt > 1,
        });
        return { id: result.customerId!, created: result.created === true, written: result.written };
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
