import type { TargetName } from '../platforms.js';
import { platformDescriptors, targetDescriptors, targetNames } from '../registry.js';

/**
 * A command-line argument that cannot be used as given. Each app reports it as its other usage
 * errors: the message, the usage text and exit status 2.
 */
export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The value of `--<name>` as an ISO date-time in UTC; an ArgumentError when missing or not a date. */
export function isoArg(name: string, value: string | undefined): string {
  if (!value) throw new ArgumentError(`backfill needs --${name} <ISO date-time>`);
  if (Number.isNaN(Date.parse(value)))
    throw new ArgumentError(`--${name} is not an ISO date-time: "${value}"`);
  return new Date(value).toISOString();
}

/**
 * Whether an error is a usage problem: an ArgumentError, or what node's `util.parseArgs` throws for
 * an unknown option, a missing option value or a stray positional (codes `ERR_PARSE_ARGS_*`).
 */
export function isArgumentError(e: unknown): e is Error {
  if (e instanceof ArgumentError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** `--target`: a registered target's name or `all` (the default); an ArgumentError otherwise. */
export function targetArg(value: string | undefined): TargetName | 'all' {
  const t = value ?? 'all';
  const names = targetNames();
  if (t !== 'all' && !names.includes(t))
    throw new ArgumentError(
      `--target must be ${[...names, 'all'].join(', ').replace(/, all$/, ' or all')}, got "${t}"`,
    );
  return t;
}

/** `--target a|b|all` for usage texts. */
export function targetChoices(): string {
  return [...targetNames(), 'all'].join('|');
}

/** The options naming a customer's record on each target (`--cxone-customer <id>`…), for `parseArgs`. */
export function recordIdOptions(): Record<string, { type: 'string' }> {
  return Object.fromEntries(
    targetDescriptors().map((d) => [d.recordIdOption.flag, { type: 'string' as const }]),
  );
}

/** The record ids given on the command line, by target name. */
export function recordIdsOf(values: Record<string, unknown>): Record<TargetName, string> {
  const ids: Record<TargetName, string> = {};
  for (const d of targetDescriptors()) {
    const v = values[d.recordIdOption.flag];
    if (typeof v === 'string' && v.trim() !== '') ids[d.name] = v.trim();
  }
  return ids;
}

/** Usage lines for those options, aligned at `width`. */
export function recordIdUsage(indent: string, width: number): string {
  return targetDescriptors()
    .map((d) => `${indent}${`--${d.recordIdOption.flag} <id>`.padEnd(width)} ${d.recordIdOption.description}`)
    .join('\n');
}

/** The variables each platform reads, for usage texts: "Genesys Cloud: set …". */
export function configurationUsage(): string {
  return platformDescriptors()
    .map((d) => `${d.label}: ${d.configHint}`)
    .join('\n');
}
