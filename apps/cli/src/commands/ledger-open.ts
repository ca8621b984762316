import { ConfigurationError, type LedgerStore, ledgerWhere, openLedger } from '@cx-profile-sync/core';

/** The configured ledger for the commands that only read or reset it; off is a configuration error. */
export async function openLedgerOnly(env: NodeJS.ProcessEnv): Promise<{ store: LedgerStore; where: string }> {
  const store = await openLedger(env);
  if (!store)
    throw new ConfigurationError('the ledger is off (CX_LEDGER=off): there is no history to read or reset');
  return { store, where: ledgerWhere(env) };
}
