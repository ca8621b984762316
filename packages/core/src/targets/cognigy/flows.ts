/**
 * Cognigy.AI's flows of several requests, written once over an injected `send` (see flow/send.ts):
 * finding a customer's profile by contact ids, and a create that, when its answer is lost, looks for
 * the profile it may have made before trying again. The core's `CognigyClient` drives them over
 * axios, the n8n nodes over n8n's helpers.
 */
import { ConfigurationError, NotFoundError, TransientError, ValidationError } from '../../errors/errors.js';
import type { Send } from '../../flow/send.js';
import type { CustomerIdentity } from '../../sources/types.js';
import { contactIdsFor, type ProfilePick, pickProfileByEachContactId } from './identity.js';
import {
  buildCreateProfileRequest,
  buildDeleteProfileRequest,
  buildGetProfileRequest,
  buildGetProfileSchemaRequest,
  buildListProfilesRequest,
  buildPatchProfileRequest,
  COGNIGY_MAX_PAGE_SIZE,
  type CognigyConnection,
  type CognigyProfileList,
  readCreatedProfile,
  readDeleteProfile,
  readPatchProfile,
  readProfile,
  readProfileList,
  readProfileSchema,
} from './requests.js';
import type { CognigyProfile, CognigySchemaEntry } from './types.js';

/** Tries of a create whose answer was lost, each after checking the profile is still missing. */
export const CREATE_TRIES = 3;

/** The customer's profile by contact ids: the e-mail address first, then the phone number. */
export function findCognigyProfile(
  send: Send<CognigyConnection>,
  projectId: string,
  identity: CustomerIdentity,
): Promise<ProfilePick> {
  return pickProfileByEachContactId(identity, async (filter) => {
    const list = await send(
      (c) => buildListProfilesRequest({ ...c, projectId, filter, limit: COGNIGY_MAX_PAGE_SIZE }),
      readProfileList,
    );
    return list.items;
  });
}

/**
 * Creates the customer's profile. A create is not repeated blindly: when its answer is lost (5xx,
 * reset, timeout) or a repeat finds its contact ids taken, the profile is looked up first and the
 * create is sent again only if it is still missing.
 */
export async function createCognigyProfile(
  send: Send<CognigyConnection>,
  projectId: string,
  identity: CustomerIdentity,
  profile: Record<string, unknown>,
): Promise<CognigyProfile> {
  const contactIds = contactIdsFor(identity);
  if (contactIds.length === 0) {
    throw new ConfigurationError(
      'Cognigy.AI: a new profile needs at least one contact id (an e-mail address or a phone number)',
      { platform: 'cognigy' },
    );
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(
        (c) => buildCreateProfileRequest({ ...c, projectId, contactIds, profile }),
        readCreatedProfile,
      );
    } catch (e) {
      const unsure =
        e instanceof TransientError || (e instanceof ValidationError && e.status === 409 && attempt > 1);
      if (!unsure || attempt >= CREATE_TRIES) throw e;
      const existing = await findCognigyProfile(send, projectId, identity);
      if (existing.kind === 'found') return existing.profile;
    }
  }
}

/**
 * The contact-profile calls of one project over one `send`: what the Cognigy target, the Cognigy
 * node and `check` use. The project's profile schema is read once per instance.
 */
export class CognigyApi {
  private schemaPromise?: Promise<CognigySchemaEntry[]>;
  readonly projectId: string;

  constructor(
    readonly send: Send<CognigyConnection>,
    projectId: string,
  ) {
    this.projectId = projectId.trim();
    if (this.projectId === '')
      throw new ConfigurationError('Cognigy.AI: the Project ID is empty', { platform: 'cognigy' });
  }

  schema(): Promise<CognigySchemaEntry[]> {
    this.schemaPromise ??= this.send(
      (c) => buildGetProfileSchemaRequest({ ...c, projectId: this.projectId }),
      readProfileSchema,
    ).catch((e) => {
      this.schemaPromise = undefined;
      throw e;
    });
    return this.schemaPromise;
  }

  /** The profile, or undefined when the project has none with that id. */
  async getProfile(profileId: string): Promise<CognigyProfile | undefined> {
    try {
      return await this.send((c) => buildGetProfileRequest({ ...c, profileId }), readProfile);
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  /** One page of the project's profiles (`next`: the previous page's `nextCursor`). */
  listProfiles(query: { limit?: number; next?: string; filter?: string } = {}): Promise<CognigyProfileList> {
    return this.send(
      (c) => buildListProfilesRequest({ ...c, projectId: this.projectId, ...query }),
      readProfileList,
    );
  }

  findProfile(identity: CustomerIdentity): Promise<ProfilePick> {
    return findCognigyProfile(this.send, this.projectId, identity);
  }

  createProfile(identity: CustomerIdentity, profile: Record<string, unknown>): Promise<CognigyProfile> {
    return createCognigyProfile(this.send, this.projectId, identity, profile);
  }

  /** A create with explicit contact ids (the Cognigy node's Create operation); sent once. */
  createWithContactIds(contactIds: string[], profile: Record<string, unknown>): Promise<CognigyProfile> {
    if (contactIds.length === 0)
      throw new ConfigurationError(
        'Cognigy.AI: a new profile needs at least one contact id (an e-mail address or a phone number)',
        { platform: 'cognigy' },
      );
    return this.send(
      (c) => buildCreateProfileRequest({ ...c, projectId: this.projectId, contactIds, profile }),
      readCreatedProfile,
    );
  }

  async patchProfile(profileId: string, profile: Record<string, unknown>): Promise<void> {
    await this.send((c) => buildPatchProfileRequest({ ...c, profileId, profile }), readPatchProfile);
  }

  /** Deletes a contact profile (a data-protection request to forget the customer). */
  async deleteProfile(profileId: string): Promise<void> {
    await this.send((c) => buildDeleteProfileRequest({ ...c, profileId }), readDeleteProfile);
  }
}
