import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ConfigurationError,
  type Env,
  loadConfig,
  type Mapping,
  parseMapping,
  type SyncConfig,
} from '@cx-profile-sync/core';
import type { Platform } from './shared.js';

/**
 * Dispatch rates of each platform's task queue (activities a second, for all workers together),
 * from the documented limits in ../shared/api-facts.md:
 * - Genesys Cloud: 300 requests a minute per token, and each Genesys activity makes about one.
 * - CXone: 120,000 "get contact" an hour (33 a second); a plan reads one customer, a push writes one.
 * - Cognigy.AI: 1,000 requests per 5 minutes per address (3.3 a second); a plan and a push make one each.
 */
export const DEFAULT_ACTIVITIES_PER_SECOND: Record<Platform, number> = {
  genesys: 5,
  cxone: 33,
  cognigy: 3.3,
};

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
  const rate = (platform: Platform): number | undefined => {
    const key = `TEMPORAL_${platform.toUpperCase()}_ACTIVITIES_PER_SECOND`;
    const v = get(key);
    if (v === undefined) return limitsOn ? DEFAULT_ACTIVITIES_PER_SECOND[platform] * scale : undefined;
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
      mapping = parseMapping(readFileSync(mappingFile, 'utf8'), mappingFile);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push(code ? `cannot read CX_MAPPING_FILE ${mappingFile}: ${code}` : (e as Error).message);
    }
  }

  const config: WorkerConfig = {
    sync,
    temporal,
    activitiesPerSecond: { genesys: rate('genesys'), cxone: rate('cxone'), cognigy: rate('cognigy') },
    maxConcurrentActivities,
    ...(mapping ? { mapping } : {}),
  };
  if (problems.length) throw new ConfigurationError(`configuration: ${problems.join('; ')}`);
  return config;
}

/** Loads `.env` from the working directory when present; variables already set win (as the CLI does). */
export function loadDotEnv(cwd = process.cwd()): void {
  const file = resolve(cwd, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
