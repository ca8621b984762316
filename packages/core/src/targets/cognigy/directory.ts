/**
 * A back-fill's directory of a Cognigy project's contact profiles: every profile, read page by page
 * (100 a request), indexed by contact id and by profile id, so that a back-fill finds each customer's
 * profile without a request of its own. Matching is `findProfile`'s (`pickProfileByEachContactId`):
 * the index only narrows the candidates (contact ids ignoring case), the rules decide.
 *
 * A snapshot: it is taken when the back-fill loads it and then kept up to date with the back-fill's
 * own writes only. A profile created, deleted or flagged `prevent_data_collection` by someone else
 * during the run is seen at the next run (which loads a new snapshot). So a create after a miss is
 * safe against duplicates only as far as the snapshot goes; the target falls back to a lookup when
 * the platform refuses the create because the contact ids were taken since (see CognigyTarget.write).
 */
import { UpstreamError } from '../../errors/errors.js';
import type { CustomerIdentity } from '../../sources/types.js';
import { type ProfilePick, pickProfileByEachContactId } from './identity.js';
import { COGNIGY_MAX_PAGE_SIZE, type CognigyProfileList } from './requests.js';
import type { CognigyProfile } from './types.js';

/** Reads one page of the project's profiles: the first without `next`. */
export type ProfilePageReader = (next?: string) => Promise<CognigyProfileList>;

/** Requests a directory of `total` profiles costs (an empty project still costs its one listing). */
export function directoryPages(total: number): number {
  return Math.max(1, Math.ceil(total / COGNIGY_MAX_PAGE_SIZE));
}

/** The index's key: a candidate for `pickProfileByContactIds`, which then matches exactly. */
const indexKey = (contactId: string) => contactId.trim().toLowerCase();

export class ProfileDirectory {
  private readonly byId = new Map<string, CognigyProfile>();
  private readonly byContactId = new Map<string, Set<string>>();

  /** Listing requests the load took. */
  requests = 0;

  /**
   * Every profile of the project, following `nextCursor` from `first` (already read) or from the
   * start. A cursor seen twice, or an empty page that names a next one, is an UpstreamError: a
   * directory that may be incomplete is never used.
   */
  static async load(read: ProfilePageReader, first?: CognigyProfileList): Promise<ProfileDirectory> {
    const directory = new ProfileDirectory();
    const seen = new Set<string>();
    let page = first ?? (await read());
    directory.requests = 1;
    for (;;) {
      for (const p of page.items) directory.put(p);
      const next = page.nextCursor;
      if (!next) return directory;
      if (seen.has(next) || page.items.length === 0)
        throw new UpstreamError('Cognigy.AI: the profile listing did not advance; not using it', {
          platform: 'cognigy',
        });
      seen.add(next);
      page = await read(next);
      directory.requests++;
    }
  }

  get size(): number {
    return this.byId.size;
  }

  profile(profileId: string): CognigyProfile | undefined {
    return this.byId.get(profileId);
  }

  /** The customer's profile exactly as `findProfile` picks it, with no request. */
  pick(identity: CustomerIdentity): Promise<ProfilePick> {
    return pickProfileByEachContactId(identity, (contactId) => {
      const ids = this.byContactId.get(indexKey(contactId));
      return ids ? [...ids].map((id) => this.byId.get(id)!) : [];
    });
  }

  /** Adds a profile (one the back-fill created) or replaces it. */
  put(p: CognigyProfile): void {
    const old = this.byId.get(p._id);
    if (old) for (const c of old.contactIds) this.byContactId.get(indexKey(c))?.delete(p._id);
    this.byId.set(p._id, p);
    for (const c of p.contactIds) {
      const key = indexKey(c);
      const ids = this.byContactId.get(key);
      if (ids) ids.add(p._id);
      else this.byContactId.set(key, new Set([p._id]));
    }
  }

  /**
   * A patch the back-fill sent: merged key by key into the stored values as the API merges it (a key
   * in another spelling of the same field is replaced: field names are case-insensitive).
   */
  patched(profileId: string, changes: Record<string, unknown>): void {
    const old = this.byId.get(profileId);
    if (old) this.put(mergedProfile(old, changes));
  }
}

/** The profile with `changes` merged in, as a PATCH of `{profile: changes}` leaves it. */
export function mergedProfile(p: CognigyProfile, changes: Record<string, unknown>): CognigyProfile {
  const profile: Record<string, unknown> = Object.assign(Object.create(null), p.profile);
  for (const [k, v] of Object.entries(changes)) {
    for (const old of Object.keys(profile))
      if (old !== k && old.toLowerCase() === k.toLowerCase()) delete profile[old];
    profile[k] = v;
  }
  return { ...p, profile };
}
