/** The ledger as a host opens it for a sync: where (CX_LEDGER), the verify policy, the tenants' names. */
import type { SyncServices } from '../compose.js';
import type { Env } from '../config.js';
import { ConfigurationError } from '../errors/errors.js';
import type { SyncLedger } from '../sync/plan.js';
import { ledgerLocation, openLedger } from './config.js';
import { resilientLedger } from './resilient.js';
import type { LedgerStore } from './store.js';
import { type LedgerPolicy, syncLedger } from './sync.js';

export interface OpenedLedger {
  store: LedgerStore;
  sync: SyncLedger;
  /** Where it is, to print: the file, or the PostgreSQL host and database (never a password). */
  where: string;
}

/** How often a known record is read again to repair edits made on the target side. */
export const DEFAULT_VERIFY_DAYS = 7;

/**
 * CX_LEDGER_VERIFY_DAYS: a record the ledger last read this many days ago or more is read again
 * before it is trusted (default 7; 0 reads every time; `never` trusts the ledger until `--verify`).
 */
export function verifyAfterDays(env: Env): number | undefined {
  const raw = env.CX_LEDGER_VERIFY_DAYS?.trim();
  if (!raw) return DEFAULT_VERIFY_DAYS;
  if (raw.toLowerCase() === 'never') return undefined;
  const days = Number(raw);
  if (!Number.isFinite(days) || days < 0)
    throw new ConfigurationError(
      `CX_LEDGER_VERIFY_DAYS must be a number of days (0 or more) or "never", not "${raw}"`,
    );
  return days;
}

/** Where the configured ledger is, for messages. */
export function ledgerWhere(env: Env): string {
  const l = ledgerLocation(env);
  if (l.kind === 'off') return 'off (CX_LEDGER=off)';
  if (l.kind === 'sqlite') return l.file;
  const url = new URL(l.url);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

/** The configured ledger for a sync over these services, or undefined when CX_LEDGER=off. */
export async function openSyncLedger(
  env: Env,
  services: Pick<SyncServices, 'ledgerTarget'>,
  options: { verify?: boolean } = {},
): Promise<OpenedLedger | undefined> {
  const policy: LedgerPolicy = { ledgerTarget: services.ledgerTarget };
  const days = verifyAfterDays(env);
  if (days !== undefined) policy.verifyAfterDays = days;
  if (options.verify) policy.verify = true;
  const opened = await openLedger(env);
  if (!opened) return undefined;
  const store = resilientLedger(opened);
  return { store, sync: syncLedger(store, policy), where: ledgerWhere(env) };
}
