import {
  type CognigyConfig,
  ConfigurationError,
  type CxoneConfig,
  cognigy as cognigyDescriptor,
  cxone as cxoneDescriptor,
  type SyncLedger,
  type TargetName,
} from '@cx-profile-sync/core/pure';
import { type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

/**
 * The Ledger File option: the core's SQLite ledger (issue 11), off unless a file is named. With it, a
 * customer whose converted values match what the ledger last wrote costs no request, and a known
 * record is written directly. The ledger code (node:sqlite) is loaded only when a file is set, so the
 * node still loads on a Node.js without node:sqlite; PostgreSQL ledgers are for the command line and
 * the worker (this package bundles no `pg`).
 */

type LedgerModule = typeof import('@cx-profile-sync/core/ledger-sqlite');
type LedgerStore = ReturnType<LedgerModule['openSqliteLedger']>;

/** The field's name in the node's Options, as error messages name it. */
export const LEDGER_FIELD = 'Ledger File';

/** How old a ledger's knowledge of a record may be before the record is read again (as the CLI's default). */
export const LEDGER_VERIFY_AFTER_DAYS = 7;

/** What an item asks of the ledger. */
export interface LedgerRequest {
  file: string;
  verify: boolean;
  /** The targets this item writes, with the configuration whose tenant scopes their entries. */
  targets: { cxone?: CxoneConfig; cognigy?: CognigyConfig };
}

/**
 * The ledger's name of a target: `<name>@<tenant>` as the command line and the worker name it
 * (SyncServices.ledgerTarget in the core's compose.ts), the tenant from the target's own
 * `ledgerScope`, so that a ledger shared with them, or by several tenants, never mixes tenants.
 */
export function ledgerTargetNames(targets: LedgerRequest['targets']): Partial<Record<TargetName, string>> {
  const names: Partial<Record<TargetName, string>> = {};
  const named = (name: TargetName, scope: string | undefined) => (scope ? `${name}@${scope}` : name);
  if (targets.cxone) names.cxone = named('cxone', cxoneDescriptor.ledgerScope(targets.cxone));
  if (targets.cognigy) names.cognigy = named('cognigy', cognigyDescriptor.ledgerScope(targets.cognigy));
  return names;
}

/** Whether the Ledger File option names a PostgreSQL server (as the core's CX_LEDGER does). */
const isPostgresUrl = (value: string) => /^postgres(ql)?:\/\//i.test(value);

/** An absolute path on POSIX or Windows (n8n's working directory is not one a user chooses). */
const isAbsolutePath = (value: string) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value);

/**
 * The Ledger File option of an item, checked: undefined when empty (the ledger is off), else the
 * absolute path of an SQLite file. A PostgreSQL URL or a relative path is a NodeOperationError.
 */
export function ledgerFileOption(
  ctx: IExecuteFunctions,
  value: unknown,
  itemIndex: number,
): string | undefined {
  const file = typeof value === 'string' ? value.trim() : '';
  if (file === '') return undefined;
  if (isPostgresUrl(file)) {
    throw new NodeOperationError(
      ctx.getNode(),
      `${LEDGER_FIELD}: PostgreSQL ledgers are for the command line and the Temporal worker (CX_LEDGER); this node keeps its ledger in an SQLite file`,
      {
        itemIndex,
        description:
          'Set the path of a file, for example /home/node/.n8n/cx-profile-sync-ledger.sqlite, or leave the option empty to sync without a ledger.',
      },
    );
  }
  if (!isAbsolutePath(file)) {
    throw new NodeOperationError(ctx.getNode(), `${LEDGER_FIELD}: "${file}" is not an absolute path`, {
      itemIndex,
      description:
        "n8n's working directory is not one you choose: give the full path, for example /home/node/.n8n/cx-profile-sync-ledger.sqlite.",
    });
  }
  return file;
}

/**
 * The ledgers of one node execution: each file opened once, at its first item, and closed by
 * `close()` (also after an error). A file that cannot be opened fails every item that names it with
 * the same error, without trying it again.
 */
export class ExecutionLedgers {
  private module?: Promise<LedgerModule>;
  /** The open files, or why one could not be opened. */
  private readonly stores = new Map<string, LedgerStore | { failed: string }>();
  private readonly ledgers = new Map<string, SyncLedger>();

  constructor(private readonly ctx: IExecuteFunctions) {}

  /** The sync's ledger for an item. */
  async ledger(request: LedgerRequest, itemIndex: number): Promise<SyncLedger> {
    const names = ledgerTargetNames(request.targets);
    const key = JSON.stringify([request.file, request.verify, names]);
    let ledger = this.ledgers.get(key);
    if (!ledger) {
      const core = await this.core(itemIndex);
      const store = await this.store(core, request.file, itemIndex);
      ledger = core.syncLedger(named(core, store), {
        verify: request.verify,
        verifyAfterDays: LEDGER_VERIFY_AFTER_DAYS,
        ledgerTarget: (name) => names[name as TargetName] ?? name,
      });
      this.ledgers.set(key, ledger);
    }
    return ledger;
  }

  /** Closes every file this execution opened. */
  async close(): Promise<void> {
    const open = [...this.stores.values()].filter((s): s is LedgerStore => !('failed' in s));
    this.stores.clear();
    this.ledgers.clear();
    await Promise.all(open.map((s) => s.close()));
  }

  private core(itemIndex: number): Promise<LedgerModule> {
    this.module ??= import('@cx-profile-sync/core/ledger-sqlite');
    return this.module.catch((e: unknown) => {
      throw new NodeOperationError(
        this.ctx.getNode(),
        `${LEDGER_FIELD}: the ledger needs node:sqlite (Node.js 22.13 or later): ${(e as Error).message}`,
        { itemIndex },
      );
    });
  }

  private async store(core: LedgerModule, file: string, itemIndex: number): Promise<LedgerStore> {
    let store = this.stores.get(file);
    if (!store) {
      try {
        store = core.openSqliteLedger(file);
      } catch (e) {
        store = { failed: ledgerMessage(e) };
      }
      this.stores.set(file, store);
    }
    if ('failed' in store) throw new NodeOperationError(this.ctx.getNode(), store.failed, { itemIndex });
    return store;
  }
}

/**
 * A core ConfigurationError about the ledger (not a ledger, locked, written by a newer version),
 * naming the node's field; the core speaks of CX_LEDGER, the command line's setting.
 */
function ledgerMessage(e: unknown): string {
  const message = (e as { message?: unknown })?.message;
  const text = typeof message === 'string' && message !== '' ? message : String(e);
  return `${LEDGER_FIELD}: ${text.replaceAll('point CX_LEDGER at another file', `set another ${LEDGER_FIELD}`)}`;
}

/** A store whose configuration errors (a file locked by another process mid-run) name the field. */
function named(core: LedgerModule, store: LedgerStore): LedgerStore {
  return core.aroundLedger(store, async (call) => {
    try {
      return await call();
    } catch (e) {
      throw e instanceof ConfigurationError ? new ConfigurationError(ledgerMessage(e), { cause: e }) : e;
    }
  });
}
