/**
 * The Temporal path: the worker's back-fill (apps/temporal-worker, through its command line) on a
 * local Temporal development server, with 1 and with 4 worker processes. The worker package starts
 * its own processes, names its workflows and derives its task-queue rates: the bench only measures.
 */

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulators, emulatorEnv } from '@cx-profile-sync/emulators';
import { connectClient, queryProgress } from '@cx-profile-sync/temporal-worker/client';
import { loadWorkerConfig } from '@cx-profile-sync/temporal-worker/config';
import { type BackfillStatus, backfillWorkflowId } from '@cx-profile-sync/temporal-worker/shared';
import { type DevServer, startDevServer } from '@cx-profile-sync/temporal-worker/temporal-server';
import {
  runWorkerCommand,
  spawnWorkerProcess,
  WORKER_MAIN,
} from '@cx-profile-sync/temporal-worker/worker-process';
import { measurePath, notRun } from './measure.js';
import { cpuMsOf } from './processes.js';
import type { PathResult } from './types.js';

export interface TemporalPathOptions {
  emu: Emulators;
  timeScale: number;
  since: string;
  until: string;
  concurrency: number;
  pageSize: number;
  /** Stop a back-fill after this long (its progress is queried, then it is terminated). */
  timeBoxMs: number;
  /** The whole sample, for the limits of a time-boxed run. */
  sampleCustomers: number;
  paths: { id: string; name: string; work: string }[];
  workerCounts: number[];
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `worker backfill --wait --json`, stopped after the time box: then its progress is queried and the
 * workflow terminated (a back-fill on Temporal costs more CPU a customer than the platforms allow).
 */
async function backfillWithTimeBox(
  o: TemporalPathOptions,
  env: Record<string, string>,
  started: number,
): Promise<{ status: BackfillStatus; elapsedMs: number; timeBoxed: boolean }> {
  const args = ['backfill', '--since', o.since, '--until', o.until, '--wait', '--json', '--rerun'];
  args.push('--concurrency', String(o.concurrency), '--page-size', String(o.pageSize));
  const finished = runWorkerCommand(args, env);
  let timer: NodeJS.Timeout | undefined;
  const boxed = new Promise<'time-box'>((resolve) => {
    timer = setTimeout(() => resolve('time-box'), o.timeBoxMs);
  });
  const first = await Promise.race([finished, boxed]);
  clearTimeout(timer);
  if (first !== 'time-box') {
    const elapsedMs = performance.now() - started;
    try {
      const status = JSON.parse(first.stdout.trim().split('\n').pop() ?? '') as BackfillStatus;
      if (status.progress) return { status, elapsedMs, timeBoxed: false };
    } catch {
      // reported below
    }
    throw new Error(
      `worker backfill exited ${first.code}: ${(first.stderr || first.stdout).trim().slice(-400)}`,
    );
  }
  const workflowId = backfillWorkflowId(o.since, o.until);
  const client = await connectClient(loadWorkerConfig(env).temporal);
  let status: BackfillStatus | undefined;
  let elapsedMs = 0;
  try {
    for (let attempt = 0; attempt < 5 && !status; attempt++) {
      // Between two runs (continue-as-new) a query may fail: ask again.
      status = await queryProgress(client, workflowId).catch(() => undefined);
      elapsedMs = performance.now() - started;
      if (!status) await sleep(200);
    }
    await client.client.workflow.getHandle(workflowId).terminate('benchmark time box');
  } finally {
    await client.close();
  }
  await finished;
  if (!status) throw new Error(`the progress query of ${workflowId} failed`);
  return { status, elapsedMs, timeBoxed: true };
}

/** The worker's back-fill on a local Temporal server, with each number of worker processes. */
export async function runTemporalPaths(o: TemporalPathOptions): Promise<PathResult[]> {
  const skip = (reason: string) => o.paths.map((p) => notRun(p, `not run: ${reason}`));
  if (!existsSync(WORKER_MAIN)) return skip('the worker is not built (pnpm build)');
  const cli = process.env.TEMPORAL_CLI_PATH;
  if (!cli || !existsSync(cli))
    return skip(
      'no Temporal CLI: `source scripts/toolchain.sh` sets TEMPORAL_CLI_PATH after scripts/install.sh',
    );

  o.log('Temporal: starting a development server');
  let server: DevServer;
  try {
    server = await startDevServer({ cliPath: cli });
  } catch (e) {
    return skip((e as Error).message);
  }
  const results: PathResult[] = [];
  try {
    for (const [i, path] of o.paths.entries()) {
      const count = o.workerCounts[i]!;
      const env: Record<string, string> = {
        ...emulatorEnv(o.emu.urls),
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_TASK_QUEUE: `cx-bench-${count}-workers`,
        // The worker's one knob for the limits: CX_RATE_LIMIT_SCALE scales its client-side limiters
        // and, with them, its task queues' dispatch rates (the documented values × K).
        CX_RATE_LIMIT_SCALE: String(o.timeScale),
        // A ledger of its own for each path (the emulators are reset between paths): first sight.
        CX_LEDGER: join(mkdtempSync(join(tmpdir(), 'cx-bench-ledger-')), 'ledger.sqlite'),
      };
      const rates = Object.entries(loadWorkerConfig(env).activitiesPerSecond)
        .map(([platform, rate]) => `${platform} ${rate ?? 'off'}`)
        .join(', ');
      o.emu.reset();
      o.log(`Temporal: ${count} worker process(es)`);
      const workers = Array.from({ length: count }, () => spawnWorkerProcess(env));
      try {
        await Promise.all(workers.map((w) => w.ready));
        results.push(
          await measurePath(
            o.emu,
            o.timeScale,
            path,
            async () => {
              const cpu = () => ({
                workers: workers.reduce((sum, w) => sum + (cpuMsOf(w.child.pid) ?? 0), 0),
                server: cpuMsOf(server.process.pid) ?? 0,
              });
              const cpuBefore = cpu();
              const started = performance.now();
              const { status, elapsedMs, timeBoxed } = await backfillWithTimeBox(o, env, started);
              const cpuAfter = cpu();
              const peaks = workers.map((w) => (w.peakRssBytes() ?? 0) / 2 ** 20);
              const p = status.progress;
              return {
                customers: p.customers,
                elapsedMs,
                peakRssMb: Math.max(...peaks),
                cpuMs: cpuAfter.workers - cpuBefore.workers,
                serverCpuMs: cpuAfter.server - cpuBefore.server,
                failures: p.outcomes.failed ?? 0,
                failureExamples: p.failures
                  .slice(0, 5)
                  .map((f) => `${f.target ?? 'source'}: ${f.kind}: ${f.message}`),
                outcomes: p.outcomes,
                notes: [
                  timeBoxed
                    ? `time box of ${(o.timeBoxMs / 1000).toFixed(0)} s: ${p.customers} of the ${o.sampleCustomers} customers (progress queried, then the workflow terminated); the limits are computed for the whole sample`
                    : 'all customers',
                  `${p.conversations} conversations in ${p.pages} analytics page(s) of up to ${o.pageSize}, ${status.runs} workflow run(s) (continue-as-new)`,
                  `peak RSS of each worker process: ${peaks.map((x) => `${x.toFixed(0)} MB`).join(', ')} (the table shows the largest)`,
                  "time from the `worker backfill --wait` command's start (workers already polling)",
                  `the worker is told CX_RATE_LIMIT_SCALE=${o.timeScale} (bursts × K as well); its task-queue rates follow, its defaults × K (activities a second: ${rates})`,
                ],
              };
            },
            { sampleCustomers: o.sampleCustomers },
          ),
        );
      } catch (e) {
        results.push(notRun(path, `not run: ${(e as Error).message}`));
      } finally {
        await Promise.all(workers.map((w) => w.stop(20_000)));
      }
    }
  } finally {
    await server.stop();
  }
  return results;
}
