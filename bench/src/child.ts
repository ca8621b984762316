#!/usr/bin/env node
/**
 * One measured path in a process of its own, so that its peak memory is its own:
 * `node child.js baseline|cli|conversion` with the path's settings as JSON on stdin. The last line
 * on stdout is the result as JSON, with the process's peak resident memory.
 */
import {
  attributeMap,
  backfill,
  createSyncServices,
  documentedRateLimits,
  loadConfig,
  type RateLimit,
  type RateLimitName,
  type TargetName,
  toCognigyProfile,
  toCxoneCustomFields,
} from '@cx-profile-sync/core';
import { COGNIGY_SCHEMA, CXONE_FIELD_DEFINITIONS, generateSeed } from '@cx-profile-sync/emulators';
import { type BaselineConfig, runBaseline } from './baseline.js';
import { type LedgerCost, openTimedLedger } from './ledger.js';

export interface CliPathSettings {
  env: Record<string, string>;
  since: string;
  until: string;
  targets: TargetName | 'all';
  concurrency: number;
  /**
   * Tell the client-side limiter the emulators' time-scaled limits exactly: the same bursts, refilled
   * K times faster. (CX_RATE_LIMIT_SCALE=K multiplies the bursts too: right for a limit that support
   * raised, K times too generous for a window that is K times shorter.)
   */
  timeScaledLimits?: number;
  /**
   * Back-fill with an SQLite ledger in this file (as the CLI opens it: CX_LEDGER=<file>, `--verify`),
   * its calls timed; absent, without a ledger (CX_LEDGER=off).
   */
  ledger?: { file: string; verify: boolean };
}

/** The documented limits with each window divided by K: bursts unchanged, refills K times faster. */
export function timeScaledLimits(k: number): Record<RateLimitName, RateLimit> {
  const out: Record<RateLimitName, RateLimit> = {};
  for (const [name, l] of Object.entries(documentedRateLimits()))
    out[name] = { capacity: l.capacity, refillPerSecond: l.refillPerSecond * k };
  return out;
}

export interface CliPathResult {
  customers: number;
  conversations: number;
  pages: number;
  outcomes: Record<string, number>;
  failures: { kind: string; message: string; target?: string }[];
  elapsedMs: number;
  /** With a ledger: the time spent in it. */
  ledgerCost?: LedgerCost;
}

async function cliPath(s: CliPathSettings): Promise<CliPathResult> {
  const services = createSyncServices(
    loadConfig(s.env),
    s.timeScaledLimits ? { limits: timeScaledLimits(s.timeScaledLimits) } : {},
  );
  const ledger = s.ledger ? openTimedLedger(s.ledger, services, s.env) : undefined;
  const started = performance.now();
  try {
    const p = await backfill(services, {
      interval: { start: s.since, end: s.until },
      targets: s.targets,
      concurrency: s.concurrency,
      ...(ledger ? { ledger } : {}),
    });
    return {
      customers: p.customers,
      conversations: p.conversations,
      pages: p.pages,
      outcomes: p.outcomes,
      failures: p.failures
        .slice(0, 5)
        .map((f) => ({ kind: f.kind, message: f.message, ...(f.target ? { target: f.target } : {}) })),
      elapsedMs: performance.now() - started,
      ...(ledger ? { ledgerCost: ledger.finish() } : {}),
    };
  } finally {
    services.close();
    await ledger?.store.close();
  }
}

export interface ConversionSettings {
  /** Attribute maps converted a pass (default 100,000). */
  maps: number;
  passes: number;
}

export interface ConversionResult {
  maps: number;
  /** Maps a second (wall clock) converted to both targets, for each pass. */
  passes: number[];
  best: number;
  median: number;
  /** Maps per second of CPU time of this process (every thread, GC included), for each pass. */
  cpuPasses: number[];
  cpuMedian: number;
  cxoneOnly: number;
  cognigyOnly: number;
  /** Fields produced: printed so that no conversion can be optimised away. */
  checksum: number;
}

/** Attribute maps a second converted to both targets, on this process's one thread. */
function conversion(s: ConversionSettings): ConversionResult {
  const perCustomer = 10;
  const seed = generateSeed({
    customers: Math.ceil(s.maps / perCustomer),
    conversationsPerCustomer: perCustomer,
  });
  const maps = seed.genesys.conversations.slice(0, s.maps).map((c) => {
    const p = c.participants.find((x) => x.purpose === 'customer')!;
    return attributeMap(Object.entries(p.attributes));
  });
  let sink = 0;
  const toCxone = (m: (typeof maps)[number]) => {
    sink += toCxoneCustomFields(m, CXONE_FIELD_DEFINITIONS).fields.length;
  };
  const toCognigy = (m: (typeof maps)[number]) => {
    sink += Object.keys(toCognigyProfile(m, COGNIGY_SCHEMA).profile).length;
  };
  // Wall clock, and CPU time: on a shared machine the second says what the code costs.
  const measure = (run: (m: (typeof maps)[number]) => void) => {
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    for (const m of maps) run(m);
    const cpu = process.cpuUsage(cpuBefore);
    return {
      wall: maps.length / (Number(process.hrtime.bigint() - started) / 1e9),
      cpu: maps.length / ((cpu.user + cpu.system) / 1e6),
    };
  };
  const time = (run: (m: (typeof maps)[number]) => void) => measure(run).wall;
  const both = (m: (typeof maps)[number]) => {
    toCxone(m);
    toCognigy(m);
  };
  // Warm up the JIT on the same code paths.
  for (const m of maps.slice(0, 20_000)) both(m);
  const measured = Array.from({ length: s.passes }, () => measure(both));
  const passes = measured.map((x) => x.wall);
  const cpuPasses = measured.map((x) => x.cpu);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    maps: maps.length,
    passes,
    best: Math.max(...passes),
    median: median(passes),
    cpuPasses,
    cpuMedian: median(cpuPasses),
    cxoneOnly: time(toCxone),
    cognigyOnly: time(toCognigy),
    checksum: sink,
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const settings = JSON.parse((await readStdin()) || '{}') as unknown;
  let result: unknown;
  switch (mode) {
    case 'baseline':
      result = await runBaseline(settings as BaselineConfig);
      break;
    case 'cli':
      result = await cliPath(settings as CliPathSettings);
      break;
    case 'conversion':
      result = conversion(settings as ConversionSettings);
      break;
    default:
      throw new Error(`unknown mode ${mode}`);
  }
  // maxRSS is in kilobytes.
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  console.log(JSON.stringify({ result, maxRssKb: usage.maxRSS, cpuMs }));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
