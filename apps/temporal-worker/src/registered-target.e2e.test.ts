import { registerTarget, unregisterPlatform } from '@cx-profile-sync/core';
import { type MemoServer, memo, startMemoServer } from '@cx-profile-sync/core/testing/memo';
import { type Emulators, startEmulators } from '@cx-profile-sync/emulators';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, startSync, type TemporalClient } from './client.js';
import { loadWorkerConfig } from './config.js';
import { syncWorkflowId } from './shared.js';
import { useTemporal, workerEnv } from './test-helpers.js';
import { type RunningWorker, startWorker } from './worker.js';

// A target registered in this test process only (the core's test target, Memo CRM): a worker in this
// process gives it a task queue, and the workflows route its plan and push there, with no edit of
// the worker. (The other tests run the worker as a child process, which knows only the built-in ones.)
const QUEUE = 'registered-target';
const server = useTemporal();
let emu: Emulators;
let memoServer: MemoServer;
let worker: RunningWorker | undefined;
let client: TemporalClient | undefined;

beforeAll(async () => {
  registerTarget(memo);
  // Quiet: the SDK says at WARN that each queue has only workflows or only activities (expected).
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  emu = await startEmulators({ customers: 4, limits: false });
  memoServer = await startMemoServer();
  const config = loadWorkerConfig({ ...workerEnv(emu, server(), QUEUE), ...memoServer.env });
  expect(config.activitiesPerSecond).toHaveProperty('memo');
  worker = await startWorker(config);
  client = await connectClient(config.temporal);
}, 90_000);
afterAll(async () => {
  await client?.close();
  await worker?.shutdown();
  await memoServer?.stop();
  await emu?.stop();
  unregisterPlatform('memo');
});

/** Each activity the workflow scheduled, with the task queue it went to. */
async function scheduledActivities(workflowId: string): Promise<[string, string][]> {
  const history = await client!.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    return a ? [[a.activityType?.name ?? '', a.taskQueue?.name ?? ''] as [string, string]] : [];
  });
}

describe('a target registered only in a test', () => {
  it('is synced by the worker path next to the built-in targets, on its own task queue', async () => {
    const seed = emu.seed.customers[1]!;
    const conversationId = seed.conversationIds.at(-1)!;
    const result = await (await startSync(client!, { conversationId })).result();
    expect(result.targets.map((t) => [t.target, t.outcome])).toEqual([
      ['cxone', 'updated'],
      ['cognigy', 'updated'],
      ['memo', 'updated'],
    ]);
    const onMemo = result.targets[2]!;
    expect(onMemo.created).toBe(true);
    const record = memoServer.records.get(onMemo.customerId!)!;
    expect(record.contacts).toContain(seed.phone);
    expect(record.fields).toEqual(onMemo.written);

    const activities = await scheduledActivities(syncWorkflowId(conversationId));
    expect(activities).toContainEqual(['syncTarget', `${QUEUE}-memo`]);
    expect(activities).toContainEqual(['fetchCustomer', `${QUEUE}-genesys`]);
  });

  it('is the only one written with targets: memo', async () => {
    const conversationId = emu.seed.customers[2]!.conversationIds.at(-1)!;
    const result = await (await startSync(client!, { conversationId, targets: 'memo' })).result();
    expect(result.targets).toEqual([expect.objectContaining({ target: 'memo', outcome: 'updated' })]);
    expect((await scheduledActivities(syncWorkflowId(conversationId))).map(([, queue]) => queue)).toEqual([
      `${QUEUE}-genesys`,
      `${QUEUE}-memo`,
    ]);
  });
});
