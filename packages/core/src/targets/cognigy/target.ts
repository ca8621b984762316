import type { Mapping } from '../../convert/mapping.js';
import type { SourceCustomer } from '../../sources/types.js';
import type { FindResult, SyncTarget, TargetRecord } from '../../sync/target.js';
import { toCognigyProfile } from './convert.js';
import type { CognigyApi } from './flows.js';
import type { CognigyProfile } from './types.js';

/** What the target needs from a Cognigy client: `CognigyApi` over any host's `send`. */
export type CognigyTargetClient = Pick<
  CognigyApi,
  'schema' | 'getProfile' | 'findProfile' | 'createProfile' | 'patchProfile'
>;

const recordOf = (p: CognigyProfile): TargetRecord => ({ id: p._id, current: p.profile });

/** Cognigy.AI as a sync target: contact profiles, created when missing unless told not to. */
export class CognigyTarget implements SyncTarget {
  readonly name = 'cognigy' as const;

  constructor(
    readonly client: CognigyTargetClient,
    private readonly mapping?: Mapping,
    readonly createsMissing = true,
  ) {}

  async convert(customer: SourceCustomer) {
    const schema = await this.client.schema();
    const { profile, skipped } = toCognigyProfile(customer.attributes, schema, this.mapping);
    return { values: profile, skipped };
  }

  async find(customer: SourceCustomer, profileId?: string): Promise<FindResult> {
    if (profileId) {
      const p = await this.client.getProfile(profileId);
      return p
        ? { found: recordOf(p) }
        : { found: undefined, reason: `Cognigy.AI has no profile with id ${profileId}` };
    }
    const pick = await this.client.findProfile(customer.identity);
    switch (pick.kind) {
      case 'found':
        return { found: recordOf(pick.profile) };
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

  async write(customer: SourceCustomer, record: TargetRecord | undefined, changes: Record<string, unknown>) {
    if (record) {
      await this.client.patchProfile(record.id, changes);
      return { id: record.id, created: false };
    }
    const created = await this.client.createProfile(customer.identity, changes);
    return { id: created._id, created: true };
  }
}
