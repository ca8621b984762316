import { parseArgs } from 'node:util';
import {
  backfill,
  coverageSentence,
  coveredWhole,
  createSyncServices,
  errorSummary,
  exitCodeForKind,
  formatProgress,
  isoArg,
  isSyncError,
  loadConfig,
  loadDotEnv,
  type OpenedLedger,
  openSyncLedger,
  targetArg,
} from '@cx-profile-sync/core';
import { UsageError } from '../usage.js';

/**
 * Syncs every customer of the conversations that started in [since, until), in this process, up to
 * Genesys Cloud's analytics watermark. Exit 0 when the whole window was covered; 6 when a customer
 * failed (first: a failure needs a look, a short window only time); 7 when the data did not reach
 * `until` yet (`remaining` says what to run again later).
 */
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
      verify: { type: 'boolean', default: false },
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
  let services: ReturnType<typeof createSyncServices> | undefined;
  let ledger: OpenedLedger | undefined;
  try {
    services = createSyncServices(loadConfig(process.env));
    ledger = await openSyncLedger(process.env, services, { verify: values.verify });
  } catch (e) {
    services?.close();
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
      ...(ledger ? { ledger } : {}),
      onProgress: (p) => {
        if (!values.json) console.error(formatProgress(p));
      },
    });
    if (values.json) console.log(JSON.stringify({ interval: `${since}/${until}`, ...progress }));
    else {
      if (progress.resumedAtPage)
        console.log(`Resumed an interrupted run of this window at page ${progress.resumedAtPage}.`);
      console.log(`Back-fill ${since}/${until}: ${formatProgress(progress)}`);
      for (const f of progress.failures)
        console.log(`  failed ${f.customer} (${f.target ?? 'source'}): ${f.message}`);
      const sentence = coverageSentence(progress);
      if (sentence) console.log(sentence);
    }
    if (progress.outcomes.failed > 0 || (progress.retried?.failed ?? 0) > 0) return 6;
    return coveredWhole(progress) ? 0 : 7;
  } catch (e) {
    if (!isSyncError(e)) throw e;
    if (values.json) console.log(JSON.stringify({ error: errorSummary(e) }));
    else console.error(`cx-profile-sync: ${e.message}`);
    return exitCodeForKind(e.kind);
  } finally {
    services.close();
    await ledger?.store.close();
  }
}
