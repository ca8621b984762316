import type { CognigyConfig } from '../../config.js';
import { NotFoundError, TransientError, ValidationError } from '../../errors/errors.js';
import { call } from '../../http/execute.js';
import type { HttpRequest, HttpResponse } from '../../http/types.js';
import type { Runtime } from '../../runtime.js';
import type { CustomerIdentity } from '../../sources/types.js';
import { contactIdsFor, type ProfilePick, pickProfileByContactIds } from './identity.js';
import {
  buildCreateProfileRequest,
  buildGetProfileRequest,
  buildGetProfileSchemaRequest,
  buildListProfilesRequest,
  buildPatchProfileRequest,
  COGNIGY_MAX_PAGE_SIZE,
  readCreatedProfile,
  readPatchProfile,
  readProfile,
  readProfileList,
  readProfileSchema,
} from './requests.js';
import type { CognigyProfile, CognigySchemaEntry } from './types.js';

/** Tries of a create whose answer was lost, each after checking the profile is still missing. */
const CREATE_TRIES = 3;

/**
 * Cognigy.AI contact profiles over HTTP with an API key. Every request passes the client-side
 * limiter (1,000 requests per 5 minutes per client address by default).
 */
export class CognigyClient {
  private schemaPromise?: Promise<CognigySchemaEntry[]>;

  constructor(
    readonly config: CognigyConfig,
    private readonly runtime: Runtime,
  ) {}

  private send<T>(build: () => HttpRequest, read: (q: HttpRequest, r: HttpResponse) => T): Promise<T> {
    const limiter = this.runtime.limiters.get(`cognigy:${this.config.apiUrl}`, this.runtime.limits.cognigy);
    return call(this.runtime, { build, read, limiters: [limiter] });
  }

  private get connection() {
    return { apiUrl: this.config.apiUrl, apiKey: this.config.apiKey };
  }

  /** The project's profile schema, read once per client. */
  schema(): Promise<CognigySchemaEntry[]> {
    this.schemaPromise ??= this.send(
      () => buildGetProfileSchemaRequest({ ...this.connection, projectId: this.config.projectId }),
      readProfileSchema,
    ).catch((e) => {
      this.schemaPromise = undefined;
      throw e;
    });
    return this.schemaPromise;
  }

  async getProfile(profileId: string): Promise<CognigyProfile | undefined> {
    try {
      return await this.send(() => buildGetProfileRequest({ ...this.connection, profileId }), readProfile);
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  /** The customer's profile by contact ids: the e-mail address first, then the phone number. */
  async findProfile(identity: CustomerIdentity): Promise<ProfilePick> {
    let pick: ProfilePick = {
      kind: 'no-identity',
      reason: 'the customer has no e-mail address and no phone number',
    };
    for (const filter of contactIdsFor(identity)) {
      const list = await this.send(
        () =>
          buildListProfilesRequest({
            ...this.connection,
            projectId: this.config.projectId,
            filter,
            limit: COGNIGY_MAX_PAGE_SIZE,
          }),
        readProfileList,
      );
      pick = pickProfileByContactIds(list.items, identity);
      if (pick.kind !== 'missing') return pick;
    }
    return pick;
  }

  /**
   * Creates a profile. A create is not repeated blindly: when its answer is lost (5xx, reset, timeout)
   * or a repeat finds its contact ids taken, the profile is looked up first and the create is sent
   * again only if it is still missing.
   */
  async createProfile(identity: CustomerIdentity, profile: Record<string, unknown>): Promise<CognigyProfile> {
    const contactIds = contactIdsFor(identity);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(
          () =>
            buildCreateProfileRequest({
              ...this.connection,
              projectId: this.config.projectId,
              contactIds,
              profile,
            }),
          readCreatedProfile,
        );
      } catch (e) {
        const unsure =
          e instanceof TransientError || (e instanceof ValidationError && e.status === 409 && attempt > 1);
        if (!unsure || attempt >= CREATE_TRIES) throw e;
        const existing = await this.findProfile(identity);
        if (existing.kind === 'found') return existing.profile;
      }
    }
  }

  async patchProfile(profileId: string, profile: Record<string, unknown>): Promise<void> {
    await this.send(
      () => buildPatchProfileRequest({ ...this.connection, profileId, profile }),
      readPatchProfile,
    );
  }
}
