import { parseArgs } from 'node:util';
import { type LedgerEvent, loadDotEnv } from '@cx-profile-sync/core';
import { UsageError } from '../usage.js';
import { withLedgerOnly } from './ledger-open.js';

/** One event as a line: when, where, what happened, to which record, and why it failed. */
export function formatEvent(e: LedgerEvent): string {
  const head = `${e.at}  ${e.target}`;
  switch (e.event) {
    case 'success': {
      const record = e.recordId ? ` record ${e.recordId}` : '';
      const wrote = e.fields?.length ? `; wrote ${e.fields.join(', ')}` : '';
      return `${head}  ${e.outcome}${record}${wrote}`;
    }
    case 'failure':
      return `${head}  failed (${e.error?.kind}${e.error?.retryable ? ', retried on the next run' : ''}): ${e.error?.message}`;
    case 'forget-record-id':
      return `${head}  the record known before was gone from the target: looked the customer up again`;
  }
}

/** Prints what the ledger holds of one customer (key, phone or e-mail): exit 0, or 4 when nothing. */
export async function runHistory(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const [who, ...extra] = positionals;
  if (!who) throw new UsageError('history needs a customer key, a phone number or an e-mail address');
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  loadDotEnv();
  return withLedgerOnly(async (ledger) => {
    const events = await ledger.store.history(who);
    if (values.json) console.log(JSON.stringify({ who, ledger: ledger.where, events }));
    else if (events.length === 0) console.log(`The ledger (${ledger.where}) holds nothing of ${who}.`);
    else {
      const keys = [...new Set(events.map((e) => e.customerKey))];
      console.log(`History of ${who} (${keys.join(', ')}), newest first:`);
      for (const e of events) console.log(`  ${formatEvent(e)}`);
    }
    return events.length === 0 ? 4 : 0;
  });
}
