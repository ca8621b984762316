// biome-ignore-all lint/style/noNonNullAssertion: seed data is known to be there
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulators, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectClient, type TemporalClient } from './client.js';
import { loadWorkerConfig } from './config.js';
import { type LiveStatus, liveWorkflowId } from './shared.js';
import {
  type DevServer,
  findTemporalCli,
  freePort,
  NO_TEMPORAL_CLI,
  startDevServer,
} from './temporal-server.js';
import { sleep, startWorkerProcess, useTemporal, workerEnv } from './test-helpers.js';
import { WORKER_MAIN, type WorkerProcess } from './worker-process.js';

const server = useTemporal();
const QUEUE = 'live';
const KEY = 'live-test-key';
let emu: Emulators;
let client: TemporalClient;
let worker: WorkerProcess | undefined;
let intake: { child: ChildProcess; url: string } | undefined;
const env = () =>
  workerEnv(emu, server(), QUEUE, {
    CX_LEDGER: join(mkdtempSync(join(tmpdir(), 'cx-ledger-')), 'ledger.sqlite'),
    CX_INTAKE_KEY: KEY,
  });
let vars: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulators({
    customers: 10,
    limits: false,
    genesys: { jobDelayMs: 50, watermark: 'none' },
  });
  vars = env();
  client = await connectClient(loadWorkerConfig(vars).temporal);
  worker = await startWorkerProcess(vars);
  intake = await startIntake(vars);
}, 120_000);

/** `worker intake` as a user runs it; resolves once it printed its URLs. */
async function startIntake(
  vars: Record<string, string>,
  args: string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [WORKER_MAIN, 'intake', '--quiet-ms', '1500', ...args], {
    env: { PATH: process.env.PATH ?? '', ...vars },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!).intakeUrl);
    });
    child.on('exit', (code) => reject(new Error(`intake exited ${code}`)));
  });
  return { child, url };
}
beforeEach(() => emu.reset());
afterAll(async () => {
  intake?.child.kill('SIGTERM');
  await client?.close();
  await worker?.stop();
  await emu?.stop();
});

/** The attributes event of customer `index`'s conversation as an EventBridge API destination posts it. */
const attributesEvent = (index: number, id: string) =>
  emu.state.genesys.customerAttributesEvent(emu.seed.customers[index]!.conversationIds.at(-1)!, id);

function setAttribute(index: number, name: string, value: string) {
  const conversationId = emu.seed.customers[index]!.conversationIds.at(-1)!;
  emu.state.genesys.conversations
    .get(conversationId)!
    .participants.find((p) => p.purpose === 'customer')!.attributes[name] = value;
}

const post = (body: unknown, url = intake!.url) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    body: JSON.stringify(body),
  });

const status = (index: number) =>
  client.client.workflow
    .getHandle(liveWorkflowId(`conversation:${emu.seed.customers[index]!.conversationIds.at(-1)!}`))
    .query<LiveStatus>('status');

async function until(check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(100);
  }
}

const cxoneValue = (index: number, field: string) =>
  emu.state.cxone.customers.get(emu.seed.customers[index]!.cxoneCustomerId!)!.customFields.get(field)?.value;

describe('live sync through Temporal: intake → one workflow per conversation → the target queues', () => {
  it('coalesces a burst (a repeat has no effect) into one sync of the current state', async () => {
    const index = emu.seed.customers.findIndex((c) => c.cxoneCustomerId);
    setAttribute(index, 'promo_code', 'LIVE-T1');
    for (const id of ['t-1', 't-2', 't-2', 't-3'])
      expect((await post(attributesEvent(index, id))).status).toBe(202);
    await until(async () => (await status(index)).syncs === 1);
    expect(cxoneValue(index, 'promo_code')).toBe('LIVE-T1');
    const s = await status(index);
    expect(s).toMatchObject({ events: 3, duplicates: 1, failures: [] });
    expect(s.last!.targets).toContainEqual({ target: 'cxone', outcome: 'updated' });
    await sleep(2000);
    expect((await status(index)).syncs).toBe(1);
  });

  it('loses no accepted event when the worker is killed while the burst waits: it syncs after the restart', async () => {
    const index = emu.seed.customers.findIndex((c, i) => i > 1 && c.cxoneCustomerId);
    setAttribute(index, 'promo_code', 'LIVE-T2');
    expect((await post(attributesEvent(index, 'k-1'))).status).toBe(202);
    await worker!.stop(0);
    await sleep(2000);
    expect(cxoneValue(index, 'promo_code')).not.toBe('LIVE-T2');
    worker = await startWorkerProcess(vars);
    await until(() => cxoneValue(index, 'promo_code') === 'LIVE-T2');
    expect((await status(index)).syncs).toBe(1);
  });

  it('follows queues over the Notifications API WebSocket too', async () => {
    const [queue] = emu.state.genesys.queueIds();
    const listening = await startIntake(vars, ['--listen-notifications', '--queues', queue!]);
    try {
      await until(() =>
        emu.state.genesys.events.notifications.views().some((c) => c.connected && c.topics.length > 0),
      );
      const index = emu.seed.customers.findIndex((c, i) => i > 5 && c.cxoneCustomerId);
      const conversationId = emu.seed.customers[index]!.conversationIds.at(-1)!;
      const participant = emu.state.genesys.conversations
        .get(conversationId)!
        .participants.find((p) => p.purpose === 'customer')!;
      emu.state.genesys.patchParticipantAttributes(conversationId, participant.id, { promo_code: 'LIVE-WS' });
      await until(() => cxoneValue(index, 'promo_code') === 'LIVE-WS');
    } finally {
      listening.child.kill('SIGTERM');
    }
  });

  it('loses no accepted event when the worker and the Temporal server are SIGKILLed', async () => {
    const cli = findTemporalCli();
    if (!cli) throw new Error(NO_TEMPORAL_CLI);
    // Its own server on a file, so that it can be killed and started again on the same data.
    const dbFile = join(mkdtempSync(join(tmpdir(), 'cx-live-')), 'temporal.sqlite');
    const port = await freePort();
    let own: DevServer = await startDevServer({ cliPath: cli, dbFile, port });
    const ownVars = { ...vars, TEMPORAL_ADDRESS: own.address, TEMPORAL_TASK_QUEUE: 'live-crash' };
    let ownWorker = await startWorkerProcess(ownVars);
    const ownIntake = await startIntake(ownVars);
    try {
      const index = emu.seed.customers.findIndex((c, i) => i > 3 && c.cxoneCustomerId);
      setAttribute(index, 'promo_code', 'LIVE-T3');
      expect((await post(attributesEvent(index, 'c-1'), ownIntake.url)).status).toBe(202);
      // Accepted (202: Temporal has the signal); now everything dies before the burst is over.
      ownIntake.child.kill('SIGKILL');
      ownWorker.child.kill('SIGKILL');
      await ownWorker.exited;
      const exited = new Promise((r) => own.process.once('exit', r));
      own.process.kill('SIGKILL');
      await exited;
      await own.stop();
      expect(cxoneValue(index, 'promo_code')).not.toBe('LIVE-T3');
      own = await startDevServer({ cliPath: cli, dbFile, port });
      ownWorker = await startWorkerProcess(ownVars);
      await until(() => cxoneValue(index, 'promo_code') === 'LIVE-T3', 60_000);
    } finally {
      ownIntake.child.kill('SIGKILL');
      await ownWorker.stop();
      await own.stop();
    }
  }, 180_000);
});
