import {
  Client,
  Connection,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/client';
import type { TemporalSettings } from './config.js';
import {
  type BackfillInput,
  type BackfillStatus,
  backfillWorkflowId,
  type CommonInput,
  type IncrementalInput,
  type LiveEvent,
  type LiveSyncInput,
  liveWorkflowId,
  type SyncConversationInput,
  type SyncResult,
  syncWorkflowId,
} from './shared.js';
import type { backfill, incrementalSync, liveSync, RetryStatus, syncCustomer } from './workflows.js';

export interface TemporalClient {
  client: Client;
  settings: TemporalSettings;
  close(): Promise<void>;
}

/** A Temporal server that could not be reached: the command line exits 6, like an unavailable platform. */
export class TemporalUnavailableError extends Error {}

export async function connectClient(settings: TemporalSettings): Promise<TemporalClient> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: settings.address });
  } catch (e) {
    throw new TemporalUnavailableError(
      `cannot reach the Temporal server at ${settings.address} (TEMPORAL_ADDRESS): ${(e as Error).message}`,
    );
  }
  return {
    client: new Client({ connection, namespace: settings.namespace }),
    settings,
    close: () => connection.close(),
  };
}

/** Server-side types of our search attributes (temporal.api.enums.v1.IndexedValueType). */
const INDEXED_VALUE_TYPE = { KEYWORD: 2, KEYWORD_LIST: 7 } as const;
const OUR_SEARCH_ATTRIBUTES = {
  CxTarget: INDEXED_VALUE_TYPE.KEYWORD_LIST,
  CxOutcome: INDEXED_VALUE_TYPE.KEYWORD,
  CxCustomer: INDEXED_VALUE_TYPE.KEYWORD,
};

/** Our search attributes not yet registered on the namespace. */
export async function missingSearchAttributes({ client, settings }: TemporalClient): Promise<string[]> {
  const listed = await client.connection.operatorService.listSearchAttributes({
    namespace: settings.namespace,
  });
  const have = new Set(Object.keys(listed.customAttributes ?? {}));
  return Object.keys(OUR_SEARCH_ATTRIBUTES).filter((k) => !have.has(k));
}

/**
 * Registers the missing search attributes (the worker does this at start). Returns what is still
 * missing, with the reason, when the server refuses (for example without operator permission).
 */
export async function registerSearchAttributes(
  c: TemporalClient,
): Promise<{ missing: string[]; error?: string }> {
  const missing = await missingSearchAttributes(c);
  if (missing.length === 0) return { missing };
  try {
    await c.client.connection.operatorService.addSearchAttributes({
      namespace: c.settings.namespace,
      searchAttributes: Object.fromEntries(
        missing.map((k) => [k, OUR_SEARCH_ATTRIBUTES[k as keyof typeof OUR_SEARCH_ATTRIBUTES]]),
      ),
    });
    return { missing: [] };
  } catch (e) {
    return { missing, error: (e as Error).message };
  }
}

export interface StartOptions {
  /** Run again even when a workflow with this id already completed (default: reuse its result). */
  rerun?: boolean;
}

export interface Started<T> {
  workflowId: string;
  /** Whether this call started it; false when it joined a running one or found a completed one. */
  started: boolean;
  result(): Promise<T>;
}

/**
 * Starts a workflow with an id derived from what it syncs. When that id is taken by a running
 * workflow, or by a completed one (unless `rerun`), nothing new starts: the caller gets the
 * existing one. A failed one may run again (reuse policy ALLOW_DUPLICATE_FAILED_ONLY).
 */
async function startOnce<T>(
  c: TemporalClient,
  workflowType: string,
  workflowId: string,
  input: object,
  options: StartOptions,
): Promise<Started<T>> {
  try {
    const handle = await c.client.workflow.start(workflowType, {
      taskQueue: c.settings.taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      workflowIdReusePolicy: options.rerun
        ? WorkflowIdReusePolicy.ALLOW_DUPLICATE
        : WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    });
    return { workflowId, started: true, result: () => handle.result() as Promise<T> };
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    const handle = c.client.workflow.getHandle(workflowId);
    return { workflowId, started: false, result: () => handle.result() as Promise<T> };
  }
}

async function withSearchAttributes<T extends object>(c: TemporalClient, input: T): Promise<T> {
  return { ...input, searchAttributes: (await missingSearchAttributes(c)).length === 0 };
}

/** One pass over the worker's ledger of retryable failures (a new workflow each time). */
export async function startRetry(c: TemporalClient, input: CommonInput): Promise<Started<RetryStatus>> {
  const workflowId = `retry-failures-${new Date().toISOString()}`;
  return startOnce<RetryStatus>(c, 'retryFailures', workflowId, await withSearchAttributes(c, input), {});
}

export async function startSync(
  c: TemporalClient,
  input: SyncConversationInput,
  options: StartOptions = {},
): Promise<Started<SyncResult>> {
  const full = await withSearchAttributes(c, input);
  return startOnce<Awaited<ReturnType<typeof syncCustomer>>>(
    c,
    'syncCustomer',
    syncWorkflowId(input.conversationId),
    full,
    options,
  );
}

