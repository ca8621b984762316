import type { EmulatedPlatformName } from '@cx-profile-sync/emulators';
import type { ProgressSample } from './chart.js';
import type { BucketUse, PlatformStats } from './limits.js';

/** What one path measured, ready for the report. */
export interface PathResult {
  id: string;
  name: string;
  /** What the path writes: the tutorial only writes CXone. */
  work: string;
  ran: boolean;
  notRun?: string;
  customers: number;
  elapsedS: number;
  /** Customers a second: customers brought to an outcome (written, unchanged, not found or failed). */
  rate: number;
  /** By emulated platform: `{ genesys, cxone, cognigy }`. */
  requestsPerCustomer: Record<EmulatedPlatformName, number>;
  /** Genesys API requests (tokens aside) a customer. */
  genesysReadsPerCustomer: number;
  status429: number;
  requests: number;
  failures: number;
  failureExamples: string[];
  /** Writes on the targets (CXone PUT, Cognigy POST/PATCH). */
  writes: number;
  outcomes: Record<string, number>;
  limit?: {
    /** The customers the limits were computed for: the whole sample for a time-boxed path. */
    customers?: number;
    binding: string;
    bucket: string;
    bestRate: number;
    withinBursts: boolean;
    sustainedRate: number;
    buckets: BucketUse[];
  };
  /** rate / limit.bestRate */
  share?: number;
  /** Customers a second over the second half of the run (estimated from the requests answered). */
  plateauRate?: number;
  peakRssMb?: number;
  /** CPU time a customer: the path's processes, the Temporal server, the emulators (the bench's process). */
  cpuMsPerCustomer?: { path?: number; temporalServer?: number; emulators: number };
  ratioToBaseline?: number;
  progress: ProgressSample[];
  stats?: PlatformStats;
  notes: string[];
}

export interface ConversionReport {
  maps: number;
  /** Wall clock, maps a second. */
  best: number;
  median: number;
  passes: number[];
  /** Maps per CPU-second of the measuring process (every thread, GC included). */
  cpuMedian?: number;
  cpuPasses?: number[];
  cxoneOnly: number;
  cognigyOnly: number;
}

export interface MemoryReport {
  ran: boolean;
  notRun?: string;
  /** What was measured: the process that ran the back-fill. */
  subject: string;
  runs: { conversations: number; customers: number; syncs: number; elapsedS: number; peakRssMb: number }[];
  /** (large − small) / small */
  growth?: number;
}

export interface Goal {
  goal: string;
  met: boolean | undefined;
  detail: string;
}

export interface BenchReport {
  startedAt: string;
  durationS: number;
  mode: 'full' | 'quick' | 'memory';
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    loadBefore: number[];
    loadAfter: number[];
  };
  settings: {
    timeScale: number;
    customers: number;
    latencyMs: { min: number; max: number };
    baselineTimeBoxS: number;
    concurrency: number;
    jobDelayMs: number;
  };
  paths: PathResult[];
  conversion?: ConversionReport;
  memory?: MemoryReport;
  goals: Goal[];
  notes: string[];
}
