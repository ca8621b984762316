// biome-ignore-all lint/suspicious/noExplicitAny: results and histories are inspected freely in tests
import { createSyncServices, loadConfig, type SyncResult, syncCustomer } from '@cx-profile-sync/core';
import { type Emulators, emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  connectClient,
  createSchedule,
  deleteSchedule,
  listSchedules,
  startSync,
  type TemporalClient,
  workflowStatus,
} from './client.js';
import { loadWorkerConfig } from './config.js';
import { syncWorkflowId } from './shared.js';
import { freePort } from './temporal-server.js';
import {
  cognigyProfileOf,
  cxoneFields,
  sleep,
  startWorkerProcess,
  useTemporal,
  workerEnv,
} from './test-helpers.js';
import { runWorkerCommand, type WorkerProcess } from './worker-process.js';

const QUEUE = 'sync-e2e';
const server = useTemporal();
let emu: Emulators;
let twin: Emulators;
let worker: WorkerProcess;
let client: TemporalClient;
let metricsAddress: string;
const env = () => workerEnv(emu, server(), QUEUE, { TEMPORAL_METRICS_ADDRESS: metricsAddress });

beforeAll(async () => {
  emu = await startEmulators({ customers: 20, limits: false, genesys: { jobDelayMs: 50 } });
  // The same seed again: what the CLI (the core in one process) does, to compare results with.
  twin = await startEmulators({ customers: 20, limits: false });
  metricsAddress = `127.0.0.1:${await freePort()}`;
  worker = await startWorkerProcess(env());
  client = await connectClient(loadWorkerConfig(workerEnv(emu, server(), QUEUE)).temporal);
}, 90_000);
beforeEach(() => {
  emu.reset();
  twin.reset();
});
afterAll(async () => {
  await client?.close();
  await worker?.stop();
  await emu?.stop();
  await twin?.stop();
});

const conversationOf = (i: number) => emu.seed.customers[i]!.conversationIds.at(-1)!;
/** Requests to a path, without the 401s of tokens that a reset of the emulators revoked. */
const requests = (e: { log: Emulators['genesys']['log'] }, method: string, path: string) =>
  e.log.list().filter((r) => r.method === method && r.path.startsWith(path) && r.status !== 401);

/** The core's one-process sync (what `cli sync conversation <id> --json` prints) on the twin emulators. */
async function inProcess(conversationId: string): Promise<SyncResult> {
  const services = createSyncServices(loadConfig(emulatorEnv(twin.urls)));
  try {
    return await syncCustomer(
      await services.genesys.customerFromConversation(conversationId),
      services.targets('all'),
    );
  } finally {
    services.close();
  }
}

/** Created Cognigy profiles get random ids: compare everything else. */
const comparable = (r: SyncResult) => ({
  ...r,
  targets: r.targets.map((t) => (t.created ? { ...t, customerId: '(created)' } : t)),
});

/** Activity attempts of one workflow, from its history. */
async function activityAttempts(
  workflowId: string,
): Promise<{ type: string; attempt: number; failed: boolean }[]> {
  const history = await client.client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Map<string, string>();
  const out: { type: string; attempt: number; failed: boolean }[] = [];
  for (const e of history.events ?? []) {
    if (e.activityTaskScheduledEventAttributes)
      scheduled.set(String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '');
    const started = e.activityTaskStartedEventAttributes;
    if (started)
      out.push({
        type: scheduled.get(String(started.scheduledEventId)) ?? '',
        attempt: started.attempt ?? 0,
        failed: false,
      });
    if (e.activityTaskFailedEventAttributes) out.at(-1)!.failed = true;
  }
  return out;
}

