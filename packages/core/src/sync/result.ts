import type { SkippedAttribute } from '../convert/plan.js';
import type { ErrorKind, SyncError } from '../errors/errors.js';
import type { TargetName } from '../platforms.js';
import type { CustomerIdentity, SourceCustomer } from '../sources/types.js';

/**
 * Every outcome of a target, least severe first: a customer's outcome over its targets is the worst.
 * `skipped`: the record was found but must not be written (its `reason` says why, e.g. `consent`: a
 * Cognigy profile whose person asked that no data be collected); a normal outcome (exit status 0).
 */
export const OUTCOMES = [
  'unchanged',
  'skipped',
  'dry-run',
  'updated',
  'customer-not-found',
  'failed',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The most severe of some outcomes (`unchanged` when there are none). */
export function worstOutcome(outcomes: Iterable<Outcome>): Outcome {
  let worst = 0;
  for (const o of outcomes) worst = Math.max(worst, OUTCOMES.indexOf(o));
  return OUTCOMES[worst]!;
}

/** What happened on one target: the same object in the CLI's --json, the worker and the n8n node. */
export interface TargetResult {
  target: TargetName;
  /** The target's id of the customer (CXone customer id, Cognigy profile id), when known. */
  customerId?: string;
  outcome: Outcome;
  /** Fields written (or, in a dry run, that would be), with the values sent. */
  written: Record<string, unknown>;
  /** Fields that already held the value. */
  unchanged: string[];
  skipped: SkippedAttribute[];
  /** A Cognigy profile created for this customer. */
  created?: boolean;
  /**
   * Why a customer was not found (no identity, none matched, several matched), or why a found record
   * was skipped (`consent`).
   */
  reason?: string;
  error?: { kind: ErrorKind; message: string; status?: number; code?: string; correlationId?: string };
}

export interface SyncResult {
  source: {
    kind: SourceCustomer['source']['kind'];
    id: string;
    participantId?: string;
    identity: CustomerIdentity;
    attributeCount: number;
  };
  targets: TargetResult[];
}

/** The `source` part of a SyncResult for one customer. */
export function sourceSummary(customer: SourceCustomer): SyncResult['source'] {
  return {
    kind: customer.source.kind,
    id: customer.source.id,
    ...(customer.source.participantId ? { participantId: customer.source.participantId } : {}),
    identity: customer.identity,
    attributeCount: Object.keys(customer.attributes).length,
  };
}

export function errorSummary(e: SyncError): NonNullable<TargetResult['error']> {
  return {
    kind: e.kind,
    message: e.message,
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.code ? { code: e.code } : {}),
    ...(e.correlationId ? { correlationId: e.correlationId } : {}),
  };
}

/**
 * The CLI's exit status for a result: 0 done; 3 authentication or permission; 4 a customer not
 * found; 5 validation; 6 unavailable or still limiting; 2 configuration. The worst one wins.
 */
export function exitCodeFor(result: SyncResult): number {
  let code = 0;
  for (const t of result.targets) {
    const c =
      t.outcome === 'customer-not-found'
        ? 4
        : t.outcome === 'failed' && t.error
          ? exitCodeForKind(t.error.kind)
          : 0;
    code = Math.max(code, c);
  }
  return code;
}

export function exitCodeForKind(kind: ErrorKind): number {
  switch (kind) {
    case 'configuration':
      return 2;
    case 'authentication':
    case 'permission':
      return 3;
    case 'not-found':
      return 4;
    case 'validation':
      return 5;
    default:
      return 6;
  }
}
