import { ConfigurationError } from './errors/errors.js';
import { isSecureUrl } from './http/urls.js';
import type { PlatformConfigs } from './platforms.js';
import { platformDescriptors } from './registry.js';

/**
 * The whole configuration, read from the environment in one place: each platform's settings (read
 * and validated by its own descriptor, in its folder's `config.ts`), by platform name, and the
 * client-side rate limits.
 */
export type SyncConfig = PlatformConfigs & {
  /** Client-side rate limits: the documented ones, scaled, or off. */
  limits?: LimitsConfig;
  /** A registered platform's settings, by its name. */
  [platform: string]: unknown;
};

export interface LimitsConfig {
  /** Multiplies every documented limit (CX_RATE_LIMIT_SCALE; e.g. 2 after support raised them). */
  scale: number;
  /** No client-side limiting at all (CX_RATE_LIMITS=off), e.g. against emulators with limits off. */
  off: boolean;
}

export type Env = Record<string, string | undefined>;

/**
 * Checks a configured URL: https everywhere, plain http only to loopback (the emulators), and no
 * credentials or query inside it. Returns it without a trailing slash.
 */
export function checkUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${name} is not a URL: "${value}"`);
  }
  if (url.username || url.password) throw new ConfigurationError(`${name} must not contain credentials`);
  if (!isSecureUrl(url))
    throw new ConfigurationError(
      `${name} must use https (plain http is allowed only to loopback addresses such as 127.0.0.1): ${url.protocol}//${url.host}`,
    );
  return value.replace(/\/+$/, '');
}

/** Reads variables for the platforms' `readConfig`, collecting every problem instead of stopping at the first. */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** The trimmed value, or undefined when unset or blank. */
  get(key: string): string | undefined {
    const v = this.env[key]?.trim();
    return v ? v : undefined;
  }

  /** Whether any of these is set (a platform is configured when any of its variables is). */
  any(keys: readonly string[]): boolean {
    return keys.some((k) => this.get(k) !== undefined);
  }

  /** Whether all are set; if not, the missing ones are a problem. */
  require(keys: readonly string[]): boolean {
    const missing = keys.filter((k) => !this.get(k));
    if (missing.length) this.problems.push(`missing ${missing.join(', ')}`);
    return missing.length === 0;
  }

  /** A checked URL (see `checkUrl`); a bad one is a problem. */
  url(name: string, value: string): string {
    try {
      return checkUrl(name, value);
    } catch (e) {
      this.problems.push((e as Error).message);
      return value;
    }
  }

  problem(text: string): void {
    this.problems.push(text);
  }
}

/**
 * Reads and validates the whole configuration from environment variables, in one place. Each
 * platform is configured when any of its variables is set; then all its required ones must be.
 * Every problem is reported at once.
 */
export function loadConfig(env: Env): SyncConfig {
  const reader = new EnvReader(env);
  const config: SyncConfig = {};
  for (const d of platformDescriptors()) {
    const c = d.readConfig(reader);
    if (c !== undefined) config[d.name] = c;
  }

  const scale = reader.get('CX_RATE_LIMIT_SCALE');
  const mode = reader.get('CX_RATE_LIMITS');
  if (scale !== undefined || mode !== undefined) {
    const n = Number(scale ?? '1');
    if (!(n > 0) || !Number.isFinite(n))
      reader.problem(`CX_RATE_LIMIT_SCALE must be a number > 0, got "${scale}"`);
    if (mode !== undefined && mode !== 'on' && mode !== 'off')
      reader.problem(`CX_RATE_LIMITS must be on or off, got "${mode}"`);
    config.limits = { scale: n, off: mode === 'off' };
  }

  if (reader.problems.length) throw new ConfigurationError(`configuration: ${reader.problems.join('; ')}`);
  return config;
}
