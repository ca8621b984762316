/**
 * The registry of platforms: one descriptor per source and target folder (`sources/<name>/descriptor.ts`,
 * `targets/<name>/descriptor.ts`). Everything that used to list the platforms by hand (configuration,
 * error hints, rate limits, the composition root, the CLI's options, the worker's queues and rates,
 * the bench) iterates this instead. A built-in platform's descriptor registers itself when its folder
 * is loaded (`targets/index.ts` and `sources/index.ts` load them, one line each); a test or a plugin
 * registers more with `registerTarget`.
 *
 * This module imports no platform, so that the error taxonomy can look labels up without a cycle.
 */
import type { CheckStep } from './check.js';
import type { EnvReader } from './config.js';
import type { Mapping } from './convert/mapping.js';
import type { RateLimit } from './retry/rate-limiter.js';
import type { Runtime } from './runtime.js';
import type { SyncTarget } from './sync/target.js';

/** What every platform says about itself. */
export interface PlatformDescriptor<Config = unknown, Client = unknown> {
  readonly name: string;
  /** For people: "NICE CXone". */
  readonly label: string;
  /** What to check when the platform refuses the credentials, or a permission. */
  readonly hints: { readonly auth: string; readonly permission: string; readonly unsupportedGrant?: string };
  /** The documented rate limits (the client-side limiters' defaults), by limit name. */
  readonly limits: Readonly<Record<string, RateLimit>>;
  /** The rate that binds one activity a second on this platform: the worker's task-queue rate. */
  readonly activitiesPerSecond: number;
  /** The variables to set, for "not configured" messages. */
  readonly configHint: string;
  /**
   * Reads and validates this platform's settings from the environment: undefined when none of its
   * variables is set; problems are added to the reader (all are reported at once).
   */
  readConfig(env: EnvReader): Config | undefined;
  createClient(config: Config, runtime: Runtime): Client;
  /** The steps of `check`, in order; a step that fails ends them. Each says what it found. */
  checks(client: Client): CheckStepSpec[];
}

export interface CheckStepSpec {
  step: string;
  run(): Promise<string>;
}

/** How a target is asked to behave. */
export interface TargetOptions {
  mapping?: Mapping;
  /** Create the record when the customer has none (where the target can: Cognigy profiles). */
  createMissing: boolean;
}

export interface TargetDescriptor<Config = unknown, Client = unknown>
  extends PlatformDescriptor<Config, Client> {
  readonly role: 'target';
  createTarget(client: Client, options: TargetOptions): SyncTarget;
  /** The command-line option naming the customer's record on this target, instead of finding it. */
  readonly recordIdOption: { readonly flag: string; readonly description: string };
  /**
   * Which tenant (or project) a configuration writes to, so that the ledger never takes one tenant's
   * record ids and values for another's (e.g. `host/project`; no secret). Default: the name alone.
   */
  ledgerScope?(config: Config): string;
}

export interface SourceDescriptor<Config = unknown, Client = unknown>
  extends PlatformDescriptor<Config, Client> {
  readonly role: 'source';
}

export type AnyDescriptor = TargetDescriptor<unknown, unknown> | SourceDescriptor<unknown, unknown>;

const registered = new Map<string, AnyDescriptor>();

function register(d: AnyDescriptor): void {
  if (!/^[a-z][a-z0-9-]*$/.test(d.name))
    throw new Error(`platform name "${d.name}" must be lower-case letters, digits and dashes`);
  const existing = registered.get(d.name);
  if (existing && existing !== d) throw new Error(`a platform named "${d.name}" is already registered`);
  registered.set(d.name, d);
}

/** Adds a target (a test's, a plugin's). Registering the same descriptor again does nothing. */
export function registerTarget<C, K>(d: TargetDescriptor<C, K>): void {
  register(d as AnyDescriptor);
}

export function registerSource<C, K>(d: SourceDescriptor<C, K>): void {
  register(d as AnyDescriptor);
}

/** Removes a platform registered by a test. */
export function unregisterPlatform(name: string): void {
  registered.delete(name);
}

/** Every platform, sources first, in the order registered. */
export function platformDescriptors(): AnyDescriptor[] {
  const all = [...registered.values()];
  return [...all.filter((d) => d.role === 'source'), ...all.filter((d) => d.role === 'target')];
}

export function targetDescriptors(): TargetDescriptor<unknown, unknown>[] {
  return [...registered.values()].filter((d): d is TargetDescriptor<unknown, unknown> => d.role === 'target');
}

export function sourceDescriptors(): SourceDescriptor<unknown, unknown>[] {
  return [...registered.values()].filter((d): d is SourceDescriptor<unknown, unknown> => d.role === 'source');
}

export function findPlatform(name: string): AnyDescriptor | undefined {
  return registered.get(name);
}

export function targetDescriptor(name: string): TargetDescriptor<unknown, unknown> | undefined {
  const d = registered.get(name);
  return d?.role === 'target' ? d : undefined;
}

/** The names of the registered targets. */
export function targetNames(): string[] {
  return targetDescriptors().map((d) => d.name);
}

/** "NICE CXone" for "cxone"; the name itself for a platform nobody registered. */
export function platformLabel(name: string): string {
  return registered.get(name)?.label ?? name;
}

/** Every documented limit of every platform, by limit name. */
export function documentedRateLimits(): Record<string, RateLimit> {
  const limits: Record<string, RateLimit> = {};
  for (const d of platformDescriptors()) Object.assign(limits, d.limits);
  return limits;
}

export type { CheckStep };
