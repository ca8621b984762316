#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { IntegerFlag } from './common/platform.js';
import type { EmulatorOptions } from './options.js';
import { emulatedPlatforms } from './platform-list.js';
import { startEmulators } from './start.js';

/** Each platform's own options, e.g. `--job-delay-ms` sets `genesys.jobDelayMs`. */
const PLATFORM_FLAGS = emulatedPlatforms.flatMap((platform) =>
  (Object.entries(platform.flags ?? {}) as [string, IntegerFlag][]).map(([field, flag]) => ({
    ...flag,
    platform: platform.name,
    field,
    defaultValue: (platform.defaultOptions as Record<string, unknown>)[field],
  })),
);

/** Which platform listens on which port: "Genesys n, CXone n+1, Cognigy n+2". */
const PORT_PLAN = emulatedPlatforms.map((p, i) => `${p.label} n${i === 0 ? '' : `+${i}`}`).join(', ');
const MAX_PORT = 65_535 - (emulatedPlatforms.length - 1);
const COUNT_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

const USAGE = [
  'Usage: emulators [options]',
  '  --host <addr>                 interface to listen on (default 127.0.0.1)',
  `  --port <n>                    first port: ${PORT_PLAN} (default 0: free ports)`,
  '  --seed <n>                    seed of the sample data (default 42)',
  '  --customers <n>               sample customers (default 50)',
  '  --conversations-per-customer <n>  (default 1)',
  '  --conversations-without-customer <n>  Genesys conversations of only an agent and an external party (default 0)',
  "  --no-limits                   do not enforce the platforms' rate limits",
  "  --time-scale <k>              divide every limit's window by k (default 1)",
  '  --latency <min-max>           add min..max ms to every request, e.g. 30-60',
  ...PLATFORM_FLAGS.map(
    (f) => `  ${`--${f.flag} ${f.placeholder}`.padEnd(30)}${f.description} (default ${f.defaultValue})`,
  ),
  'Prints one JSON line with the URLs and credentials, then serves until SIGINT or SIGTERM.',
].join('\n');

function int(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

function parse(argv: string[]): EmulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      seed: { type: 'string' },
      customers: { type: 'string' },
      'conversations-per-customer': { type: 'string' },
      'conversations-without-customer': { type: 'string' },
      'no-limits': { type: 'boolean' },
      'time-scale': { type: 'string' },
      latency: { type: 'string' },
      ...Object.fromEntries(PLATFORM_FLAGS.map((f) => [f.flag, { type: 'string' as const }])),
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const o: EmulatorOptions = { limits: !values['no-limits'] };
  if (values.host) o.host = values.host;
  const port = int('port', values.port);
  if (port !== undefined) {
    if (port > MAX_PORT) {
      const ports = COUNT_WORDS[emulatedPlatforms.length - 1] ?? emulatedPlatforms.length;
      throw new Error(`--port must leave room for ${ports} ports (<= ${MAX_PORT})`);
    }
    o.port = port;
  }
  const seed = int('seed', values.seed);
  if (seed !== undefined) o.seed = seed;
  const customers = int('customers', values.customers, 1);
  if (customers !== undefined) o.customers = customers;
  const perCustomer = int('conversations-per-customer', values['conversations-per-customer'], 1);
  if (perCustomer !== undefined) o.conversationsPerCustomer = perCustomer;
  const withoutCustomer = int('conversations-without-customer', values['conversations-without-customer']);
  if (withoutCustomer !== undefined) o.conversationsWithoutCustomer = withoutCustomer;
  if (values['time-scale'] !== undefined) {
    const k = Number(values['time-scale']);
    if (!(k > 0)) throw new Error(`--time-scale must be a number > 0, got "${values['time-scale']}"`);
    o.timeScale = k;
  }
  if (values.latency !== undefined) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(values.latency);
    if (!m) throw new Error(`--latency must look like 30-60 (milliseconds), got "${values.latency}"`);
    o.latency = { minMs: Number(m[1]), maxMs: Number(m[2] ?? m[1]) };
  }
  const sections: Record<string, Record<string, number>> = {};
  const given = values as Record<string, string | boolean | undefined>;
  for (const f of PLATFORM_FLAGS) {
    const value = int(f.flag, given[f.flag] as string | undefined, f.min);
    if (value !== undefined) sections[f.platform] = { ...sections[f.platform], [f.field]: value };
  }
  Object.assign(o, sections);
  return o;
}

/** Runs the emulators' command line: prints one JSON line, then serves until SIGINT or SIGTERM. */
export async function runEmulatorsCli(argv: string[]): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parse(argv);
  } catch (e) {
    console.error(`emulators: ${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const emulators = await startEmulators(options);
  const stop = async () => {
    await emulators.stop();
    process.exit(0);
  };
  // Handlers first: a caller may send the signal as soon as it reads the line.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(`${JSON.stringify(emulators.urls)}\n`);
}

// Run when executed directly (not when imported by the project's CLI).
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runEmulatorsCli(process.argv.slice(2)).catch((e) => {
    console.error(`emulators: ${(e as Error).message}`);
    process.exit(1);
  });
}
