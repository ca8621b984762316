// What the workflows, the worker and the client agree on: names of task queues, workflow ids,
// search attributes and the workflows' inputs. No I/O here: the workflow bundle imports this file.
import type { BackfillProgress, Platform, SyncResult, TargetName } from '@cx-profile-sync/core/pure';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** A registered platform's name (the core's registry says which exist). */
export type { Platform };
/** A registered target's name, or every configured target. */
export type Targets = TargetName | 'all';

/** The platform the customers are read from: its queue runs the source's activities. */
export const SOURCE_PLATFORM: Platform = 'genesys';

/**
 * The task queue of one platform's activities, next to the workflows' queue. Each has its own
 * server-side dispatch rate (`maxTaskQueueActivitiesPerSecond`), so a platform's request rate holds
 * however many workers poll it.
 */
export function platformQueue(taskQueue: string, platform: Platform): string {
  return `${taskQueue}-${platform}`;
}

/** One sync per conversation: starting it twice joins the first run instead of syncing twice. */
export function syncWorkflowId(conversationId: string): string {
  return `sync-conversation-${conversationId}`;
}

/** One live workflow per subject of events (`conversation:<id>`, `contact:<id>`): signal-with-start's id. */
export function liveWorkflowId(subjectKey: string): string {
  return `live-${subjectKey}`;
}

/** One event as the intake signals it to its subject's live workflow. */
export interface LiveEvent {
  id: string;
  eventTime: string;
  receivedAt: string;
}

export interface LiveSyncInput extends CommonInput {
  subjectKey: string;
  /** Quiet period and maximum wait of a burst (default 2 s and 10 s). */
  quietMs?: number;
  maxWaitMs?: number;
  /** How long the workflow waits for more events before it ends (default 10 minutes). */
  idleMs?: number;
  /** Carried across continue-as-new. */
  state?: { seen: string[]; pending: LiveEvent[]; syncs: number };
}

/** What a live workflow did (its query, and its result once idle). */
export interface LiveStatus {
  subjectKey: string;
  syncs: number;
  events: number;
  duplicates: number;
  /** The last sync's per-target outcomes, and its lag from the newest event. */
  last?: { at: string; lagMs: number; targets: { target: string; outcome: string }[] };
  /** Reads of the subject that failed for good (its events had no effect), with the reason. */
  failures: { at: string; events: number; message: string }[];
}

/** One back-fill per interval (normalised ISO instants, so equal intervals get the same id). */
export function backfillWorkflowId(since: string, until: string): string {
  return `backfill-${new Date(since).toISOString()}-${new Date(until).toISOString()}`;
}

/** Register these on the namespace (`temporal operator search-attribute create`, or start-dev's flag). */
export const SEARCH_ATTRIBUTES = {
  /** The targets a workflow writes to. */
  target: defineSearchAttributeKey('CxTarget', SearchAttributeType.KEYWORD_LIST),
  /** The worst outcome: updated, unchanged, customer-not-found, failed or dry-run. */
  outcome: defineSearchAttributeKey('CxOutcome', SearchAttributeType.KEYWORD),
  /** Which customer a sync was about (`contact:<id>`, `phone:<e164>`, `email:<address>`). */
  customer: defineSearchAttributeKey('CxCustomer', SearchAttributeType.KEYWORD),
} as const;

/** `Name=Type` pairs for `temporal server start-dev --search-attribute`. */
export const SEARCH_ATTRIBUTE_FLAGS = ['CxTarget=KeywordList', 'CxOutcome=Keyword', 'CxCustomer=Keyword'];

/** Options every workflow takes. */
export interface CommonInput {
  targets?: Targets;
  dryRun?: boolean;
  /** Set by the client when the search attributes are registered on the namespace. */
  searchAttributes?: boolean;
  /** Start-to-close timeout of one platform activity (default 30 s): how soon a crashed worker's work is retried. */
  activityTimeoutSeconds?: number;
  /** Tries of one activity in all (default 8); rate limits and transient errors only. */
  maxAttempts?: number;
  /** Read each target record even when the worker's ledger knows it, and rewrite what differs. */
  verify?: boolean;
}

export interface SyncConversationInput extends CommonInput {
  conversationId: string;
}

/** Where a back-fill is, carried across continue-as-new. */
export interface BackfillState {
  jobId: string;
  targets: TargetName[];
  /** The analytics results cursor of the next page (none for the first). */
  cursor?: string;
  /** Conversations of that page already done (a page too large for one payload is taken in parts). */
  skip?: number;
  progress: BackfillProgress;
  /** Runs so far (continue-as-new). */
  runs: number;
}

export interface BackfillInput extends CommonInput {
  since: string;
  until: string;
  /** Customers synced at the same time (default 8). */
  concurrency?: number;
  /** Conversations per analytics page (default 100, at most 1,000; 100 or more keeps reads per customer under 0.01). */
  pageSize?: number;
  /** Continue as new after this many pages (default 1): each run's history stays small. */
  pagesPerRun?: number;
  /** Internal: the state of the previous run. */
  state?: BackfillState;
}

export type BackfillPhase = 'submitting' | 'waiting-for-job' | 'syncing' | 'done';

/** What the `progress` query answers, and what a back-fill returns. */
export interface BackfillStatus {
  since: string;
  until: string;
  phase: BackfillPhase;
  jobId?: string;
  runs: number;
  progress: BackfillProgress;
}

export interface IncrementalInput extends Omit<CommonInput, 'searchAttributes'> {
  /** The schedule's period. */
  everyMinutes: number;
  /** Added before each window, so that conversations indexed late are not missed. */
  overlapMinutes: number;
  concurrency?: number;
  pageSize?: number;
  searchAttributes?: boolean;
}

export type { SyncResult };
