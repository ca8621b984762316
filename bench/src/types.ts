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
  /** The sync ledger's back-fills beside today's (issue 11). */
  ledger?: LedgerReport;
  goals: Goal[];
  notes: string[];
}

/** Time spent in calls of one kind (the synchronous part of each call: SQLite's node:sqlite is). */
export interface TimeSpent {
  calls: number;
  /** CPU time of the process during the calls (`process.cpuUsage`), user and system. */
  cpuMs: number;
  /** Of which in the kernel (system): file writes and syncs. */
  systemMs: number;
  /** Wall clock (blocking the event loop: an fsync included). */
  wallMs: number;
}

/** The time a back-fill spent in its ledger: each store method, and the value digests. */
export interface LedgerCost {
  store: Record<string, TimeSpent>;
  /** The digests of the run's plans, made again after it in one timed loop (each is microseconds). */
  digests: TimeSpent;
}

/** One back-fill, with or without the ledger, as the ledger's table shows it. */
export interface LedgerRow {
  id: string;
  withLedger: boolean;
  customers: number;
  /** Customers whose latest conversation was changed on the Genesys side before the run. */
  changed?: number;
  /** Requests a customer that grow with the customers, by platform (the per-run ones left out). */
  perCustomer: Record<EmulatedPlatformName, number>;
  /**
   * Requests made once a run, by platform: logins, discovery, CXone's field definitions, Cognigy's
   * profile schema, the Genesys analytics job and its status polls.
   */
  perRun: Record<EmulatedPlatformName, number>;
  /** The per-customer requests by route, by platform: what they are. */
  routes: Record<EmulatedPlatformName, Record<string, number>>;
  /**
   * Customers an hour at the documented limits (K = 1), per-run requests left out: the documented
   * requests an hour of each limit over this path's requests a customer on it, the lowest. Null when
   * the path made no per-customer request that a limit counts.
   */
  customersPerHour: number | null;
  /** The limit that gives customersPerHour. */
  binding: string;
  cost?: LedgerCost;
}

export interface LedgerReport {
  /** The share of the customers changed before each "changed" back-fill. */
  changedShare: number;
  rows: LedgerRow[];
}
