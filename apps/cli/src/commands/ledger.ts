import { parseArgs } from 'node:util';
import { loadDotEnv } from '@cx-profile-sync/core';
import { UsageError } from '../usage.js';
import { withLedgerOnly } from './ledger-open.js';

/**
 * `ledger where` prints where the ledger is; `ledger reset [--target <ledger target>] --yes` forgets
 * what it knows (record ids, digests, windows; the history stays), so the next sync reads and
 * writes every customer as if for the first time.
 */
export async function runLedger(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { target: { type: 'string' }, yes: { type: 'boolean', default: false } },
  });
  const [action, ...extra] = positionals;
  if (action !== 'where' && action !== 'reset') throw new UsageError('ledger needs "where" or "reset"');
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (action === 'reset' && !values.yes)
    throw new UsageError('ledger reset forgets what was written where: add --yes to do it');
  loadDotEnv();
  return withLedgerOnly(async (ledger) => {
    if (action === 'where') console.log(ledger.where);
    else {
      const dropped = await ledger.store.reset(values.target);
      console.log(
        `Forgot ${dropped} entries${values.target ? ` of ${values.target}` : ''} in ${ledger.where}.`,
      );
    }
    return 0;
  });
}
