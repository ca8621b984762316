import {
  ConfigurationError,
  type Env,
  loadConfig,
  type Mapping,
  platformDescriptors,
  readMappingFile,
  type SyncConfig,
  verifyAfterDays,
} from '@cx-profile-sync/core';
import type { Platform } from './shared.js';

/**
 * Dispatch rates of each registered platform's task queue (activities a second, for all workers
 * together): each descriptor's `activitiesPerSecond`, the rate its documented limits allow (Genesys
 * Cloud 5, CXone 33, Cognigy.AI 3.3).
 */
export function defaultActivitiesPerSecond(): Record<Platform, number> {
  return Object.fromEntries(platformDescriptors().map((d) => [d.name, d.activitiesPerSecond]));
}

/** The variable that sets a platform queue's rate: `TEMPORAL_CXONE_ACTIVITIES_PER_SECOND`. */
export function activitiesPerSecondVariable(platform: Platform): string {
  // A dash is not allowed in a shell variable's name.
  return `TEMPORAL_${platform.toUpperCase().replaceAll('-', '_')}_ACTIVITIES_PER_SECOND`;
}

export interface TemporalSettings {
  /** host:port of the frontend (default 127.0.0.1:7233, a local development server). */
  address: string;
  namespace: string;
  /** The workflows' queue; each platform's activities use `<taskQueue>-<platform>`. */
  taskQueue: string;
  /** host:port for Temporal's Prometheus endpoint (/metrics); none when unset. */
  metricsAddress?: string;
}

export interface WorkerConfig {
  sync: SyncConfig;
  temporal: TemporalSettings;
  /**
   * Task-queue dispatch rate per platform; undefined means no limit. The core's client-side limiters
   * (per process) follow the same CX_RATE_LIMITS / CX_RATE_LIMIT_SCALE, in `sync.limits`.
   */
  activitiesPerSecond: Record<Platform, number | undefined>;
  /** Activities one worker runs at once, per platform queue. */
  maxConcurrentActivities: number;
  /** The mapping file of CX_MAPPING_FILE (the CLI's --mapping): conversion happens in the worker. */
  mapping?: Mapping;
  /**
   * The ledger's variables (CX_LEDGER, CX_LEDGER_VERIFY_DAYS, and HOME / XDG_STATE_HOME for its
   * default file): opened by each worker process. A fleet shares a postgres:// one.
   */
  ledger: Env;
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/**
 * Reads and validates the worker's whole configuration in one place: the CLI's variables (through
 * the core's `loadConfig`, CX_RATE_LIMITS and CX_RATE_LIMIT_SCALE included) plus TEMPORAL_*. Every
 * problem is reported at once. The task-queue rates are the documented ones times
 * CX_RATE_LIMIT_SCALE, none with CX_RATE_LIMITS=off, unless TEMPORAL_<PLATFORM>_ACTIVITIES_PER_SECOND says.
 */
export function loadWorkerConfig(env: Env): WorkerConfig {
  const problems: string[] = [];
  const get = (k: string) => {
    const v = env[k]?.trim();
    return v ? v : undefined;
  };
  const hostPort = (name: string, fallback?: string) => {
    const v = get(name) ?? fallback;
    if (v === undefined) return undefined;
    const m = HOST_PORT.exec(v);
    if (!m || Number(m[2]) > 65535) {
      problems.push(`${name} must be host:port, e.g. 127.0.0.1:7233, got "${v}"`);
      return v;
    }
    return v;
  };
  const name = (key: string, fallback: string) => {
    const v = get(key) ?? fallback;
    if (!/^[A-Za-z0-9._-]{1,200}$/.test(v))
      problems.push(`${key} may hold only letters, digits, ".", "_" and "-", got "${v}"`);
    return v;
  };

  let sync: SyncConfig = {};
  try {
    sync = loadConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigurationError)) throw e;
    problems.push(e.message.replace(/^configuration: /, ''));
  }

  const limitsOn = !sync.limits?.off;
  const scale = sync.limits?.scale ?? 1;
  const defaults = defaultActivitiesPerSecond();
  const rate = (platform: Platform): number | undefined => {
    const key = activitiesPerSecondVariable(platform);
    const v = get(key);
    if (v === undefined) return limitsOn ? defaults[platform]! * scale : undefined;
    if (v === 'off') return undefined;
    const n = Number(v);
    if (!(n > 0) || !Number.isFinite(n)) {
      problems.push(`${key} must be a number above 0, or off, got "${v}"`);
      return undefined;
    }
    return n;
  };

  const concurrencyText = get('TEMPORAL_MAX_CONCURRENT_ACTIVITIES') ?? '32';
  const maxConcurrentActivities = Number(concurrencyText);
  if (!Number.isInteger(maxConcurrentActivities) || maxConcurrentActivities < 1)
    problems.push(`TEMPORAL_MAX_CONCURRENT_ACTIVITIES must be a positive integer, got "${concurrencyText}"`);

  const temporal: TemporalSettings = {
    address: hostPort('TEMPORAL_ADDRESS', '127.0.0.1:7233')!,
    namespace: name('TEMPORAL_NAMESPACE', 'default'),
    taskQueue: name('TEMPORAL_TASK_QUEUE', 'cx-profile-sync'),
  };
  const metricsAddress = hostPort('TEMPORAL_METRICS_ADDRESS');
  if (metricsAddress) temporal.metricsAddress = metricsAddress;

  let mapping: Mapping | undefined;
  const mappingFile = get('CX_MAPPING_FILE');
  if (mappingFile) {
    try {
      mapping = readMappingFile(mappingFile, 'CX_MAPPING_FILE');
    } catch (e) {
      problems.push((e as Error).message);
    }
  }

  const ledger: Env = {};
  for (const k of ['CX_LEDGER', 'CX_LEDGER_VERIFY_DAYS', 'HOME', 'XDG_STATE_HOME'])
    if (env[k] !== undefined) ledger[k] = env[k];
  try {
    verifyAfterDays(ledger);
  } catch (e) {
    problems.push((e as Error).message);
  }

  const config: WorkerConfig = {
    sync,
    ledger,
    temporal,
    activitiesPerSecond: Object.fromEntries(Object.keys(defaults).map((p) => [p, rate(p)])),
    maxConcurrentActivities,
    ...(mapping ? { mapping } : {}),
  };
  if (problems.length) throw new ConfigurationError(`configuration: ${problems.join('; ')}`);
  return config;
}

/** Loads `.env` from the working directory when present (the core's, as the CLI does). */
export { loadDotEnv } from '@cx-profile-sync/core';
