import { parseArgs } from 'node:util';
import { exitCodeFor, exitCodeForKind, type SyncResult } from '@cx-profile-sync/core';
import { rootCause, startSync } from '../client.js';
import { formatSyncResult, kindOfFailureType } from '../report.js';
import { targetArg, UsageError } from './args.js';
import { withClient } from './connect.js';

/** `sync conversation <id>`: one conversation's customer as a workflow, and its result. */
export async function runSync(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      verify: { type: 'boolean', default: false },
      rerun: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [what, id, ...extra] = positionals;
  if (what !== 'conversation' || !id || extra.length) throw new UsageError('usage: sync conversation <id>');
  const targets = targetArg(values.target);
  return withClient(async (c) => {
    const run = await startSync(
      c,
      { conversationId: id, targets, dryRun: values['dry-run'], ...(values.verify ? { verify: true } : {}) },
      { rerun: values.rerun },
    );
    if (!values.json && run.started)
      console.error(
        `${run.workflowId}: started; its result comes once a worker runs it (pnpm --silent worker start)`,
      );
    let result: SyncResult;
    try {
      result = await run.result();
    } catch (e) {
      const cause = rootCause(e);
      if (values.json) console.log(JSON.stringify({ workflowId: run.workflowId, error: cause }));
      else
        console.error(
          `cx-profile-sync-worker: ${run.workflowId} failed: ${cause.type ?? 'error'}: ${cause.message}`,
        );
      return exitCodeForKind(kindOfFailureType(cause.type));
    }
    if (values.json) console.log(JSON.stringify(result));
    else {
      if (!run.started) console.log(`(already synced by ${run.workflowId}; --rerun syncs again)`);
      for (const line of formatSyncResult(result)) console.log(line);
    }
    return exitCodeFor(result);
  });
}
