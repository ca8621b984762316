import { parseArgs } from 'node:util';
import { startBackfill } from '../client.js';
import { backfillExitCode, formatBackfill } from '../report.js';
import { intArg, isoArg, targetArg, UsageError } from './args.js';
import { withClient } from './connect.js';
import { waitWithProgress } from './wait.js';

/** `backfill --since --until`: starts (and with --wait, follows) the back-fill of an interval. */
export async function runBackfill(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      target: { type: 'string' },
      concurrency: { type: 'string' },
      'page-size': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      verify: { type: 'boolean', default: false },
      rerun: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const since = isoArg('since', values.since);
  const until = isoArg('until', values.until);
  if (since >= until) throw new UsageError('--since must be before --until');
  const concurrency = intArg('concurrency', values.concurrency, 1, 100);
  const pageSize = intArg('page-size', values['page-size'], 100, 1000);
  const targets = targetArg(values.target);
  return withClient(async (c) => {
    const run = await startBackfill(
      c,
      {
        since,
        until,
        targets,
        dryRun: values['dry-run'],
        ...(values.verify ? { verify: true } : {}),
        ...(concurrency ? { concurrency } : {}),
        ...(pageSize ? { pageSize } : {}),
      },
      { rerun: values.rerun },
    );
    if (!values.wait) {
      if (values.json) console.log(JSON.stringify({ workflowId: run.workflowId, started: run.started }));
      else
        console.log(
          `${run.started ? 'Started' : 'Already started (or done)'}: ${run.workflowId}\n  progress: pnpm --silent worker status ${run.workflowId}`,
        );
      return 0;
    }
    const final = await waitWithProgress(c, run.workflowId, run.result, values.json);
    if (typeof final === 'number') return final;
    if (values.json) console.log(JSON.stringify(final));
    else for (const line of formatBackfill(final)) console.log(line);
    return backfillExitCode(final);
  });
}
