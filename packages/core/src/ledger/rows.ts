/**
 * Rows of the ledger's tables as the store's plain data, for every backend: a backend hands over a row
 * whose `fields` are parsed JSON and whose `retryable` is a boolean (SQLite stores text and 0/1).
 */
import type { LedgerEntry, LedgerError, LedgerEvent, LedgerWindow } from './store.js';

export type Row = Record<string, unknown>;

function errorOf(r: Row): LedgerError | undefined {
  if (r.error_kind == null) return undefined;
  return {
    kind: String(r.error_kind) as LedgerError['kind'],
    message: String(r.error_message ?? ''),
    retryable: r.retryable === true,
  };
}

export function entryOf(r: Row): LedgerEntry {
  const entry: LedgerEntry = {
    customerKey: String(r.customer_key),
    target: String(r.target),
    identity: {
      ...(r.phone != null ? { phone: String(r.phone) } : {}),
      ...(r.email != null ? { email: String(r.email) } : {}),
    },
    fields: r.fields as Record<string, string>,
    outcome: String(r.outcome) as LedgerEntry['outcome'],
    attempts: Number(r.attempts),
    firstAt: String(r.first_at),
    updatedAt: String(r.updated_at),
  };
  if (r.source_kind != null) entry.source = { kind: String(r.source_kind), id: String(r.source_id) };
  if (r.record_id != null) entry.recordId = String(r.record_id);
  if (r.mapping_digest != null) entry.mappingDigest = String(r.mapping_digest);
  if (r.schema_digest != null) entry.schemaDigest = String(r.schema_digest);
  const error = errorOf(r);
  if (error) entry.error = error;
  if (r.last_success_at != null) entry.lastSuccessAt = String(r.last_success_at);
  if (r.verified_at != null) entry.verifiedAt = String(r.verified_at);
  if (r.source_at != null) entry.sourceAt = String(r.source_at);
  return entry;
}

export function eventOf(r: Row): LedgerEvent {
  const event: LedgerEvent = {
    customerKey: String(r.customer_key),
    target: String(r.target),
    at: String(r.at),
    event: String(r.event) as LedgerEvent['event'],
  };
  if (r.outcome != null) event.outcome = String(r.outcome) as NonNullable<LedgerEvent['outcome']>;
  if (r.record_id != null) event.recordId = String(r.record_id);
  if (r.fields != null) event.fields = r.fields as string[];
  const error = errorOf(r);
  if (error) event.error = error;
  return event;
}

export function windowOf(r: Row): LedgerWindow {
  const w: LedgerWindow = {
    id: String(r.id),
    since: String(r.since),
    until: String(r.until),
    pages: Number(r.pages),
  };
  if (r.covered_until != null) w.coveredUntil = String(r.covered_until);
  if (r.resume != null) w.resume = String(r.resume);
  return w;
}

// $1 customer_key, $2 target, $3 phone, $4 email, $5 source_kind, $6 source_id, then per statement.
// A write sends only what changed: the digests of the fields not sent still describe the record.
