import { parseArgs } from 'node:util';
import {
  backfill,
  createSyncServices,
  errorSummary,
  exitCodeForKind,
  formatProgress,
  isoArg,
  isSyncError,
  loadConfig,
  loadDotEnv,
  targetArg,
} from '@cx-profile-sync/core';
import { UsageError } from '../usage.js';

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
  const target = targetArg(values.target);
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
      targets: target,
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
