/**
 * The ledger as the sync uses it (`SyncLedger`, see sync/plan.ts): the entry and the verify policy
 * before a target's plan, the outcome after. Node-only (digests use node:crypto).
 */
import { isRetryableKind } from '../errors/errors.js';
import type { SourceCustomer } from '../sources/types.js';
import { customerKey } from '../sync/group.js';
import type { SyncLedger, TargetPlan } from '../sync/plan.js';
import type { TargetResult } from '../sync/result.js';
import { digestFields, digestValue } from './digest.js';
import type { LedgerEntry, LedgerIdentity, LedgerStore } from './store.js';

export interface LedgerPolicy {
  /** Read every target record again and rewrite what differs (`--verify`). */
  verify?: boolean;
  /**
   * Read a record again when the ledger last read it this many days ago or more (the periodic
   * drift check; 0 reads every time, undefined never).
   */
  verifyAfterDays?: number;
  /** The clock (tests). */
  now?: () => Date;
  /** The ledger's name of a target (`SyncServices.ledgerTarget`: the name and its tenant). */
  ledgerTarget?: (name: string) => string;
}

const DAY_MS = 86_400_000;

/** Whether the policy wants this entry's record read again. */
export function dueForVerify(entry: LedgerEntry | undefined, policy: LedgerPolicy, now: Date): boolean {
  if (policy.verify) return true;
  if (!entry || policy.verifyAfterDays === undefined) return false;
  const since = Date.parse(entry.verifiedAt ?? entry.firstAt);
  return !(now.getTime() - since < policy.verifyAfterDays * DAY_MS);
}

/** When the customer's data was observed, as a sortable ISO time (none when the source does not say). */
export function sourceTime(c: SourceCustomer): { sourceAt?: string } {
  const ms = c.source.at ? Date.parse(c.source.at) : Number.NaN;
  return Number.isNaN(ms) ? {} : { sourceAt: new Date(ms).toISOString() };
}

function identityOf(c: SourceCustomer): LedgerIdentity {
  return {
    ...(c.identity.phone ? { phone: c.identity.phone } : {}),
    ...(c.identity.email ? { email: c.identity.email } : {}),
  };
}

/** The sync's side of a ledger store, with a verify policy. */
export function syncLedger(store: LedgerStore, policy: LedgerPolicy = {}): SyncLedger {
  const now = () => policy.now?.() ?? new Date();
  const named = policy.ledgerTarget ?? ((name: string) => name);
  // A target hands back the same mapping and schema objects while they are unchanged: digest each once.
  const digests = new WeakMap<object, string>();
  const digest = (value: unknown): string => {
    if (value === null || typeof value !== 'object') return digestValue(value);
    let d = digests.get(value);
    if (d === undefined) {
      d = digestValue(value);
      digests.set(value, d);
    }
    return d;
  };
  return {
    async view(customer, target) {
      const entry = await store.get(customerKey(customer), named(target));
      return {
        ...(entry ? { entry } : {}),
        verify: dueForVerify(entry, policy, now()),
        digestFields,
        digest,
      };
    },

    async record(customer: SourceCustomer, plan: TargetPlan | undefined, result: TargetResult) {
      const key = customerKey(customer);
      // A dry run writes nothing; an outcome the ledger alone decided (no request) teaches it nothing.
      if (result.outcome === 'dry-run' || (plan?.ledger?.fromLedger && result.outcome !== 'failed')) return;
      // Before the outcome's own time, so that the history lists it first.
      if (plan?.ledger?.forgot) await store.forgetRecordId(key, named(result.target));
      const at = now().toISOString();
      const common = {
        customerKey: key,
        target: named(result.target),
        identity: identityOf(customer),
        source: { kind: customer.source.kind, id: customer.source.id },
        at,
      };
      if (result.outcome === 'failed') {
        const kind = result.error?.kind ?? 'upstream';
        await store.recordFailure({
          ...common,
          kind,
          message: result.error?.message ?? 'failed',
          retryable: isRetryableKind(kind),
        });
        return;
      }
      const note = plan?.ledger;
      // A record that holds the values is described by their digests; a customer not found or skipped,
      // by the values looked with (a later read compares with the record itself).
      await store.recordSuccess({
        ...common,
        ...(result.customerId ? { recordId: result.customerId } : {}),
        fields: note ? note.fields : {},
        mappingDigest: note?.mappingDigest ?? 'none',
        schemaDigest: note?.schemaDigest ?? 'none',
        outcome: result.outcome,
        written: Object.keys(result.written),
        verified: note?.verified ?? false,
        // The target now holds data of this time (kept when newer than the entry's).
        ...(result.outcome === 'updated' || result.outcome === 'unchanged' ? sourceTime(customer) : {}),
      });
    },
  };
}
