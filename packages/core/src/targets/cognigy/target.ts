import type { Mapping } from '../../convert/mapping.js';
import type { SourceCustomer } from '../../sources/types.js';
import type { FindResult, SyncTarget, TargetRecord } from '../../sync/target.js';
import { toCognigyProfile, withSchemaSpelling } from './convert.js';
import type { CognigyApi } from './flows.js';
import { checkProfileSize } from './size.js';
import { COGNIGY_MAX_PROFILE_BYTES, type CognigyProfile } from './types.js';

/** What the target needs from a Cognigy client: `CognigyApi` over any host's `send`. */
export type CognigyTargetClient = Pick<
  CognigyApi,
  'schema' | 'getProfile' | 'findProfile' | 'createProfile' | 'patchProfile'
>;

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

  async find(customer: SourceCustomer, profileId?: string): Promise<FindResult> {
    if (profileId) {
      const p = await this.client.getProfile(profileId);
      return p
        ? this.found(p)
        : { found: undefined, reason: `Cognigy.AI has no profile with id ${profileId}` };
    }
    const pick = await this.client.findProfile(customer.identity);
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
    if (record) {
      await this.client.patchProfile(record.id, changes);
      return { id: record.id, created: false };
    }
    const created = await this.client.createProfile(customer.identity, changes);
    return { id: created._id, created: true };
  }
}
