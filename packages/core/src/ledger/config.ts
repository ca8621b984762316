/**
 * Where the ledger lives: `CX_LEDGER` names a file, `off` disables it, a `postgres://` URL selects the
 * PostgreSQL backend (for a fleet of workers); unset, a file under the user's state folder.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Env } from '../config.js';
import { openPostgresLedger } from './postgres.js';
import { openSqliteLedger } from './sqlite.js';
import type { LedgerStore } from './store.js';

export type LedgerLocation =
  | { kind: 'off' }
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string };

export function ledgerLocation(env: Env): LedgerLocation {
  const value = env.CX_LEDGER?.trim();
  if (value?.toLowerCase() === 'off') return { kind: 'off' };
  if (value && /^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', url: value };
  if (value) return { kind: 'sqlite', file: resolve(value) };
  // The XDG Base Directory spec says a relative XDG_STATE_HOME is to be ignored.
  const xdg = env.XDG_STATE_HOME?.trim();
  const state = xdg && isAbsolute(xdg) ? xdg : join(env.HOME?.trim() || homedir(), '.local', 'state');
  return { kind: 'sqlite', file: join(state, 'cx-profile-sync', 'ledger.sqlite') };
}

/** The configured ledger, or undefined when `CX_LEDGER=off`. */
export async function openLedger(env: Env): Promise<LedgerStore | undefined> {
  const location = ledgerLocation(env);
  switch (location.kind) {
    case 'off':
      return undefined;
    case 'sqlite':
      return openSqliteLedger(location.file);
    case 'postgres':
      return openPostgresLedger(location.url);
  }
}
