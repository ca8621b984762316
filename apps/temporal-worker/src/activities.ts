import {
  attributeMap,
  customersOfConversations,
  planChanges,
  type SourceCustomer,
  type SyncServices,
  type TargetName,
  type TargetResult,
  UpstreamError,
} from '@cx-profile-sync/core';
import { activityInfo, heartbeat, sleep } from '@temporalio/activity';
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
}

export interface PlanInput {
  customer: SourceCustomer;
  target: TargetName;
  dryRun?: boolean;
  /** The target's own id of the customer, instead of finding it by identity. */
  customerId?: string;
}

/** What a target needs: the result so far and, when something must be written, what to write where. */
export interface TargetPlan {
  result: TargetResult;
  write?: { recordId?: string; changes: Record<string, unknown> };
}

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
 * Values crossing Temporal come back as plain objects: rebuild the attribute maps without a
 * prototype, so keys such as `__proto__` stay data (as the core's own maps do).
 */
function revive(c: SourceCustomer): SourceCustomer {
  return { ...c, attributes: attributeMap(Object.entries(c.attributes)) };
}

function plainMap(o: Record<string, unknown>): Record<string, unknown> {
  const m: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(o)) m[k] = v;
  return m;
}

/**
 * The worker's activities around one set of core services: one runtime per worker process, so
 * tokens and client-side limiters are shared by every activity. Each throws the core's errors as
 * ApplicationFailures (see failures.ts), so that Temporal's retries follow the taxonomy.
 */
export function createActivities(services: SyncServices, options: { jobPollMs?: number } = {}) {
  const targetNames = (which: Targets) => services.targets(which).map((t) => t.name);
  const targetNamed = (name: TargetName) => services.targets(name)[0]!;

  return {
    /** Genesys: the customer participant of a conversation. */
    async fetchCustomer(input: { conversationId: string; targets: Targets }): Promise<FetchedCustomer> {
      return asActivity(async () => {
        const targets = targetNames(input.targets);
        const customer = await services.genesys.customerFromConversation(input.conversationId);
        return { customer, targets };
      });
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
      return asActivity(async () => {
        let pollMs = options.jobPollMs ?? 250;
        for (;;) {
          const status = await services.genesys.jobStatus(input.jobId);
          heartbeat(status.state);
          if (status.state === 'FULFILLED') return;
          if (status.state === 'FAILED' || status.state === 'CANCELLED' || status.state === 'EXPIRED')
            throw new UpstreamError(
              `Genesys Cloud analytics job ${input.jobId} ended ${status.state}${status.errorMessage ? `: ${status.errorMessage}` : ''}; start the back-fill again`,
              { platform: 'genesys' },
            );
          await sleep(pollMs);
          pollMs = Math.min(pollMs * 2, 5000);
        }
      });
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
        };
      });
    },

    /**
     * A target: converts for its schema, finds the customer's record and compares. Says what to
     * write, or the final outcome when nothing is to be written (unchanged, not found, dry run).
     */
    async planTarget(input: PlanInput): Promise<TargetPlan> {
      return asActivity(async () => {
        const target = targetNamed(input.target);
        const customer = revive(input.customer);
        const result: TargetResult = {
          target: input.target,
          outcome: 'updated',
          written: {},
          unchanged: [],
          skipped: [],
        };
        const { values, skipped } = await target.convert(customer);
        result.skipped = skipped;
        const found = await target.find(customer, input.customerId);
        if (!found.found && !found.creates) {
          result.outcome = 'customer-not-found';
          result.reason = found.reason;
          return { result };
        }
        if (found.found) result.customerId = found.found.id;
        const { changes, unchanged } = planChanges(values, found.found?.current ?? {});
        result.unchanged = unchanged;
        result.written = changes;
        if (Object.keys(changes).length === 0 && found.found) {
          result.outcome = 'unchanged';
          return { result };
        }
        if (input.dryRun) {
          result.outcome = 'dry-run';
          if (!found.found) result.reason = found.reason;
          return { result };
        }
        return { result, write: { ...(found.found ? { recordId: found.found.id } : {}), changes } };
      });
    },

    /**
     * A target: writes the planned changes. A create that is tried again looks for the record first:
     * the earlier try may have created it before its answer was lost.
     */
    async pushTarget(input: PushInput): Promise<PushResult> {
      return asActivity(async () => {
        const target = targetNamed(input.target);
        const customer = revive(input.customer);
        const planned = plainMap(input.changes);
        if (!input.recordId && activityInfo().attempt > 1) {
          const found = await target.find(customer);
          if (found.found) {
            const { changes } = planChanges(planned, found.found.current);
            if (Object.keys(changes).length > 0) await target.write(customer, found.found, changes);
            return { id: found.found.id, created: true, written: planned };
          }
        }
        const record = input.recordId ? { id: input.recordId, current: {} } : undefined;
        const written = await target.write(customer, record, planned);
        return { id: written.id, created: written.created, written: planned };
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
