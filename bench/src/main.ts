#!/usr/bin/env node
/**
 * `pnpm bench`: throughput against the platforms' rate limits, beside the tutorial's approach.
 *
 * First the attribute conversion alone (one process, one thread). Then it starts the emulators with
 * latency and limits on (the documented limits, every window divided by K) and runs on the same
 * sample data, one after the other with the emulators reset between them: the tutorial's script
 * (baseline.ts), the core's back-fill in a process (the CLI path; twice, to see that the second
 * writes nothing), the same back-fill with a sync ledger (ledger.ts: first, unchanged, 10% changed,
 * --verify; and today's over another 10% changed), and the Temporal worker's back-fill with 1 and 4
 * worker processes. Then live sync (live.ts): `cli serve`'s intake alone, and events generated on the
 * Genesys emulator through an EventBridge API destination to the targets, through `cli serve`
 * (normally, SIGKILLed and restarted mid-run, every event delivered twice) and through Temporal.
 * Last, the back-fill's memory at two sizes. Writes results/latest.json, results/latest.md and
 * results/throughput.svg.
 *
 *   pnpm bench            the full run (a few minutes)
 *   pnpm bench --quick    a short smoke run (results/tmp/quick.*, not committed)
 *   pnpm bench --memory   only the memory measurement (10,000 vs 100,000 conversations)
 *   options: --k N (time scale), --customers N, --page-size N (the worker's), --no-temporal,
 *   --no-ledger, --no-live, --no-memory, --render (only rewrite latest.md and throughput.svg from
 *   latest.json)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import type { BaselineConfig, BaselineReport } from './baseline.js';
import { plateauRate } from './chart.js';
import type { CliPathResult, CliPathSettings, ConversionResult } from './child.js';
import { buildLedgerReport, ledgerNotRun, runLedgerPaths } from './ledger.js';
import { type LivePlan, liveNotRun, runLiveSection } from './live.js';
import { clearStats, measuredOfCli, measurePath, notRun } from './measure.js';
import { measureMemory } from './memory.js';
import { runChild } from './processes.js';
import { closingNotes, goalsOf, markdownReport, printSummary, throughputChart } from './report.js';
import { runTemporalPaths } from './temporal.js';
import type {
  BenchReport,
  ConversionReport,
  LedgerReport,
  LiveReport,
  MemoryReport,
  PathResult,
} from './types.js';

const RESULTS = new URL('../results/', import.meta.url);

interface Plan {
  mode: BenchReport['mode'];
  /** Only write latest.md and throughput.svg again from latest.json (after a change to the report). */
  renderOnly: boolean;
  timeScale: number;
  customers: number;
  baselineTimeBoxS: number;
  concurrency: number;
  latency: { minMs: number; maxMs: number };
  jobDelayMs: number;
  temporal: boolean;
  /** The sync ledger's back-fills (ledger.ts). */
  ledger: boolean;
  /** Live sync (live.ts); not run with --no-live. */
  live: LivePlan & { run: boolean };
  /** Conversations per analytics page in the worker's back-fill (the core's back-fill reads 1,000). */
  temporalPageSize: number;
  temporalTimeBoxS: number;
  memory: number[] | undefined;
  conversionMaps: number;
}

function plan(argv: string[]): Plan {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      memory: { type: 'boolean', default: false },
      k: { type: 'string' },
      customers: { type: 'string' },
      'no-temporal': { type: 'boolean', default: false },
      'no-ledger': { type: 'boolean', default: false },
      'no-live': { type: 'boolean', default: false },
      'no-memory': { type: 'boolean', default: false },
      'page-size': { type: 'string' },
      render: { type: 'boolean', default: false },
    },
  });
  const quick = values.quick;
  const int = (name: string, v: string | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!(n > 0)) throw new Error(`--${name} must be a positive number, got "${v}"`);
    return n;
  };
  return {
    mode: values.memory ? 'memory' : quick ? 'quick' : 'full',
    renderOnly: values.render,
    timeScale: int('k', values.k, 20),
    customers: int('customers', values.customers, quick ? 300 : 2000),
    baselineTimeBoxS: quick ? 6 : 30,
    concurrency: 16,
    latency: { minMs: 30, maxMs: 60 },
    jobDelayMs: 300,
    temporal: !values['no-temporal'],
    ledger: !values['no-ledger'],
    live: {
      run: !values['no-live'],
      // One burst of 3–8 events a conversation; R chosen so that the limits sustain the load at
      // K = 20 (Cognigy's 1,000 per 5 minutes binds: about 2 requests a sync, 5.5 events a sync).
      conversations: quick ? 40 : 200,
      ratePerSecond: 100,
      burstMin: 3,
      burstMax: 8,
      quietMs: 2000,
      maxWaitMs: 10_000,
      concurrency: 8,
      intakeConnections: 32,
      intakeSeconds: quick ? 2 : 5,
      // Longer than the serve's 60 s lease (a sync in flight at a kill waits for it), and than a
      // Temporal run's backlog and EventBridge's retries after a kill.
      settleTimeoutMs: quick ? 30_000 : 120_000,
      temporal: !values['no-temporal'],
      // The Temporal path costs far more CPU an event than the serve (the server's history writes,
      // a workflow task a signal; about 45 events/s on 2 cores): at 100/s it queues, so its runs
      // have fewer conversations, and --quick only checks it on a few.
      temporalConversations: quick ? 10 : 100,
      temporalCrash: !quick,
      ...(quick ? {} : { temporalSlow: { conversations: 60, ratePerSecond: 20 } }),
      // --quick kills before the first sync (a sync in flight waits out the killed process's 60 s
      // lease, longer than a quick run should take); the full run kills with syncs under way.
      crashAt: quick ? 'delivery' : 'syncing',
    },
    temporalPageSize: int('page-size', values['page-size'], 1000),
    temporalTimeBoxS: quick ? 15 : 45,
    memory: values['no-memory'] ? undefined : quick ? [1_000, 5_000] : [10_000, 100_000],
    conversionMaps: quick ? 20_000 : 100_000,
  };
}

