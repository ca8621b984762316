import type { SkippedAttribute } from '../convert/plan.js';
import type { TargetName } from '../platforms.js';
import type { SourceCustomer } from '../sources/types.js';

/** The customer's record on a target, with its current values keyed like the converted ones. */
export interface TargetRecord {
  id: string;
  current: Record<string, unknown>;
}

/**
 * The record, or why there is none. `creates` says the target will create the record on write
 * (a missing Cognigy profile); otherwise the customer is reported as not found. `skip` says the
 * record was found but must not be written, and why (e.g. `consent`): the outcome is `skipped`.
 */
export type FindResult =
  | { found: TargetRecord; skip?: string }
  | { found: undefined; reason: string; creates?: boolean };

/**
 * What the sync needs from a target platform. A new target is a folder under `targets/` with its
 * protocol, its conversion, and one of these.
 */
export interface SyncTarget {
  readonly name: TargetName;
  /**
   * Optional: a bulk sync (a back-fill page) is about to sync these customers: the target may load in
   * few requests what it would otherwise look up one by one (Cognigy: its profile directory). What it
   * loads serves this bulk sync only and is dropped when `bulk` is aborted, which the caller does when
   * the bulk sync ends. A failure costs nothing but the saving: the customers are looked up one by one.
   */
  prepare?(customers: readonly SourceCustomer[], bulk: AbortSignal): Promise<void>;
  /** Finds the customer by explicit id (`customerId`) or by the source's identity. */
  find(customer: SourceCustomer, customerId?: string): Promise<FindResult>;
  /** Converts the source attributes to this target's schema (loads the schema once). */
  convert(
    customer: SourceCustomer,
  ): Promise<{ values: Record<string, unknown>; skipped: SkippedAttribute[] }>;
  /**
   * Optional: what the conversion depends on (the mapping, the target's schema as read), so that the
   * ledger rewrites every value when either changes. The same objects each time while unchanged.
   */
  conversionBasis?(): Promise<{ mapping: unknown; schema: unknown }>;
  /** Creates a record for a customer it does not find (a Cognigy profile, unless told not to). */
  readonly createsMissing?: boolean;
  /**
   * The record must be read before each write even when the ledger knows its id and values (Cognigy:
   * the person may have asked since that no data be collected). The read is by id: one request.
   */
  readonly readsBeforeWrite?: boolean;
  /**
   * Optional: refuses (throws the taxonomy's ValidationError) changes the platform would refuse as a
   * whole, before anything is sent (Cognigy: the profile's size cap). `record` is undefined for a create.
   */
  checkWrite?(record: TargetRecord | undefined, changes: Record<string, unknown>): void;
  /** Writes the changed values; creates the record when `record` is undefined (only after `creates`). */
  write(
    customer: SourceCustomer,
    record: TargetRecord | undefined,
    changes: Record<string, unknown>,
  ): Promise<{ id: string; created: boolean }>;
}
