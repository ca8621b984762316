import { parseArgs } from 'node:util';
import {
  type BackfillProgress,
  backfill,
  createSyncServices,
  errorSummary,
  exitCodeForKind,
  isSyncError,
  loadConfig,
  type TargetName,
} from '@cx-profile-sync/core';
import { loadDotEnv } from '../env.js';
import { UsageError } from '../usage.js';

function isoArg(name: string, value: string | undefined): string {
  if (!value) throw new UsageError(`backfill needs --${name} <ISO date-time>`);
  if (Number.isNaN(Date.parse(value))) throw new UsageError(`--${name} is not an ISO date-time: "${value}"`);
  return new Date(value).toISOString();
}

export function formatProgress(p: BackfillProgress): string {
  const o = p.outcomes;
  return `pages ${p.pages}, conversations ${p.conversations}, customers ${p.customers}: updated ${o.updated}, unchanged ${o.unchanged}, not found ${o['customer-not-found']}, failed ${o.failed}${o['dry-run'] ? `, dry-run ${o['dry-run']}` : ''}`;
}

/** Syncs every customer of the conversations that started in [since, until), in this process. */
export async function runBackfill(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      target: { type: 'string', default: 'all' },
      concurrency: { type: 'string', default: '8' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const since = isoArg('since', values.since);
  const until = isoArg('until', values.until);
  if (since >= until) throw new UsageError('--since must be before --until');
  if (!['cxone', 'cognigy', 'all'].includes(values.target))
    throw new UsageError(`--target must be cxone, cognigy or all, got "${values.target}"`);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError('--concurrency must be a positive integer');

  loadDotEnv();
  let services: ReturnType<typeof createSyncServices>;
  try {
    services = createSyncServices(loadConfig(process.env));
  } catch (e) {
    if (!isSyncError(e)) throw e;
    console.error(`cx-profile-sync: ${e.message}`);
    return 2;
  }
  try {
    const progress = await backfill(services, {
      interval: { start: since, end: until },
      targets: values.target as TargetName | 'all',
      concurrency,
      dryRun: values['dry-run'],
      onProgress: (p) => {
        if (!values.json) console.error(formatProgress(p));
      },
    });
    if (values.json) console.log(JSON.stringify({ interval: `${since}/${until}`, ...progress }));
    else {
      console.log(`Back-fill ${since}/${until}: ${formatProgress(progress)}`);
      for (const f of progress.failures)
        console.log(`  failed ${f.customer} (${f.target ?? 'source'}): ${f.message}`);
    }
    return progress.outcomes.failed > 0 ? 6 : 0;
  } catch (e) {
    if (!isSyncError(e)) throw e;
    if (values.json) console.log(JSON.stringify({ error: errorSummary(e) }));
    else console.error(`cx-profile-sync: ${e.message}`);
    return exitCodeForKind(e.kind);
  } finally {
    services.close();
  }
}
