import type { Mapping } from '../../convert/mapping.js';
import { AuthenticationError, ConfigurationError, ValidationError } from '../../errors/errors.js';
import type { SourceCustomer } from '../../sources/types.js';
import type { FindResult, SyncTarget, TargetRecord } from '../../sync/target.js';
import { toCognigyProfile, withSchemaSpelling } from './convert.js';
import { directoryPages, mergedProfile, ProfileDirectory } from './directory.js';
import type { CognigyApi } from './flows.js';
import { contactIdsFor } from './identity.js';
import { COGNIGY_MAX_PAGE_SIZE } from './requests.js';
import { checkProfileSize } from './size.js';
import { COGNIGY_MAX_PROFILE_BYTES, type CognigyProfile } from './types.js';

/** What the target needs from a Cognigy client: `CognigyApi` over any host's `send`. */
export type CognigyTargetClient = Pick<
  CognigyApi,
  'schema' | 'getProfile' | 'findProfile' | 'listProfiles' | 'createProfile' | 'patchProfile'
>;

/** What one bulk sync (one back-fill) has learnt of the project: see `CognigyTarget.prepare`. */
interface BulkState {
  signal: AbortSignal;
  /** The project's profile count, once a listing said it. */
  total?: number;
  /** A load was started: at most one a bulk sync, even when it failed. */
  tried?: boolean;
  directory?: ProfileDirectory;
  /** The customers of the current page that the directory would find without a request each. */
  candidates: number;
  /** The decision (and load) in progress, shared by the lookups that wait for it. */
  loading?: Promise<void>;
}

export interface CognigyTargetOptions {
  /**
   * Write profiles whose person asked that no data be collected (`prevent_data_collection: true`).
   * Default false: such a profile is `skipped` with reason `consent`, and never written.
   */
  ignoreConsent?: boolean;
  /** The stored profile's cap in bytes of JSON (default 65,536). */
  maxProfileBytes?: number;
}

/** The profile field by which a person asks that no data be collected about them. */
export const CONSENT_FIELD = 'prevent_data_collection';

/** Whether a stored profile carries `prevent_data_collection: true` (the name in any case). */
export function preventsDataCollection(profile: Record<string, unknown>): boolean {
  return Object.keys(profile).some((k) => k.toLowerCase() === CONSENT_FIELD && profile[k] === true);
}

/** Cognigy.AI as a sync target: contact profiles, created when missing unless told not to. */
export class CognigyTarget implements SyncTarget {
  readonly name = 'cognigy' as const;
  private readonly options: CognigyTargetOptions;
  /** Consent may have been withdrawn since the ledger's last read: a profile is read before a write. */
  readonly readsBeforeWrite: boolean;
  private bulk?: BulkState;

  constructor(
    readonly client: CognigyTargetClient,
    private readonly mapping?: Mapping,
    readonly createsMissing = true,
    options: CognigyTargetOptions = {},
  ) {
    this.options = options;
    this.readsBeforeWrite = !options.ignoreConsent;
  }

  async conversionBasis() {
    return { mapping: this.mapping ?? null, schema: await this.client.schema() };
  }

  async convert(customer: SourceCustomer) {
    const schema = await this.client.schema();
    const { profile, skipped } = toCognigyProfile(customer.attributes, schema, this.mapping);
    return { values: profile, skipped };
  }

  /** The record with its fields in the schema's spelling; `skip: 'consent'` when it must not be written. */
  private async found(p: CognigyProfile): Promise<FindResult> {
    const current = withSchemaSpelling(p.profile, await this.client.schema());
    const record: TargetRecord = { id: p._id, current };
    return !this.options.ignoreConsent && preventsDataCollection(p.profile)
      ? { found: record, skip: 'consent' }
      : { found: record };
  }

  /**
   * A back-fill is about to sync these customers. Nothing is read yet: the first lookup that would cost
   * a request decides (see `directory`), so a back-fill of customers the ledger settles reads nothing.
   * Dropped when `bulk` is aborted.
   */
  async prepare(customers: readonly SourceCustomer[], bulk: AbortSignal): Promise<void> {
    if (bulk.aborted) return;
    if (this.bulk?.signal !== bulk) {
      const state: BulkState = { signal: bulk, candidates: 0 };
      this.bulk = state;
      bulk.addEventListener(
        'abort',
        () => {
          if (this.bulk === state) this.bulk = undefined;
        },
        { once: true },
      );
    }
    this.bulk.candidates = customers.filter((c) => contactIdsFor(c.identity).length > 0).length;
  }

