/**
 * The Temporal path: the worker's back-fill (apps/temporal-worker, through its command line) on a
 * local Temporal development server, with 1 and with 4 worker processes.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Emulators, emulatorEnv } from '@cx-profile-sync/emulators';
import { type DevServer, startDevServer } from '@cx-profile-sync/temporal-worker/temporal-server';
import { measurePath, notRun } from './measure.js';
import { cpuMsOf, peakRssKb, stopChild } from './processes.js';
import type { PathResult } from './types.js';

const WORKER_MAIN = fileURLToPath(new URL('../../apps/temporal-worker/dist/main.js', import.meta.url));

/** The worker's default task-queue rates (activities a second), from the documented limits. */
const DEFAULT_ACTIVITIES_PER_SECOND = { GENESYS: 5, CXONE: 33, COGNIGY: 3.3 };

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

/** Runs a command to its end: exit code and output. */
function run(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-20_000);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
}

/** `worker start` as a child process; ready once it logs "worker started". */
function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, [WORKER_MAIN, 'start'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const recent: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    let rest = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        recent.push(line);
        if (recent.length > 20) recent.shift();
        if (line.includes('"message":"worker started"')) resolve();
      }
    });
    child.once('exit', (code) =>
      reject(
        new Error(
          `a worker exited (${code}) before it started: ${recent.slice(-3).join(' | ').slice(0, 600)}`,
        ),
      ),
    );
  });
  ready.catch(() => undefined);
  return { child, ready };
}

interface BackfillStatusJson {
  runs: number;
  progress: {
    pages: number;
    conversations: number;
    customers: number;
    outcomes: Record<string, number>;
    failures: { kind: string; message: string; target?: string }[];
  };
}

/**
 * `worker backfill --wait --json`, stopped after the time box: then its progress is queried and the
 * workflow terminated (a back-fill on Temporal costs more CPU a customer than the platforms allow).
 */
async function backfillWithTimeBox(
  o: TemporalPathOptions,
  cli: string,
  address: string,
  env: Record<string, string>,
  started: number,
): Promise<{ status: BackfillStatusJson; elapsedMs: number; timeBoxed: boolean }> {
  const args = ['backfill', '--since', o.since, '--until', o.until, '--wait', '--json', '--rerun'];
  args.push('--concurrency', String(o.concurrency), '--page-size', String(o.pageSize));
  const finished = run(process.execPath, [WORKER_MAIN, ...args], env);
  let timer: NodeJS.Timeout | undefined;
  const boxed = new Promise<'time-box'>((resolve) => {
    timer = setTimeout(() => resolve('time-box'), o.timeBoxMs);
  });
  const first = await Promise.race([finished, boxed]);
  clearTimeout(timer);
  if (first !== 'time-box') {
    const elapsedMs = performance.now() - started;
    try {
      const status = JSON.parse(first.stdout.trim().split('\n').pop() ?? '') as BackfillStatusJson;
      if (status.progress) return { status, elapsedMs, timeBoxed: false };
    } catch {
      // reported below
    }
    throw new Error(
      `worker backfill exited ${first.code}: ${(first.stderr || first.stdout).trim().slice(-400)}`,
    );
  }
  // The workflow id the worker gives a back-fill of this interval (apps/temporal-worker/src/shared.ts).
  const workflowId = `backfill-${new Date(o.since).toISOString()}-${new Date(o.until).toISOString()}`;
  const connection = ['--workflow-id', workflowId, '--address', address];
  const cliEnv = { PATH: process.env.PATH ?? '' };
  let status: BackfillStatusJson | undefined;
  let elapsedMs = 0;
  for (let attempt = 0; attempt < 5 && !status; attempt++) {
    // Between two runs (continue-as-new) a query may fail: ask again.
    const q = await run(
      cli,
      ['workflow', 'query', ...connection, '--type', 'progress', '-o', 'json'],
      cliEnv,
    );
    elapsedMs = performance.now() - started;
    if (q.code === 0) status = progressOf(q.stdout);
    if (!status) await sleep(200);
  }
  await run(cli, ['workflow', 'terminate', ...connection, '--reason', 'benchmark time box'], cliEnv);
  await finished;
  if (!status) throw new Error(`the progress query of ${workflowId} failed`);
  return { status, elapsedMs, timeBoxed: true };
}

/** The query's answer in `temporal workflow query -o json`: the status, maybe inside queryResult. */
export function progressOf(stdout: string): BackfillStatusJson | undefined {
  try {
    const parsed = JSON.parse(stdout) as { queryResult?: unknown[] } & Partial<BackfillStatusJson>;
    const value = (Array.isArray(parsed.queryResult) ? parsed.queryResult[0] : parsed) as BackfillStatusJson;
    if (!value?.progress) return undefined;
    // The CLI's JSON gives an empty list as null.
    value.progress.failures ??= [];
    return value;
  } catch {
    return undefined;
  }
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
        PATH: process.env.PATH ?? '',
        ...emulatorEnv(o.emu.urls),
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_TASK_QUEUE: `cx-bench-${count}-workers`,
        // The worker's only knobs for the limits: the client-side limiter's scale and the task
        // queues' dispatch rates, both the documented values × K.
        CX_RATE_LIMIT_SCALE: String(o.timeScale),
        ...Object.fromEntries(
          Object.entries(DEFAULT_ACTIVITIES_PER_SECOND).map(([p, rate]) => [
            `TEMPORAL_${p}_ACTIVITIES_PER_SECOND`,
            String(rate * o.timeScale),
          ]),
        ),
      };
      o.emu.reset();
      o.log(`Temporal: ${count} worker process(es)`);
      const workers = Array.from({ length: count }, () => startWorker(env));
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
              const { status, elapsedMs, timeBoxed } = await backfillWithTimeBox(
                o,
                cli,
                server.address,
                env,
                started,
              );
              const cpuAfter = cpu();
              const peaks = workers.map((w) => (peakRssKb(w.child.pid) ?? 0) / 1024);
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
                  `the worker is told CX_RATE_LIMIT_SCALE=${o.timeScale} (bursts × K as well) and task-queue rates of its defaults × K`,
                ],
              };
            },
            { sampleCustomers: o.sampleCustomers },
          ),
        );
      } catch (e) {
        results.push(notRun(path, `not run: ${(e as Error).message}`));
      } finally {
        await Promise.all(workers.map((w) => stopChild(w.child, 20_000)));
      }
    }
  } finally {
    await server.stop();
  }
  return results;
}
