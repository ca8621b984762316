import { EMULATED_PLATFORMS, type Emulators } from '@cx-profile-sync/emulators';
import { type ProgressSample, plateauRate } from './chart.js';
import type { CliPathResult } from './child.js';
import {
  analyseLimits,
  bucketKeys,
  bucketRequests,
  byPlatform,
  type PlatformStats,
  requestsPerCustomer,
  targetWrites,
  total429,
} from './limits.js';
import type { ChildOutput } from './processes.js';
import type { PathResult } from './types.js';

/** What a path's runner reports; the rest comes from the emulators' counters. */
export interface Measured {
  customers: number;
  elapsedMs: number;
  peakRssMb?: number;
  /** CPU the path's own processes used (the Temporal server's apart). */
  cpuMs?: number;
  /** CPU the Temporal server used meanwhile. */
  serverCpuMs?: number;
  failures: number;
  failureExamples: string[];
  outcomes: Record<string, number>;
  notes?: string[];
}

/** What the CLI path's child reports, as a path's measurement. */
export function measuredOfCli(out: ChildOutput<CliPathResult>): Measured {
  const r = out.result;
  return {
    customers: r.customers,
    elapsedMs: r.elapsedMs,
    peakRssMb: out.maxRssKb / 1024,
    cpuMs: out.cpuMs,
    failures: r.outcomes.failed ?? 0,
    failureExamples: r.failures.map((f) => `${f.target ?? 'source'}: ${f.kind}: ${f.message}`),
    outcomes: r.outcomes,
    notes: [`${r.conversations} conversations in ${r.pages} analytics page(s)`],
  };
}

/** Restarts every emulator's request counters through its admin route (state and buckets kept). */
export async function clearStats(emu: Emulators): Promise<void> {
  for (const { name, label } of EMULATED_PLATFORMS) {
    const r = await emu[name].server.app.inject({ method: 'DELETE', url: '/__admin/stats' });
    if (r.statusCode < 200 || r.statusCode >= 300)
      throw new Error(`DELETE /__admin/stats of the ${label} emulator answered ${r.statusCode}`);
  }
}

export function snapshot(emu: Emulators): PlatformStats {
  return byPlatform((name) => structuredClone(emu[name].server.stats));
}

/** Requests the emulators answered without refusing (everything but 429). */
function answered(emu: Emulators): number {
  let n = 0;
  for (const { name } of EMULATED_PLATFORMS) {
    const { stats } = emu[name].server;
    n += stats.total - (stats.byStatus['429'] ?? 0);
  }
  return n;
}

const SAMPLE_MS = 500;

/**
 * Runs one path against the emulators and measures it: the emulators' counters before and after
 * (they must be zero at the start: reset them first), and every 500 ms the requests answered so far,
 * from which the chart estimates customers done (the work per customer is even across the sample).
 */
export async function measurePath(
  emu: Emulators,
  timeScale: number,
  path: { id: string; name: string; work: string },
  run: () => Promise<Measured>,
  options: {
    /**
     * The whole sample, for a path stopped by a time box: its limits are computed for the whole
     * sample's work at the requests a customer it made (a limit's burst matters less in a longer run).
     */
    sampleCustomers?: number;
  } = {},
): Promise<PathResult> {
  const raw: { t: number; answered: number }[] = [{ t: 0, answered: answered(emu) }];
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const timer = setInterval(() => {
    raw.push({ t: (performance.now() - started) / 1000, answered: answered(emu) });
  }, SAMPLE_MS);
  let m: Measured;
  try {
    m = await run();
  } finally {
    clearInterval(timer);
  }
  raw.push({ t: (performance.now() - started) / 1000, answered: answered(emu) });
  const cpu = process.cpuUsage(cpuBefore);
  const emulatorsCpuMs = (cpu.user + cpu.system) / 1000;
  const stats = snapshot(emu);
  const end = raw[raw.length - 1]!.answered || 1;
  const progress: ProgressSample[] = raw.map((s) => ({ t: s.t, done: (m.customers * s.answered) / end }));

  const plateau = plateauRate(progress);

  const requests = bucketRequests(stats);
  let work = m.customers;
  if (options.sampleCustomers && m.customers > 0 && options.sampleCustomers > m.customers) {
    work = options.sampleCustomers;
    for (const b of Object.keys(requests) as (keyof typeof requests)[])
      requests[b] = Math.round((requests[b] * work) / m.customers);
  }
  const limit = analyseLimits(timeScale, requests, bucketKeys(stats), work);
  const elapsedS = m.elapsedMs / 1000;
  const rate = elapsedS > 0 ? m.customers / elapsedS : 0;
  const tokens = stats.genesys.byRoute['POST /oauth/token'] ?? 0;
  return {
    ...path,
    ran: true,
    customers: m.customers,
    elapsedS,
    rate,
    requestsPerCustomer: requestsPerCustomer(stats, m.customers),
    genesysReadsPerCustomer: m.customers ? (stats.genesys.total - tokens) / m.customers : 0,
    status429: total429(stats),
    requests: Object.values(stats).reduce((n, s) => n + s.total, 0),
    failures: m.failures,
    failureExamples: m.failureExamples,
    writes: targetWrites(stats),
    outcomes: m.outcomes,
    limit: {
      customers: work,
      binding: limit.binding.label,
      bucket: limit.binding.bucket,
      bestRate: limit.bestRate,
      withinBursts: limit.withinBursts,
      sustainedRate: limit.binding.sustainedRate,
      buckets: limit.buckets,
    },
    share: limit.bestRate > 0 ? rate / limit.bestRate : 0,
    ...(plateau !== undefined ? { plateauRate: plateau } : {}),
    ...(m.peakRssMb !== undefined ? { peakRssMb: m.peakRssMb } : {}),
    ...(m.customers > 0
      ? {
          cpuMsPerCustomer: {
            ...(m.cpuMs !== undefined ? { path: m.cpuMs / m.customers } : {}),
            ...(m.serverCpuMs !== undefined ? { temporalServer: m.serverCpuMs / m.customers } : {}),
            emulators: emulatorsCpuMs / m.customers,
          },
        }
      : {}),
    progress,
    stats,
    notes: m.notes ?? [],
  };
}

export function notRun(path: { id: string; name: string; work: string }, reason: string): PathResult {
  return {
    ...path,
    ran: false,
    notRun: reason,
    customers: 0,
    elapsedS: 0,
    rate: 0,
    requestsPerCustomer: byPlatform(() => 0),
    genesysReadsPerCustomer: 0,
    status429: 0,
    requests: 0,
    failures: 0,
    failureExamples: [],
    writes: 0,
    outcomes: {},
    progress: [],
    notes: [],
  };
}