  /**
   * The current back-fill's directory of the project's profiles (100 a listing request), loaded at
   * the first lookup that needs it when the page's customers it would find are at least as many as
   * the requests it costs. The first listing page says the count and is the directory's first page; a
   * later page decides again on that count with no request. At most one load a back-fill; a failed
   * one leaves the lookups one by one, except an authentication or configuration error.
   */
  private async directory(): Promise<ProfileDirectory | undefined> {
    const state = this.bulk;
    if (!state || state.signal.aborted) return undefined;
    // A lookup that comes while the directory loads waits for it (`tried` is set before it is done).
    if (!state.loading && !state.directory && !state.tried)
      state.loading = this.loadDirectory(state).finally(() => {
        state.loading = undefined;
      });
    if (state.loading) await state.loading;
    return state.signal.aborted ? undefined : state.directory;
  }

  /** The directory when one is loaded (a write keeps it current; it never starts a load). */
  private loadedDirectory(): ProfileDirectory | undefined {
    return this.bulk?.signal.aborted ? undefined : this.bulk?.directory;
  }

  private async loadDirectory(state: BulkState): Promise<void> {
    const served = state.candidates;
    if (served === 0 || (state.total !== undefined && served < directoryPages(state.total))) return;
    const read = (next?: string) =>
      this.client.listProfiles({ limit: COGNIGY_MAX_PAGE_SIZE, ...(next ? { next } : {}) });
    let first: Awaited<ReturnType<typeof read>>;
    try {
      first = await read();
    } catch (e) {
      // Not again for this page (its lookups go one by one); the next page tries again.
      state.candidates = 0;
      if (e instanceof AuthenticationError || e instanceof ConfigurationError) throw e;
      return;
    }
    state.total = first.total;
    if (served < directoryPages(first.total)) return;
    state.tried = true;
    try {
      state.directory = await ProfileDirectory.load(read, first);
    } catch (e) {
      if (e instanceof AuthenticationError || e instanceof ConfigurationError) throw e;
    }
  }

  async find(customer: SourceCustomer, profileId?: string): Promise<FindResult> {
    const directory = await this.directory();
    if (profileId) {
      let p = directory?.profile(profileId);
      if (!p) {
        // Not in the directory: made since it was loaded, or gone; the platform says which.
        p = await this.client.getProfile(profileId);
        if (p) directory?.put(p);
      }
      return p
        ? this.found(p)
        : { found: undefined, reason: `Cognigy.AI has no profile with id ${profileId}` };
    }
    const pick = directory
      ? await directory.pick(customer.identity)
      : await this.client.findProfile(customer.identity);
    switch (pick.kind) {
      case 'found':
        return this.found(pick.profile);
      case 'missing':
        return {
          found: undefined,
          creates: this.createsMissing,
          reason: this.createsMissing
            ? 'no profile has these contact ids: one is created'
            : 'no profile has these contact ids (creating profiles is turned off)',
        };
      default:
        return { found: undefined, reason: pick.reason };
    }
  }

  /** Refuses, before anything is sent, a write that would take the stored profile past its cap. */
  checkWrite(record: TargetRecord | undefined, changes: Record<string, unknown>): void {
    checkProfileSize(
      record?.current ?? {},
      changes,
      this.options.maxProfileBytes ?? COGNIGY_MAX_PROFILE_BYTES,
    );
  }

  async write(customer: SourceCustomer, record: TargetRecord | undefined, changes: Record<string, unknown>) {
    // The plan checked the whole profile; a write that crossed a process knows only its changes.
    this.checkWrite(record, changes);
    const directory = this.loadedDirectory();
    if (record) {
      await this.client.patchProfile(record.id, changes);
      directory?.patched(record.id, changes);
      return { id: record.id, created: false };
    }
    try {
      const created = await this.client.createProfile(customer.identity, changes);
      directory?.put(created);
      return { id: created._id, created: true };
    } catch (e) {
      // After a miss in the directory (a snapshot), the contact ids may have been taken since: look the
      // profile up and write to it as a find would have, or give up (consent) with the refusal.
      if (!directory || !(e instanceof ValidationError && e.status === 409)) throw e;
      const pick = await this.client.findProfile(customer.identity);
      if (pick.kind !== 'found') throw e;
      const found = await this.found(pick.profile);
      if (!found.found || found.skip !== undefined) throw e;
      this.checkWrite(found.found, changes);
      await this.client.patchProfile(found.found.id, changes);
      directory.put(mergedProfile(pick.profile, changes));
      return { id: found.found.id, created: false };
    }
  }
}
