import { parseArgs } from 'node:util';
import { loadDotEnv } from '@cx-profile-sync/core';
import { UsageError } from '../usage.js';
import { withLedgerOnly } from './ledger-open.js';

/**
 * `status`: what the ledger's inbox holds (events waiting for a sync, subjects being synced or
 * backing off), the last events taken, and how many customers wait for a retry.
 */
export async function runStatus(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, last: { type: 'string', default: '10' } },
  });
  if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const last = Number(values.last);
  if (!Number.isInteger(last) || last < 0 || last > 1000)
    throw new UsageError('--last must be an integer from 0 to 1000');
  loadDotEnv();
  return withLedgerOnly(async (ledger) => {
    const now = new Date().toISOString();
    const inbox = await ledger.store.inbox.depth(now);
    const recent = await ledger.store.inbox.recent(last);
    const retries = (await ledger.store.retryable()).length;
    if (values.json) console.log(JSON.stringify({ ledger: ledger.where, inbox, recent, retries }));
    else {
      console.log(`Ledger: ${ledger.where}`);
      console.log(
        `Inbox: ${inbox.pendingEvents} events waiting (${inbox.pendingSubjects} conversations or contacts; ${inbox.leasedSubjects} syncing, ${inbox.retryingSubjects} backing off)${inbox.oldestPendingReceivedAt ? `, the oldest received ${inbox.oldestPendingReceivedAt}` : ''}`,
      );
      console.log(`Retries: ${retries} customers wait for a retry (see: retry, history)`);
      if (recent.length > 0) console.log(`Last ${recent.length} events, newest first:`);
      for (const e of recent)
        console.log(
          `  ${e.receivedAt}  ${e.subjectKey}  ${e.kind}  ${e.processedAt ? `synced ${e.processedAt}` : 'waiting'}`,
        );
    }
    return 0;
  });
}
