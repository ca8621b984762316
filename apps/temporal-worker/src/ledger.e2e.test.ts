// biome-ignore-all lint/style/noNonNullAssertion: seed data is known to be there
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteLedger } from '@cx-profile-sync/core';
import { startPostgres, type TestPostgres } from '@cx-profile-sync/core/testing/postgres';
import { type Emulators, startEmulators } from '@cx-profile-sync/emulators';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectClient, queryProgress, startBackfill, type TemporalClient } from './client.js';
import { loadWorkerConfig } from './config.js';
import { intervalOf, sleep, startWorkerProcess, useTemporal, workerEnv } from './test-helpers.js';
import { runWorkerCommand, type WorkerProcess } from './worker-process.js';

const server = useTemporal();
let emu: Emulators;

beforeAll(async () => {
  emu = await startEmulators({
    customers: 30,
    limits: false,
    genesys: { jobDelayMs: 100, watermark: 'none' },
  });
}, 60_000);
beforeEach(() => emu.reset());
afterAll(async () => {
  await emu?.stop();
});

/** Once a run, not a customer: login, discovery, the field definitions and the profile schema. */
const PER_RUN = /token|oauth|\.well-known|jwks|custom-field-definitions|profiles\/schema|__admin/;
const customerRequests = (e: Emulators) => ({
  cxone: e.cxone.log.list().filter((r) => !PER_RUN.test(r.path)),
  cognigy: e.cognigy.log.list().filter((r) => !PER_RUN.test(r.path)),
});
const clearLogs = (e: Emulators) => {
  e.cxone.log.clear();
  e.cognigy.log.clear();
};

describe('the worker with a ledger (SQLite), on a real Temporal server', () => {
  const QUEUE = 'ledger-sqlite';
  const file = join(mkdtempSync(join(tmpdir(), 'cx-ledger-')), 'ledger.sqlite');
  let worker: WorkerProcess | undefined;
  let client: TemporalClient | undefined;
  const env = () => workerEnv(emu, server(), QUEUE, { CX_LEDGER: file });
  beforeAll(async () => {
    worker = await startWorkerProcess(env());
    client = await connectClient(loadWorkerConfig(env()).temporal);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await worker?.stop();
  });

  it('writes once, then syncs unchanged customers with no request, a changed one with one, and retries failures', async () => {
    const { since, until } = intervalOf(emu.seed);
    const backfill = ['backfill', '--since', since, '--until', until, '--wait', '--json', '--rerun'];
    const first = await runWorkerCommand(backfill, env());
    expect(first.code, first.stderr).toBe(0);
    const done = JSON.parse(first.stdout);
    expect(done.progress.outcomes.updated).toBeGreaterThan(0);

    clearLogs(emu);
    const second = JSON.parse((await runWorkerCommand(backfill, env())).stdout);
    expect(second.progress.outcomes.updated).toBe(0);
    expect(second.progress.customers).toBe(done.progress.customers);
    expect(customerRequests(emu).cxone).toEqual([]);
    expect(customerRequests(emu).cognigy).toEqual([]);

    // One customer's value changes in Genesys: one CXone request, the write of that field.
    const c = emu.seed.customers.find((x) => x.cxoneCustomerId)!;
    const conversation = emu.state.genesys.conversations.get(c.conversationIds.at(-1)!)!;
    conversation.participants.find((p) => p.purpose === 'customer')!.attributes.promo_code = 'LEDGER-1';
    clearLogs(emu);
    const changed = await runWorkerCommand([...backfill, '--target', 'cxone'], env());
    expect(changed.code, changed.stderr).toBe(0);
    expect(customerRequests(emu).cxone.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PUT /dfo/3.0/customers/${c.cxoneCustomerId}/custom-fields`,
    ]);

    // Its writes fail for a while: the back-fill (2 tries an activity) records the failure…
    const writes = `/dfo/3.0/customers/${c.cxoneCustomerId}/custom-fields`;
    emu.cxone.faults.add({ method: 'PUT', path: writes, fault: { kind: 'status', status: 503 } });
    conversation.participants.find((p) => p.purpose === 'customer')!.attributes.promo_code = 'LEDGER-2';
    const failing = await startBackfill(
      client!,
      { since, until, targets: 'cxone', maxAttempts: 2 },
      { rerun: true },
    );
    const failed = await failing.result();
    expect(failed.progress.outcomes.failed).toBe(1);
    const ledger = openSqliteLedger(file);
    try {
      const retryable = await ledger.retryable();
      expect(retryable).toHaveLength(1);
      expect(retryable[0]).toMatchObject({ customerKey: `contact:${c.externalContactId}`, attempts: 2 });
      // …and `retry`, once CXone is back, writes it.
      emu.cxone.faults.clear();
      const retry = await runWorkerCommand(['retry', '--json'], env());
      expect(retry.code, retry.stderr).toBe(0);
      expect(JSON.parse(retry.stdout)).toMatchObject({ retried: 1, succeeded: 1, failed: 0 });
      expect(emu.state.cxone.customers.get(c.cxoneCustomerId!)!.customFields.get('promo_code')?.value).toBe(
        'LEDGER-2',
      );
      expect(await ledger.retryable()).toEqual([]);
      const history = await ledger.history(`contact:${c.externalContactId}`);
      expect(history.filter((h) => h.event === 'failure')).toHaveLength(2);
      expect(history[0]).toMatchObject({ event: 'success', outcome: 'updated', fields: ['promo_code'] });
    } finally {
      await ledger.close();
    }
  }, 180_000);
});

describe('the worker with a PostgreSQL ledger', () => {
  const QUEUE = 'ledger-postgres';
  let postgres: TestPostgres | undefined;
  let worker: WorkerProcess | undefined;
  let client: TemporalClient | undefined;
  let url = '';
  beforeAll(async () => {
    postgres = await startPostgres();
    url = await postgres.createDatabase();
    worker = await startWorkerProcess(workerEnv(emu, server(), QUEUE, { CX_LEDGER: url }));
    client = await connectClient(loadWorkerConfig(workerEnv(emu, server(), QUEUE)).temporal);
  }, 120_000);
  afterAll(async () => {
    await client?.close();
    await worker?.stop();
    await postgres?.stop();
  });

  it('survives a restart of the server in the middle of a back-fill, losing no outcome', async () => {
    const { since, until } = intervalOf(emu.seed);
    // Slow writes: the back-fill is still running when the server goes away.
    emu.cxone.faults.add({ method: 'PUT', fault: { kind: 'delay', ms: 100 } });
    const run = await startBackfill(client!, { since, until, concurrency: 2 }, { rerun: true });
    for (let i = 0; i < 200 && (await queryProgress(client!, run.workflowId)).progress.customers < 3; i++)
      await sleep(50);
    await postgres!.restart(async () => {
      // Down while the back-fill runs: its ledger calls wait for the server (resilientLedger).
      expect((await queryProgress(client!, run.workflowId)).phase).toBe('syncing');
      await sleep(1500);
    });
    const final = await run.result();
    expect(final.phase).toBe('done');
    expect(final.progress.failures).toEqual([]);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query(
        "SELECT split_part(target, '@', 1) AS target, COUNT(*)::int AS n FROM cx_ledger_entries GROUP BY 1 ORDER BY 1",
      );
      // One entry a customer and target: every outcome recorded, none lost to the restart.
      expect(rows).toEqual([
        { target: 'cognigy', n: final.progress.customers },
        { target: 'cxone', n: final.progress.customers },
      ]);
    } finally {
      await db.end();
    }
  }, 180_000);
});
