import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulators, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectClient, queryProgress, startBackfill, type TemporalClient } from './client.js';
import type { BackfillStatus } from './shared.js';
import {
  type DevServer,
  findTemporalCli,
  freePort,
  NO_TEMPORAL_CLI,
  startDevServer,
} from './temporal-server.js';
import {
  expectedBackfill,
  expectedState,
  intervalOf,
  sleep,
  startWorkerProcess,
  targetState,
  useTemporal,
  workerEnv,
} from './test-helpers.js';
import type { WorkerProcess } from './worker-process.js';

// 500 customers with two conversations each: 1,000 conversations, 10 analytics pages of 100.
const PAGE_SIZE = 100;
const server = useTemporal();
let emu: Emulators;

beforeAll(async () => {
  emu = await startEmulators({
    customers: 500,
    conversationsPerCustomer: 2,
    limits: false,
    requestLogSize: 0,
    // About crashes, not the analytics watermark: nothing held back.
    genesys: { jobDelayMs: 200, watermark: 'none' },
  });
}, 60_000);
beforeEach(() => emu.reset());
afterAll(async () => {
  await emu?.stop();
});

/**
 * `crashed`: a worker was killed mid-page. A target's activity whose write landed but whose answer was
 * lost is run again, finds the values there and says `unchanged` (at most one a target and activity
 * slot in flight): the customer is counted once either way, and the targets' state is exact.
 */
function expectCompleted(final: BackfillStatus, since: string, until: string, crashed = false) {
  const expected = expectedBackfill(emu.seed, PAGE_SIZE, since, until);
  expect(expected.conversations).toBe(1000);
  expect(final.phase).toBe('done');
  expect(final.progress.failures).toEqual([]);
  expect(final.progress).toMatchObject({
    pages: expected.pages,
    conversations: expected.conversations,
    customers: expected.customers,
    withoutCustomer: 0,
  });
  const { updated, unchanged, ...rest } = final.progress.outcomes;
  const { updated: wantUpdated, unchanged: wantUnchanged, ...wantRest } = expected.outcomes;
  expect(rest).toEqual(wantRest);
  expect(updated + unchanged).toBe(wantUpdated + wantUnchanged);
  if (crashed) expect(unchanged - wantUnchanged).toBeLessThanOrEqual(32);
  else expect({ updated, unchanged }).toEqual({ updated: wantUpdated, unchanged: wantUnchanged });
  // Every customer on both targets holds exactly the expected values.
  expect(targetState(emu)).toEqual(expectedState(expected));
}

describe('back-fill workflow on a real Temporal server', () => {
  let worker: WorkerProcess | undefined;
  let client: TemporalClient | undefined;
  afterAll(async () => {
    await client?.close();
    await worker?.stop();
  });

  it('syncs every customer of 1,000 conversations through injected 429s and 5xx, each exactly as expected', async () => {
    const env = workerEnv(emu, server(), 'backfill-faults');
    worker = await startWorkerProcess(env);
    client = await connectClient({
      address: server().address,
      namespace: 'default',
      taskQueue: 'backfill-faults',
    });
    const status = (status: number, retryAfter?: number) => ({
      kind: 'status' as const,
      status,
      ...(retryAfter ? { retryAfter } : {}),
    });
    emu.genesys.faults.add({ path: '/api/v2/analytics/**', probability: 0.2, fault: status(503) });
    emu.genesys.faults.add({ path: '/api/v2/analytics/**', probability: 0.2, fault: status(429, 1) });
    for (const [platform, path] of [
      [emu.cxone, '/dfo/**'],
      [emu.cognigy, '/new/**'],
    ] as const) {
      platform.faults.add({ path, probability: 0.03, fault: status(429, 1) });
      platform.faults.add({ path, probability: 0.03, fault: status(platform === emu.cxone ? 502 : 500) });
    }
    const { since, until } = intervalOf(emu.seed);
    const run = await startBackfill(client, { since, until, concurrency: 32, pageSize: PAGE_SIZE });
    const final = await run.result();
    // The faults were met on every platform (the rules' draws are seeded, their order is not).
    for (const p of [emu.genesys, emu.cxone, emu.cognigy]) {
      const hits = p.faults.list().map((f) => f.hits);
      expect(hits).toHaveLength(2);
      expect(hits[0]! + hits[1]!).toBeGreaterThan(0);
    }
    const cxoneHits = emu.cxone.faults.list().map((f) => f.hits);
    expect(Math.min(...cxoneHits)).toBeGreaterThan(0);
    expectCompleted(final, since, until);
    // Small runs: one page each, continued as new.
    expect(final.runs).toBe(10);
  }, 240_000);
});

describe('a back-fill through crashes', () => {
  let folder: string;
  let own: DevServer | undefined;
  let worker: WorkerProcess | undefined;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'cx-backfill-crash-'));
  });
  afterAll(async () => {
    await worker?.stop();
    await own?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('finishes with the same state when the worker is SIGKILLed and the server restarted mid-way', async () => {
    const cli = findTemporalCli();
    if (!cli) throw new Error(NO_TEMPORAL_CLI);
    // Its own server on a file, so that it can be killed and started again on the same data.
    const dbFile = join(folder, 'temporal.sqlite');
    const port = await freePort();
    own = await startDevServer({ cliPath: cli, dbFile, port });
    const env = workerEnv(emu, own, 'backfill-crash');
    worker = await startWorkerProcess(env);
    const settings = { address: own.address, namespace: 'default', taskQueue: 'backfill-crash' };
    let client = await connectClient(settings);
    const { since } = intervalOf(emu.seed);
    // Another interval (one second shorter) than the first test: another workflow id, the same conversations.
    const until = new Date(Date.parse(intervalOf(emu.seed).until) - 1000).toISOString();
    const run = await startBackfill(client, {
      since,
      until,
      concurrency: 16,
      pageSize: PAGE_SIZE,
      activityTimeoutSeconds: 5,
    });

    let seen: BackfillStatus | undefined;
    for (let i = 0; i < 600 && !(seen && seen.progress.pages >= 3); i++) {
      await sleep(100);
      seen = await queryProgress(client, run.workflowId).catch(() => seen);
    }
    expect(seen?.progress.pages).toBeGreaterThanOrEqual(3);
    expect(seen?.phase).toBe('syncing');

    // Crash: the worker dies mid-page (customers in flight), then the server goes down too.
    worker.child.kill('SIGKILL');
    await worker.exited;
    await client.close();
    const exited = new Promise((r) => own!.process.once('exit', r));
    own.process.kill('SIGKILL');
    await exited;
    await own.stop();
    own = await startDevServer({ cliPath: cli, dbFile, port });
    worker = await startWorkerProcess(env);
    client = await connectClient(settings);
    try {
      const final = await client.client.workflow
        .getHandle<() => Promise<BackfillStatus>>(run.workflowId)
        .result();
      // Nothing missed, nothing counted twice: the same counts and state as an uninterrupted run.
      expectCompleted(final, since, until, true);
      expect(final.progress.pages).toBe(10);
    } finally {
      await client.close();
    }
  }, 240_000);
});