describe('syncCustomer workflow on a real Temporal server', () => {
  it('fetches, then syncs each target in one activity, and returns what the CLI returns', async () => {
    for (const i of [0, 3, 9]) {
      const id = conversationOf(i);
      const run = await startSync(client, { conversationId: id });
      expect(run.started).toBe(true);
      const result = await run.result();
      expect(comparable(result)).toEqual(comparable(await inProcess(id)));
      const types = (await activityAttempts(syncWorkflowId(id))).map((a) => a.type).sort();
      expect(types).toEqual(['fetchCustomer', 'syncTarget', 'syncTarget']);
    }
    // One token per platform served every activity of the three syncs (one worker process).
    const tokenRequests = (e: { log: Emulators['genesys']['log'] }, path: string) =>
      e.log.list().filter((r) => r.method === 'POST' && r.path === path).length;
    expect(tokenRequests(emu.genesys, '/oauth/token')).toBe(1);
    expect(tokenRequests(emu.cxone, '/auth/token')).toBe(1);
    // The emulators hold what the in-process sync wrote on the twins.
    expect(cxoneFields(emu)).toEqual(cxoneFields(twin));
    for (const i of [0, 3, 9]) expect(cognigyProfileOf(emu, i)).toEqual(cognigyProfileOf(twin, i));
    expect(cognigyProfileOf(emu, 3)).toBeDefined(); // customer 3 had no profile: one was created
  });

  it('runs a sync once however often it is started, and again only with rerun', async () => {
    const id = conversationOf(1);
    const [a, b] = await Promise.all([
      startSync(client, { conversationId: id }),
      startSync(client, { conversationId: id }),
    ]);
    expect([a.started, b.started].sort()).toEqual([false, true]);
    expect(await a.result()).toEqual(await b.result());
    const later = await startSync(client, { conversationId: id });
    expect(later.started).toBe(false);
    expect((await later.result()).targets.map((t) => t.outcome)).toEqual(['updated', 'updated']);
    expect(requests(emu.genesys, 'GET', `/api/v2/conversations/${id}`)).toHaveLength(1);

    const again = await startSync(client, { conversationId: id }, { rerun: true });
    expect(again.started).toBe(true);
    expect((await again.result()).targets.map((t) => t.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(requests(emu.genesys, 'GET', `/api/v2/conversations/${id}`)).toHaveLength(2);
  });

  it('ends an activity at once on a non-retryable error, with its type', async () => {
    // The source: a conversation that does not exist fails the workflow after one try.
    const missing = 'aaaaaaaa-0000-4000-8000-000000000404';
    const run = await startSync(client, { conversationId: missing });
    const failure = await run.result().then(
      () => undefined,
      (e) => e,
    );
    expect(failure?.cause?.cause?.type).toBe('NotFoundError');
    expect(failure.cause.cause.nonRetryable).toBe(true);
    expect(requests(emu.genesys, 'GET', `/api/v2/conversations/${missing}`)).toHaveLength(1);
    expect(await activityAttempts(syncWorkflowId(missing))).toEqual([
      { type: 'fetchCustomer', attempt: 1, failed: true },
    ]);
    const status = await workflowStatus(client, syncWorkflowId(missing));
    expect(status).toMatchObject({ status: 'FAILED', failure: { type: 'NotFoundError' } });

    // A target: CXone refuses the write (413, a validation error): one PUT, the result says why,
    // and Cognigy is still written.
    emu.cxone.faults.add({
      method: 'PUT',
      path: '/dfo/3.0/customers/*/custom-fields',
      count: 1,
      fault: { kind: 'status', status: 413 },
    });
    const id = conversationOf(2);
    const result = await (await startSync(client, { conversationId: id })).result();
    const [cxone, cognigy] = result.targets;
    expect(cxone).toMatchObject({
      target: 'cxone',
      outcome: 'failed',
      written: {},
      error: { kind: 'validation', status: 413 },
    });
    expect(cognigy).toMatchObject({ target: 'cognigy', outcome: 'updated' });
    expect(requests(emu.cxone, 'PUT', '/dfo/3.0/customers/')).toHaveLength(1);
    const push = (await activityAttempts(syncWorkflowId(id))).filter((a) => a.type === 'syncTarget');
    expect(push.map((p) => p.attempt)).toEqual([1, 1]);
  });

  it('retries a 429 after exactly its Retry-After, and a 503 with backoff, until it works', async () => {
    emu.cognigy.faults.add({
      method: 'PATCH',
      path: '/new/v2.0/profiles/*',
      count: 1,
      fault: { kind: 'status', status: 429, retryAfter: 2 },
    });
    emu.cxone.faults.add({
      method: 'PUT',
      path: '/dfo/3.0/customers/*/custom-fields',
      count: 2,
      fault: { kind: 'status', status: 503 },
    });
    const id = conversationOf(4);
    const result = await (await startSync(client, { conversationId: id })).result();
    expect(result.targets.map((t) => t.outcome)).toEqual(['updated', 'updated']);
    const patches = requests(emu.cognigy, 'PATCH', '/new/v2.0/profiles/');
    expect(patches.map((p) => p.status)).toEqual([429, 200]);
    // Temporal waited the Retry-After (2 s) before the second try, not its 1 s backoff.
    expect(Date.parse(patches[1]!.at) - Date.parse(patches[0]!.at)).toBeGreaterThanOrEqual(1900);
    expect(requests(emu.cxone, 'PUT', '/dfo/3.0/customers/').map((p) => p.status)).toEqual([503, 503, 200]);
    const push = (await activityAttempts(syncWorkflowId(id))).filter((a) => a.type === 'syncTarget');
    expect(push.map((p) => p.attempt).sort()).toEqual([2, 3]);
  });

  it('records the target, outcome and customer as search attributes', async () => {
    const i = 6;
    await (await startSync(client, { conversationId: conversationOf(i) })).result();
    const status = await workflowStatus(client, syncWorkflowId(conversationOf(i)));
    expect(status.status).toBe('COMPLETED');
    expect(status.searchAttributes).toEqual({
      CxTarget: ['cxone', 'cognigy'],
      CxOutcome: 'updated',
      CxCustomer: `contact:${emu.seed.customers[i]!.externalContactId}`,
    });
  });
});

describe('the command line', () => {
  const run = (args: string[]) => runWorkerCommand(args, workerEnv(emu, server(), QUEUE));

  it('syncs a conversation, reports its status, and says what is wrong with its arguments', async () => {
    const id = conversationOf(7);
    const synced = await run(['sync', 'conversation', id, '--json']);
    expect(synced.code).toBe(0);
    const result = JSON.parse(synced.stdout);
    expect(comparable(result)).toEqual(comparable(await inProcess(id)));

    const status = await run(['status', syncWorkflowId(id)]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ status: 'COMPLETED', type: 'syncCustomer', result });

    const missing = await run(['sync', 'conversation', 'bbbbbbbb-0000-4000-8000-000000000404']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('NotFoundError');

    const usage = await run(['backfill', '--since', 'yesterday']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--since is not an ISO date-time');
    // No secret of the emulators' credentials reaches the output.
    for (const out of [synced, status, missing, usage])
      for (const secret of [
        emu.seed.genesys.clientSecret,
        emu.seed.cognigy.apiKey,
        emu.seed.cxone.accessKeySecret,
      ])
        expect(out.stdout + out.stderr).not.toContain(secret);
  });
});

describe('Schedules', () => {
  it('creates, lists, runs (an incremental back-fill of the last window) and deletes a schedule', async () => {
    const scheduleId = 'e2e-incremental';
    await createSchedule(client, { scheduleId, everyMinutes: 5, overlapMinutes: 5 });
    for (let i = 0; i < 40 && !(await listSchedules(client)).some((s) => s.scheduleId === scheduleId); i++)
      await sleep(250);
    expect(await listSchedules(client)).toContainEqual(
      expect.objectContaining({
        scheduleId,
        workflowType: 'incrementalSync',
        everyMinutes: 5,
        paused: false,
      }),
    );
    // A conversation of customer 0 a minute ago, with new values: the next window holds it.
    const start = new Date(Date.now() - 60_000).toISOString();
    const seedConversation = emu.seed.genesys.conversations.find((c) => c.customerIndex === 0)!;
    emu.state.genesys.addConversations([
      {
        ...structuredClone(seedConversation),
        id: 'cccccccc-0000-4000-8000-000000000001',
        startTime: start,
        endTime: start,
        participants: seedConversation.participants.map((p) =>
          p.purpose === 'customer'
            ? { ...p, attributes: { ...p.attributes, loyalty_tier: 'platinum', promo_code: 'NEW-1' } }
            : p,
        ),
      },
    ]);
    await client.client.schedule.getHandle(scheduleId).trigger();
    let backfillId: string | undefined;
    for (let i = 0; i < 120 && !backfillId; i++) {
      for await (const w of client.client.workflow.list({
        query: `WorkflowType = 'backfill' AND ExecutionStatus = 'Completed'`,
      }))
        if (w.workflowId.startsWith('backfill-') && w.parentExecution) backfillId = w.workflowId;
      if (!backfillId) await sleep(500);
    }
    expect(backfillId).toBeDefined();
    const status = await workflowStatus(client, backfillId!);
    expect((status.result as any).progress).toMatchObject({ conversations: 1, customers: 1, pages: 1 });
    const c0 = emu.seed.customers[0]!;
    expect(cxoneFields(emu).get(c0.cxoneCustomerId!)).toMatchObject({
      loyalty_tier: 'platinum',
      promo_code: 'NEW-1',
    });
    expect(cognigyProfileOf(emu, 0)).toMatchObject({ loyalty_tier: 'platinum', promo_code: 'NEW-1' });

    await deleteSchedule(client, scheduleId);
    // The list is eventually consistent (the server's visibility store): wait for the deletion to show.
    let listed = ['?'];
    for (let i = 0; i < 40 && listed.length > 0; i++) {
      listed = (await listSchedules(client)).map((s) => s.scheduleId).filter((id) => id === scheduleId);
      if (listed.length > 0) await sleep(250);
    }
    expect(listed).toEqual([]);
  });
});

describe('the worker process', () => {
  it('serves Prometheus metrics at TEMPORAL_METRICS_ADDRESS', async () => {
    const res = await fetch(`http://${metricsAddress}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const platform of ['genesys', 'cxone', 'cognigy'])
      expect(text).toMatch(new RegExp(`^temporal_\\w+\\{[^}]*task_queue="${QUEUE}-${platform}"`, 'm'));
  });

  it('on SIGTERM finishes the activity in flight, then exits; its JSON logs hold no secret', async () => {
    // Customer 8's Cognigy write takes 2 s: the worker is told to stop meanwhile.
    emu.cognigy.faults.add({
      method: 'PATCH',
      path: '/new/v2.0/profiles/*',
      count: 1,
      fault: { kind: 'delay', ms: 2000 },
    });
    const id = conversationOf(8);
    const run = await startSync(client, { conversationId: id });
    for (let i = 0; i < 300 && emu.cognigy.faults.list().length > 0; i++) await sleep(20);
    expect(emu.cognigy.faults.list()).toEqual([]); // the delayed PATCH is in flight
    const stopped = worker;
    expect(await stopped.stop()).toBe(0);
    const messages = stopped.logs.map((l) => l.message);
    expect(messages).toContain('worker started');
    expect(messages).toContain('worker stopped');
    expect(requests(emu.cognigy, 'PATCH', '/new/v2.0/profiles/').map((r) => r.status)).toEqual([200]);

    worker = await startWorkerProcess(env());
    expect((await run.result()).targets.map((t) => t.outcome)).toEqual(['updated', 'updated']);
    // The write in flight completed during the shutdown and was not sent again. (The other target's
    // push may be retried by the server if the stopping worker had polled it without running it:
    // activities are at-least-once, which is why every write is idempotent.)
    const pushes = (await activityAttempts(syncWorkflowId(id))).filter((a) => a.type === 'syncTarget');
    expect(pushes).toHaveLength(2);
    expect(requests(emu.cognigy, 'PATCH', '/new/v2.0/profiles/').map((r) => r.status)).toEqual([200]);

    const logs = JSON.stringify(stopped.logs);
    expect(stopped.logs.every((l) => typeof l.time === 'string' && typeof l.level === 'string')).toBe(true);
    for (const secret of [
      emu.seed.genesys.clientSecret,
      emu.seed.cxone.clientSecret,
      emu.seed.cxone.accessKeySecret,
      emu.seed.cognigy.apiKey,
    ])
      expect(logs).not.toContain(secret);
  });
});
