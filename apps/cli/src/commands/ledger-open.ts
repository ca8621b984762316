import {
  ConfigurationError,
  isSyncError,
  type LedgerStore,
  ledgerWhere,
  openLedger,
} from '@cx-profile-sync/core';

/**
 * Runs a command that only reads or resets the configured ledger (history, status, ledger): opened,
 * given to `run`, closed. A ledger that is off, or cannot be opened, is exit 2 with the reason.
 */
export async function withLedgerOnly(
  run: (ledger: { store: LedgerStore; where: string }) => Promise<number>,
): Promise<number> {
  let store: LedgerStore | undefined;
  try {
    store = await openLedger(process.env);
    if (!store)
      throw new ConfigurationError('the ledger is off (CX_LEDGER=off): there is no history to read or reset');
  } catch (e) {
    if (!isSyncError(e)) throw e;
    console.error(`cx-profile-sync: ${e.message}`);
    return 2;
  }
  try {
    return await run({ store, where: ledgerWhere(process.env) });
  } finally {
    await store.close();
  }
}
