import {
  buildCreateProfileRequest,
  buildGetProfileRequest,
  buildGetProfileSchemaRequest,
  buildListProfilesRequest,
  buildPatchProfileRequest,
  COGNIGY_MAX_PAGE_SIZE,
  type CognigyConnection,
  type CognigyProfile,
  type CognigySchemaEntry,
  type CognigyTargetClient,
  ConfigurationError,
  type CustomerIdentity,
  contactIdsFor,
  type ProfilePick,
  pickProfileByContactIds,
  readCreatedProfile,
  readPatchProfile,
  readProfile,
  readProfileList,
  readProfileSchema,
} from '@cx-profile-sync/core/pure';
import { CREDENTIAL_HOST } from './http';
import { callWithCredential, type RequestContext, sendWithCredential } from './transport';

export const COGNIGY_CREDENTIAL = 'cognigyAiApi';

/**
 * Cognigy.AI contact profiles of one project through the "Cognigy.AI API" credential (host and API
 * key). The same calls serve the Cognigy node and, as the core's `CognigyTarget` client, the Profile
 * Sync node. The schema is read once per node run.
 */
export class N8nCognigyClient implements CognigyTargetClient {
  private schemaPromise?: Promise<CognigySchemaEntry[]>;
  private readonly connection: CognigyConnection = { apiUrl: CREDENTIAL_HOST, apiKey: '' };
  readonly projectId: string;

  constructor(
    private readonly ctx: RequestContext,
    projectId: string,
  ) {
    this.projectId = projectId.trim();
    if (this.projectId === '') {
      throw new ConfigurationError('Cognigy.AI: the Project ID is empty', { platform: 'cognigy' });
    }
  }

  schema(): Promise<CognigySchemaEntry[]> {
    this.schemaPromise ??= callWithCredential(
      this.ctx,
      COGNIGY_CREDENTIAL,
      buildGetProfileSchemaRequest({ ...this.connection, projectId: this.projectId }),
      readProfileSchema,
    ).catch((e) => {
      this.schemaPromise = undefined;
      throw e;
    });
    return this.schemaPromise;
  }

  async getProfile(profileId: string): Promise<CognigyProfile | undefined> {
    const request = buildGetProfileRequest({ ...this.connection, profileId });
    const response = await sendWithCredential(this.ctx, COGNIGY_CREDENTIAL, request);
    return response.status === 404 ? undefined : readProfile(request, response);
  }

  /** The customer's profile by contact ids: the e-mail address first, then the phone number. */
  async findProfile(identity: CustomerIdentity): Promise<ProfilePick> {
    let pick: ProfilePick = {
      kind: 'no-identity',
      reason: 'the customer has no e-mail address and no phone number',
    };
    for (const filter of contactIdsFor(identity)) {
      const list = await callWithCredential(
        this.ctx,
        COGNIGY_CREDENTIAL,
        buildListProfilesRequest({
          ...this.connection,
          projectId: this.projectId,
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

  /** Creates a profile whose contact ids are the customer's e-mail address and phone number. */
  createProfile(identity: CustomerIdentity, profile: Record<string, unknown>): Promise<CognigyProfile> {
    return this.createWithContactIds(contactIdsFor(identity), profile);
  }

  createWithContactIds(contactIds: string[], profile: Record<string, unknown>): Promise<CognigyProfile> {
    if (contactIds.length === 0) {
      throw new ConfigurationError(
        'Cognigy.AI: a new profile needs at least one contact id (an e-mail address or a phone number)',
        { platform: 'cognigy' },
      );
    }
    return callWithCredential(
      this.ctx,
      COGNIGY_CREDENTIAL,
      buildCreateProfileRequest({ ...this.connection, projectId: this.projectId, contactIds, profile }),
      readCreatedProfile,
    );
  }

  async patchProfile(profileId: string, profile: Record<string, unknown>): Promise<void> {
    await callWithCredential(
      this.ctx,
      COGNIGY_CREDENTIAL,
      buildPatchProfileRequest({ ...this.connection, profileId, profile }),
      readPatchProfile,
    );
  }
}