export async function startBackfill(
  c: TemporalClient,
  input: Omit<BackfillInput, 'state'>,
  options: StartOptions = {},
): Promise<Started<BackfillStatus>> {
  const full = await withSearchAttributes(c, input);
  const workflowId = backfillWorkflowId(input.since, input.until);
  const run = await startOnce<Awaited<ReturnType<typeof backfill>>>(c, 'backfill', workflowId, full, options);
  if (run.started || options.rerun) return run;
  // A completed back-fill that Genesys Cloud's analytics data did not cover whole runs again: "run
  // again later for the rest" must work with the same window.
  const described = await c.client.workflow.getHandle(workflowId).describe();
  if (described.status.name !== 'COMPLETED' || !(await run.result()).progress.remaining) return run;
  return startOnce(c, 'backfill', workflowId, full, { rerun: true });
}

/** The progress of a running back-fill (the latest run of its chain), from its `progress` query. */
export async function queryProgress(c: TemporalClient, workflowId: string): Promise<BackfillStatus> {
  return c.client.workflow.getHandle(workflowId).query<BackfillStatus>('progress');
}

export interface WorkflowStatus {
  workflowId: string;
  type: string;
  status: string;
  startTime: string;
  closeTime?: string;
  /** The result when completed (a SyncResult or a back-fill's status). */
  result?: unknown;
  /** A running back-fill's progress. */
  progress?: BackfillStatus;
  /** Why it failed: the root cause's type and message. */
  failure?: { type?: string; message: string };
  searchAttributes: Record<string, unknown>;
}

/** The innermost cause of a Temporal failure, e.g. the ApplicationFailure an activity threw. */
export function rootCause(e: unknown): { type?: string; message: string } {
  let cur = e as { cause?: unknown; type?: string; message?: string } | undefined;
  while (cur?.cause) cur = cur.cause as typeof cur;
  return { ...(cur?.type ? { type: cur.type } : {}), message: cur?.message ?? String(e) };
}

export async function workflowStatus(c: TemporalClient, workflowId: string): Promise<WorkflowStatus> {
  const handle = c.client.workflow.getHandle(workflowId);
  const d = await handle.describe();
  const searchAttributes: Record<string, unknown> = {};
  for (const pair of d.typedSearchAttributes.getAll()) {
    if (pair.key.name.startsWith('Cx')) searchAttributes[pair.key.name] = pair.value;
  }
  const status: WorkflowStatus = {
    workflowId,
    type: d.type,
    status: d.status.name,
    startTime: d.startTime.toISOString(),
    ...(d.closeTime ? { closeTime: d.closeTime.toISOString() } : {}),
    searchAttributes,
  };
  if (d.status.name === 'RUNNING' && d.type === 'backfill') status.progress = await handle.query('progress');
  if (d.status.name === 'COMPLETED' || d.status.name === 'CONTINUED_AS_NEW') {
    status.result = await handle.result();
    status.status = 'COMPLETED';
  }
  if (d.status.name === 'FAILED') {
    try {
      await handle.result();
    } catch (e) {
      status.failure = rootCause(e instanceof WorkflowFailedError ? e.cause : e);
    }
  }
  return status;
}

export interface ScheduleSettings extends Omit<IncrementalInput, 'searchAttributes'> {
  scheduleId: string;
}

/** A Schedule that back-fills the last `everyMinutes` plus `overlapMinutes`, every `everyMinutes`. */
export async function createSchedule(c: TemporalClient, s: ScheduleSettings): Promise<void> {
  const { scheduleId, ...input } = s;
  const args: Parameters<typeof incrementalSync> = [await withSearchAttributes(c, input)];
  await c.client.schedule.create({
    scheduleId,
    spec: { intervals: [{ every: `${s.everyMinutes}m` }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'incrementalSync',
      workflowId: scheduleId,
      taskQueue: c.settings.taskQueue,
      args,
    },
    // One window at a time; a late window is still taken within an hour.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
  });
}

export interface ScheduleListing {
  scheduleId: string;
  workflowType?: string;
  everyMinutes?: number;
  paused: boolean;
  nextRuns: string[];
  recentRuns: string[];
}

export async function listSchedules(c: TemporalClient): Promise<ScheduleListing[]> {
  const out: ScheduleListing[] = [];
  for await (const s of c.client.schedule.list()) {
    const every = s.spec?.intervals?.[0]?.every;
    out.push({
      scheduleId: s.scheduleId,
      ...(s.action ? { workflowType: s.action.workflowType } : {}),
      ...(every !== undefined ? { everyMinutes: every / 60_000 } : {}),
      paused: s.state.paused,
      nextRuns: s.info.nextActionTimes.map((d) => d.toISOString()),
      recentRuns: s.info.recentActions.map((a) => a.scheduledAt.toISOString()),
    });
  }
  return out;
}

export async function deleteSchedule(c: TemporalClient, scheduleId: string): Promise<void> {
  await c.client.schedule.getHandle(scheduleId).delete();
}

/**
 * Hands events to their subjects' live workflows (signal-with-start: the workflow starts if it is not
 * running). Resolves once Temporal has every signal, which is when the intake may answer 202.
 */
export async function signalLiveEvents(
  c: TemporalClient,
  events: readonly (LiveEvent & { subjectKey: string })[],
  input: Omit<LiveSyncInput, 'subjectKey' | 'state'> = {},
): Promise<void> {
  await Promise.all(
    events.map((e) =>
      c.client.workflow.signalWithStart<typeof liveSync, [LiveEvent]>('liveSync', {
        taskQueue: c.settings.taskQueue,
        workflowId: liveWorkflowId(e.subjectKey),
        args: [{ ...input, subjectKey: e.subjectKey }],
        signal: 'event',
        signalArgs: [{ id: e.id, eventTime: e.eventTime, receivedAt: e.receivedAt }],
      }),
    ),
  );
}
