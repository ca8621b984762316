import { type Emulators, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectClient,
  createSchedule,
  deleteSchedule,
  startBackfill,
  type TemporalClient,
} from './client.js';
import { loadWorkerConfig } from './config.js';
import type { BackfillStatus } from './shared.js';
import { intervalOf, sleep, startWorkerProcess, useTemporal, workerEnv } from './test-helpers.js';
import { runWorkerCommand, type WorkerProcess } from './worker-process.js';

// 30 customers with two conversations each: the seed's analytics watermark leaves the two most
// recent of the 60 conversations out.
const QUEUE = 'watermark-e2e';
const server = useTemporal();
let emu: Emulators;
let worker: WorkerProcess;
let client: TemporalClient;
const env = () => workerEnv(emu, server(), QUEUE);

beforeAll(async () => {
  emu = await startEmulators({
    customers: 30,
    conversationsPerCustomer: 2,
    limits: false,
    genesys: { jobDelayMs: 50 },
  });
  worker = await startWorkerProcess(env());
  client = await connectClient(loadWorkerConfig(env()).temporal);
}, 90_000);
afterAll(async () => {
  await client?.close();
  await worker?.stop();
  await emu?.stop();
});

describe("the worker's back-fill against Genesys Cloud's analytics watermark", () => {
  it('covers up to the watermark, exits 7 saying what is left, and a later run syncs the rest once', async () => {
    const { since, until } = intervalOf(emu.seed);
    const conversations = emu.seed.genesys.conversations;
    const watermark = emu.seed.genesys.dataAvailabilityDate!;
    expect(watermark).toBe(conversations.at(-2)!.startTime);

    const first = await runWorkerCommand(
      ['backfill', '--since', since, '--until', until, '--wait', '--json'],
      env(),
    );
    expect(first.code, first.stderr).toBe(7);
    const status = JSON.parse(first.stdout);
    expect(status.phase).toBe('done');
    expect(status.progress).toMatchObject({
      conversations: 58,
      coveredUntil: watermark,
      remaining: { since: watermark, until },
    });
    expect(status.progress.outcomes.failed).toBe(0);
    // The job was submitted for [since, watermark).
    const submitted = emu.genesys.log
      .list()
      .filter((r) => r.method === 'POST' && r.path.endsWith('/details/jobs'))
      .map((r) => (r.body as { interval: string }).interval);
    expect(submitted).toEqual([`${since}/${watermark}`]);
    // The text output says it in a sentence.
    const text = await runWorkerCommand(['status', `backfill-${since}-${until}`], env());
    expect(text.code).toBe(0);
    expect(JSON.parse(text.stdout).result.progress.coveredUntil).toBe(watermark);

    // The data lake catches up: the rest of the window is synced, and only the rest.
    emu.state.genesys.setWatermark(until);
    const rest = await startBackfill(client, { since: watermark, until });
    const second = await rest.result();
    expect(second.progress).toMatchObject({ conversations: 2, coveredUntil: until });
    expect(second.progress.remaining).toBeUndefined();
    const jobbed = [...emu.state.genesys.jobs.values()].flatMap((j) => j.conversationIds);
    expect(jobbed).toEqual(conversations.map((c) => c.id));
    expect(status.progress.conversations + second.progress.conversations).toBe(conversations.length);
  });

  it('submits no job when the data does not reach the window yet, and runs the window again later', async () => {
    emu.reset();
    const { until } = intervalOf(emu.seed);
    // A window of its own (the first test back-filled [seed watermark, until) already).
    const since = new Date(Date.parse(emu.seed.genesys.dataAvailabilityDate!) - 1000).toISOString();
    const watermark = new Date(Date.parse(since) - 3_600_000).toISOString();
    emu.state.genesys.setWatermark(watermark);
    const run = await runWorkerCommand(['backfill', '--since', since, '--until', until, '--wait'], env());
    expect(run.code, run.stderr).toBe(7);
    expect(run.stdout).toContain(
      `Genesys Cloud's analytics data reaches ${watermark}: conversations after it were not synced; run again later for the rest (${since}/${until})`,
    );
    expect(
      emu.genesys.log.list().filter((r) => r.method === 'POST' && r.path.endsWith('/details/jobs')),
    ).toEqual([]);
    // The same window again once the data reaches it: the completed, partial back-fill runs again.
    emu.state.genesys.setWatermark(until);
    const again = await runWorkerCommand(
      ['backfill', '--since', since, '--until', until, '--wait', '--json'],
      env(),
    );
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).progress).toMatchObject({ conversations: 2, coveredUntil: until });
  });
});