const PATHS = {
  baseline: { id: 'baseline', name: "Tutorial's script (baseline)", work: 'CXone' },
  cliCxone: { id: 'cli-cxone', name: 'CLI back-fill, CXone only', work: 'CXone' },
  cli: { id: 'cli', name: 'CLI back-fill', work: 'CXone + Cognigy' },
  cliAgain: { id: 'cli-again', name: 'CLI back-fill, again (unchanged)', work: 'CXone + Cognigy' },
  temporal1: { id: 'temporal-1', name: 'Temporal, 1 worker', work: 'CXone + Cognigy' },
  temporal4: { id: 'temporal-4', name: 'Temporal, 4 workers', work: 'CXone + Cognigy' },
} as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The full run's results are the evidence (committed); a quick or memory-only run's go to results/tmp/. */
function writeReport(report: BenchReport): string {
  const full = report.mode === 'full';
  const dir = full ? RESULTS : new URL('tmp/', RESULTS);
  const name = full ? 'latest' : report.mode;
  mkdirSync(dir, { recursive: true });
  const json = { ...report, paths: report.paths.map(({ stats: _s, ...rest }) => rest) };
  writeFileSync(new URL(`${name}.json`, dir), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(new URL(`${name}.md`, dir), markdownReport(report));
  if (report.mode !== 'memory')
    writeFileSync(new URL(full ? 'throughput.svg' : `${name}-throughput.svg`, dir), throughputChart(report));
  return `bench/results/${full ? '' : 'tmp/'}${name}.md`;
}

async function main(): Promise<void> {
  const p = plan(process.argv.slice(2));
  if (p.renderOnly) {
    const report = JSON.parse(readFileSync(new URL('latest.json', RESULTS), 'utf8')) as BenchReport;
    for (const path of report.paths) {
      const plateau = plateauRate(path.progress);
      if (plateau !== undefined) path.plateauRate = plateau;
    }
    report.goals = goalsOf(report);
    report.notes = closingNotes(report);
    writeReport(report);
    printSummary(report);
    return;
  }
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const log = (line: string) =>
    console.error(`[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)}s] ${line}`);
  log(
    `${p.mode} run: K=${p.timeScale}, ${p.customers} customers, load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );

  const paths: PathResult[] = [];
  let conversion: ConversionReport | undefined;
  let memory: MemoryReport | undefined;
  let ledger: LedgerReport | undefined;
  let live: LiveReport | undefined;

  if (p.mode !== 'memory') {
    // First, while nothing else of ours runs.
    log(`conversion: ${p.conversionMaps.toLocaleString('en')} attribute maps to both targets`);
    conversion = (await runChild<ConversionResult>('conversion', { maps: p.conversionMaps, passes: 5 }))
      .result;

    const emu = await startEmulators({
      customers: p.customers,
      conversationsPerCustomer: 1,
      latency: p.latency,
      limits: true,
      timeScale: p.timeScale,
      requestLogSize: 0,
      // The sample data whole: the analytics watermark is not what is measured.
      genesys: { watermark: 'none', jobDelayMs: p.jobDelayMs },
    });
    try {
      const seedEnd = Date.parse(emu.seed.options.conversationsEnd);
      const since = new Date(seedEnd - (emu.seed.options.days + 1) * 86_400_000).toISOString();
      const until = new Date(seedEnd + 86_400_000).toISOString();
      const cliSettings = (targets: CliPathSettings['targets']): CliPathSettings => ({
        env: emulatorEnv(emu.urls),
        since,
        until,
        targets,
        concurrency: p.concurrency,
        timeScaledLimits: p.timeScale,
      });
      const runCli = async (targets: CliPathSettings['targets']) =>
        measuredOfCli(await runChild<CliPathResult>('cli', cliSettings(targets)));

      // 1. The tutorial's script, one customer after the other, time-boxed.
      log('baseline: the tutorial script');
      const seedById = emu.seed.customers;
      const baselineConfig: BaselineConfig = {
        genesys: emu.urls.genesys,
        cxone: emu.urls.cxone,
        inputs: seedById.map((c) => ({
          conversationId: c.conversationIds[c.conversationIds.length - 1]!,
          ...(c.cxoneCustomerId ? { cxoneCustomerId: c.cxoneCustomerId } : {}),
        })),
        timeBoxMs: p.baselineTimeBoxS * 1000,
      };
      emu.reset();
      paths.push(
        await measurePath(
          emu,
          p.timeScale,
          PATHS.baseline,
          async () => {
            const out = await runChild<BaselineReport>('baseline', baselineConfig);
            const r = out.result;
            const o = r.outcomes;
            return {
              customers: r.customers,
              elapsedMs: r.elapsedMs,
              peakRssMb: out.maxRssKb / 1024,
              cpuMs: out.cpuMs,
              failures: o.refused + o['read-failed'] + o['write-failed'],
              failureExamples: r.examples,
              outcomes: { ...o },
              notes: [
                r.stoppedByTimeBox
                  ? `time box of ${p.baselineTimeBoxS} s: ${r.customers} of the ${p.customers} customers (a sequential script keeps its pace)`
                  : 'all customers',
                `${r.valuesAltered} of ${r.valuesWritten} values accepted were altered ("00123" written as "123.0")`,
                `${r.retries} retries`,
              ],
            };
          },
          { sampleCustomers: p.customers },
        ),
      );

      // 2. The core's back-fill in a process: CXone only (the tutorial's work), then both targets, twice.
      log('CLI path: CXone only');
      emu.reset();
      paths.push(await measurePath(emu, p.timeScale, PATHS.cliCxone, () => runCli('cxone')));
      log('CLI path: both targets');
      emu.reset();
      paths.push(await measurePath(emu, p.timeScale, PATHS.cli, () => runCli('all')));
      // Again on unchanged data: the limits' buckets refill (one Cognigy window), counters restart.
      const refillMs = (300 / p.timeScale) * 1000 + 1000;
      log(`waiting ${(refillMs / 1000).toFixed(0)} s for the buckets to refill`);
      await sleep(refillMs);
      await clearStats(emu);
      log('CLI path: both targets, again');
      paths.push(await measurePath(emu, p.timeScale, PATHS.cliAgain, () => runCli('all')));

      // 3. The same back-fill with a sync ledger, and today's over another 10% of changed customers.
      if (p.ledger) {
        const run = await runLedgerPaths({ emu, timeScale: p.timeScale, settings: cliSettings('all'), log });
        paths.push(...run.paths);
        ledger = buildLedgerReport(paths, run.extras);
      } else paths.push(...ledgerNotRun('not run: --no-ledger'));

      // 4. The Temporal worker.
      if (p.temporal) {
        paths.push(
          ...(await runTemporalPaths({
            emu,
            timeScale: p.timeScale,
            since,
            until,
            concurrency: p.concurrency,
            pageSize: p.temporalPageSize,
            timeBoxMs: p.temporalTimeBoxS * 1000,
            sampleCustomers: p.customers,
            paths: [PATHS.temporal1, PATHS.temporal4],
            workerCounts: [1, 4],
            log,
          })),
        );
      } else {
        for (const t of [PATHS.temporal1, PATHS.temporal4]) paths.push(notRun(t, 'not run: --no-temporal'));
      }

      // 5. Live sync: events in, the targets written within seconds.
      live = p.live.run
        ? await runLiveSection({ emu, timeScale: p.timeScale, plan: p.live, log })
        : liveNotRun({ plan: p.live, timeScale: p.timeScale }, 'not run: --no-live');
    } finally {
      await emu.stop();
    }
  }

  if (p.memory) {
    log(`memory: back-fills of ${p.memory.map((n) => n.toLocaleString('en')).join(' and ')} conversations`);
    memory = await measureMemory(p.memory, log);
  } else {
    memory = {
      ran: false,
      notRun: 'not run (--no-memory): run `pnpm bench --memory`',
      subject: '',
      runs: [],
    };
  }

  const baseline = paths.find((x) => x.id === 'baseline');
  for (const x of paths) if (x.ran && baseline?.rate) x.ratioToBaseline = x.rate / baseline.rate;

  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    durationS: (Date.now() - startedAt.getTime()) / 1000,
    mode: p.mode,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: os.totalmem() / 2 ** 30,
      node: process.version,
      loadBefore,
      loadAfter: os.loadavg(),
    },
    settings: {
      timeScale: p.timeScale,
      customers: p.customers,
      latencyMs: { min: p.latency.minMs, max: p.latency.maxMs },
      baselineTimeBoxS: p.baselineTimeBoxS,
      concurrency: p.concurrency,
      jobDelayMs: p.jobDelayMs,
    },
    paths,
    ...(conversion ? { conversion } : {}),
    ...(memory ? { memory } : {}),
    ...(ledger ? { ledger } : {}),
    ...(live ? { live } : {}),
    goals: [],
    notes: [],
  };
  report.goals = goalsOf(report);
  report.notes = closingNotes(report);

  const written = writeReport(report);
  printSummary(report);
  log(`results in ${written} (and .json${p.mode === 'memory' ? '' : ', the .svg chart'})`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
