import { parseArgs } from 'node:util';
import { exitCodeForKind } from '@cx-profile-sync/core';
import { rootCause, startRetry } from '../client.js';
import { kindOfFailureType } from '../report.js';
import { targetArg, UsageError } from './args.js';
import { withClient } from './connect.js';

/**
 * `retry`: the customers whose last sync on a target failed and may succeed now (the workers'
 * ledger), synced again through Temporal. Exit 0 when all succeeded (or none waited), 6 when some
 * failed again.
 */
export async function runRetry(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { target: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const targets = targetArg(values.target);
  return withClient(async (c) => {
    const run = await startRetry(c, { targets });
    let status: Awaited<ReturnType<typeof run.result>>;
    try {
      status = await run.result();
    } catch (e) {
      const cause = rootCause(e);
      if (values.json) console.log(JSON.stringify({ workflowId: run.workflowId, error: cause }));
      else
        console.error(
          `cx-profile-sync-worker: ${run.workflowId} failed: ${cause.type ?? 'error'}: ${cause.message}`,
        );
      return exitCodeForKind(kindOfFailureType(cause.type));
    }
    if (values.json) console.log(JSON.stringify({ workflowId: run.workflowId, ...status }));
    else if (status.retried === 0) console.log('No failed customer is waiting for a retry.');
    else {
      for (const f of status.stillFailing)
        console.log(
          `  ${f.customerKey} → ${f.target}: failed ${f.attempts} times${f.message ? `: ${f.message}` : ''}`,
        );
      console.log(`Retried ${status.retried}: ${status.succeeded} succeeded, ${status.failed} failed again.`);
    }
    return status.failed > 0 ? 6 : 0;
  });
}