describe('the incremental schedule against the watermark', () => {
  /** The results of the schedule's completed runs, oldest first, once there are `count`. */
  async function completedRuns(scheduleId: string, count: number): Promise<BackfillStatus[]> {
    for (let i = 0; i < 240; i++) {
      const runs: { start: number; result: Promise<BackfillStatus> }[] = [];
      for await (const w of client.client.workflow.list({
        query: `WorkflowType = 'incrementalSync' AND ExecutionStatus = 'Completed'`,
      }))
        if (w.workflowId.startsWith(scheduleId))
          runs.push({
            start: w.startTime.getTime(),
            result: client.client.workflow.getHandle(w.workflowId, w.runId).result(),
          });
      if (runs.length >= count) {
        runs.sort((a, b) => a.start - b.start);
        return Promise.all(runs.map((r) => r.result));
      }
      await sleep(500);
    }
    throw new Error(`fewer than ${count} completed runs of ${scheduleId}`);
  }

  it("starts each window where the last run's coverage ended, so that late data is synced", async () => {
    emu.reset();
    const scheduleId = 'e2e-watermark-incremental';
    // The data lake is 20 minutes behind: the first window (the last minute) is not reached at all.
    emu.state.genesys.setWatermark(new Date(Date.now() - 20 * 60_000).toISOString());
    await createSchedule(client, { scheduleId, everyMinutes: 1, overlapMinutes: 0 });
    try {
      const handle = client.client.schedule.getHandle(scheduleId);
      await handle.trigger();
      const [first] = await completedRuns(scheduleId, 1);
      expect(first!.progress).toMatchObject({
        conversations: 0,
        coveredUntil: first!.since,
        remaining: { since: first!.since, until: first!.until },
      });
      // A conversation of the first window, indexed late; then the data lake catches up.
      const start = new Date(Date.parse(first!.since) + 1000).toISOString();
      const seeded = emu.seed.genesys.conversations.find((c) => c.customerIndex === 0)!;
      emu.state.genesys.addConversations([
        {
          ...structuredClone(seeded),
          id: 'cccccccc-0000-4000-8000-0000000000aa',
          startTime: start,
          endTime: start,
          participants: seeded.participants.map((p) =>
            p.purpose === 'customer' ? { ...p, attributes: { ...p.attributes, promo_code: 'LATE-1' } } : p,
          ),
        },
      ]);
      emu.state.genesys.setWatermark(undefined);
      // The next runs (each minute) start where the first one's coverage ended, until one syncs the
      // late conversation.
      let runs: BackfillStatus[] = [];
      for (let i = 0; i < 20 && !runs.some((r) => r.progress.conversations > 0); i++)
        runs = await completedRuns(scheduleId, runs.length + 1);
      const later = runs.slice(1);
      for (const r of later) expect(r.since).toBe(first!.since);
      const second = later.find((r) => r.progress.conversations > 0)!;
      expect(Date.parse(second.until)).toBeGreaterThan(Date.parse(first!.until));
      expect(second.progress).toMatchObject({ conversations: 1, customers: 1, coveredUntil: second.until });
      expect(second.progress.remaining).toBeUndefined();
      const c0 = emu.seed.customers[0]!;
      expect(emu.state.cxone.customers.get(c0.cxoneCustomerId!)!.customFields.get('promo_code')?.value).toBe(
        'LATE-1',
      );
    } finally {
      await deleteSchedule(client, scheduleId);
    }
  }, 180_000);
});
