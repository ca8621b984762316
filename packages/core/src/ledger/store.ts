/**
 * The sync ledger: what the project remembers between runs, per customer key and target (the target's
 * record id, digests of what was last written, the last outcome) and per back-fill window (how far it
 * got). Backend-neutral and async, so that a PostgreSQL backend can implement it later; every type is
 * plain data (it may cross a Temporal history or be printed as JSON).
 */
import type { ErrorKind } from '../errors/errors.js';
import type { TargetName } from '../platforms.js';
import type { Outcome } from '../sync/result.js';
import type { Inbox } from './inbox.js';

/** Times are ISO 8601 strings (`Date#toISOString()`), so they sort as text. */
export type Timestamp = string;

/** The outcomes that are not a failure: a failure goes through `recordFailure`, with its kind. */
export type SuccessOutcome = Exclude<Outcome, 'failed'>;

export interface LedgerError {
  kind: ErrorKind;
  message: string;
  retryable: boolean;
}

/** The customer's phone and e-mail, so that `history` finds them by either. */
export interface LedgerIdentity {
  phone?: string;
  email?: string;
}

/** Where the source holds the customer (a Genesys conversation), so that a retry can read them again. */
export interface LedgerSource {
  kind: string;
  id: string;
}

/** What the ledger knows of one customer on one target. */
export interface LedgerEntry {
  customerKey: string;
  target: TargetName;
  identity: LedgerIdentity;
  /** The source record last synced (absent when it was not given). */
  source?: LedgerSource;
  /** The target's id of the customer (CXone customer id, Cognigy profile id), once found or created. */
  recordId?: string;
  /** Per field, the digest of the converted value last written (see digest.ts). */
  fields: Record<string, string>;
  /** Digests of the mapping and of the target schema the last written values were converted with. */
  mappingDigest?: string;
  schemaDigest?: string;
  outcome: Outcome;
  /** The last failure's error, while the last outcome is `failed`. */
  error?: LedgerError;
  /** Failed attempts since the last success (0 after a success). */
  attempts: number;
  firstAt: Timestamp;
  updatedAt: Timestamp;
  lastSuccessAt?: Timestamp;
  /** When the target's record was last read (found, or checked by a verify), not only written. */
  verifiedAt?: Timestamp;
  /** When the newest source data synced was observed (a conversation's start): older data is not written over it. */
  sourceAt?: Timestamp;
}

export interface SuccessRecord {
  customerKey: string;
  target: TargetName;
  /** Kept from before when not given (an unchanged customer whose id was not looked up again). */
  recordId?: string;
  /** Digests of the fields written now; merged over the earlier ones (a write sends only changes). */
  fields: Record<string, string>;
  mappingDigest: string;
  schemaDigest: string;
  outcome: SuccessOutcome;
  /** Names of the fields sent by this sync (empty when nothing was written), for the history. */
  written?: string[];
  /** The target's record was read by this sync (found or verified): sets `verifiedAt`. */
  verified?: boolean;
  /** When the source data was observed; the entry keeps the newest. */
  sourceAt?: Timestamp;
  identity?: LedgerIdentity;
  source?: LedgerSource;
  at: Timestamp;
}

export interface FailureRecord {
  customerKey: string;
  target: TargetName;
  kind: ErrorKind;
  message: string;
  retryable: boolean;
  identity?: LedgerIdentity;
  source?: LedgerSource;
  at: Timestamp;
}

/** One line of a customer's history, newest first. */
export interface LedgerEvent {
  customerKey: string;
  target: TargetName;
  at: Timestamp;
  event: 'success' | 'failure' | 'forget-record-id';
  outcome?: Outcome;
  recordId?: string;
  /** Names of the fields written (success). */
  fields?: string[];
  error?: LedgerError;
}

/** What one back-fill or schedule window covered. */
export interface LedgerWindow {
  id: string;
  since: Timestamp;
  until: Timestamp;
  /** Pages of the source's job read so far. */
  pages: number;
  /** Up to when the window is done (absent while nothing is). */
  coveredUntil?: Timestamp;
  /** The host's own resume point (opaque JSON text, e.g. the job id and next page's cursor). */
  resume?: string;
}

export interface LedgerStore {
  get(customerKey: string, target: TargetName): Promise<LedgerEntry | undefined>;
  recordSuccess(record: SuccessRecord): Promise<void>;
  /** Records a failure and counts one more attempt. */
  recordFailure(record: FailureRecord): Promise<void>;
  /** The entries whose last outcome was a retryable failure (of one target, or all), oldest first. */
  retryable(target?: TargetName): Promise<LedgerEntry[]>;
  /**
   * Every event of a customer on any target, newest first. `who` is a customer key, a phone number
   * or an e-mail address (any case); several customers may share a phone or an address.
   */
  history(who: string): Promise<LedgerEvent[]>;
  /** Creates or replaces a window. */
  recordWindow(window: LedgerWindow): Promise<void>;
  window(id: string): Promise<LedgerWindow | undefined>;
  /**
   * Forgets the target's record id (the record is gone from the target) and the digests that
   * described it, so that the next sync looks the customer up again and writes every field.
   */
  forgetRecordId(customerKey: string, target: TargetName): Promise<void>;
  /** Forgets every entry (of one target, or all) and every window; the history is kept. Returns the entries dropped. */
  reset(target?: TargetName): Promise<number>;
  /** The queue of source events for the live sync (inbox.ts), in the same database. */
  readonly inbox: Inbox;
  close(): Promise<void>;
}
