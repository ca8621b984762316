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
  /** Live sync: events in, the targets written within seconds (issue 12). */
  live?: LiveReport;
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

/** Percentiles (nearest rank), in milliseconds. */
export interface LatencySummary {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** One live run: the generator's events through an intake to the targets (live.ts). */
export interface LiveRun {
  id: string;
  name: string;
  path: 'cli' | 'temporal';
  /** What was done to it: nothing, a SIGKILL and restart mid-run, every event delivered twice. */
  fault: 'none' | 'crash' | 'duplicates';
  ran: boolean;
  notRun?: string;
  /** The generator's rate, events a second over all conversations. */
  ratePerSecond: number;
  conversations: number;
  /** Events the generator published (one attribute PATCH each). */
  events: number;
  /** How long the generator took to publish them. */
  generationS: number;
  /** From the generator's start to every value on the targets (and the path idle). */
  elapsedS: number;
  /** The emulated EventBridge's counters for the run. */
  delivery: { delivered: number; attempts: number; retried: number; failed: number; duplicates: number };
  /** Unique events that reached a sync, as the path counts them. */
  eventsSynced: number;
  /** Repeats the path recognised (the serve's duplicate counter; the workflows' duplicates). */
  duplicatesSeen?: number;
  syncs: number;
  syncsPerEvent: number;
  /** Each conversation's newest eventTime → its slowest target's first write after it (the emulators'). */
  latencyMs?: LatencySummary;
  /** The path's own lag figures, and where they come from. */
  selfReportedLatencyMs?: LatencySummary & { source: string };
  /** The serve's cx_intake_lag_seconds histogram (cumulative count by upper bound in seconds). */
  lagHistogram?: { le: string; count: number }[];
  /** Genesys requests a conversation, once-a-run requests left out. */
  genesysReadsPerConversation: number;
  genesysRoutes: Record<string, number>;
  /** Target requests a sync, once-a-run requests (logins, discovery, definitions, schema) left out. */
  targetRequestsPerSync: { cxone: number; cognigy: number };
  perRunRequests: { genesys: number; cxone: number; cognigy: number };
  targetWrites: { cxone: number; cognigy: number };
  status429: number;
  /** Whether the limits allowed the load, and what they sustain at this run's requests an event. */
  limits?: {
    withinLimits: boolean;
    binding: string;
    sustainableEventsPerSecond: number;
    buckets: {
      bucket: string;
      label: string;
      requests: number;
      /** Its burst plus its refill over the run. */
      allowed: number;
      use: number;
      sustainedEventsPerSecond: number | null;
    }[];
  };
  /** `target outcome` → syncs. */
  outcomes: Record<string, number>;
  lost: {
    conversations: number;
    fields: number;
    checked: { cxone: number; cognigy: number };
    notChecked: Record<string, number>;
    examples: string[];
  };
  doubleWrites: { writes: number; identical: number; conversations: number; examples: string[] };
  /** Target writes to customers of no generated conversation. */
  unexpectedWrites: number;
  /** CPU milliseconds of the path's processes by role, from the generator's start to settled. */
  cpuMs?: Record<string, number>;
  crash?: {
    killedAfterS: number;
    eventsEmittedBefore: number;
    /** Target writes answered before the kill. */
    writesBefore: number;
    /** Conversations with a target written before the kill whose sync was not reported finished. */
    inFlight?: string[];
    /** For each conversation written more than 30 s after its newest event: when, after the kill. */
    lateAfterKillMs?: number[];
    downMs: number;
    what: string;
  };
  notes: string[];
}

export interface LiveReport {
  ran: boolean;
  notRun?: string;
  settings: {
    conversations: number;
    ratePerSecond: number;
    burstMin: number;
    burstMax: number;
    quietMs: number;
    maxWaitMs: number;
    concurrency: number;
    deliveryLatencyMs: { min: number; max: number };
    intakeConnections: number;
    intakeSeconds: number;
    rateLimitScale: number;
  };
  /** `cli serve`'s intake alone. */
  intake?: {
    ran: boolean;
    notRun?: string;
    accepted: number;
    seconds: number;
    eventsPerSecond: number;
    connections: number;
    /** Answers other than 202, by status. */
    refused: Record<string, number>;
    latencyMs?: LatencySummary;
    /** CPU over the measurement: the serve's a event, and its and the sender's share of one core. */
    cpu?: { serveMsPerEvent: number; serveShareOfCore: number; senderShareOfCore: number };
    notes: string[];
  };
  runs: LiveRun[];
}
