import { CognigyApi, CxoneApi, GenesysApi } from '@cx-profile-sync/core/pure';
import { CREDENTIAL_HOST, credentialSend, type RequestContext } from './index';

/**
 * The core's API objects over this package's credentials: every node calls the platforms through
 * these, so the flows (search paging, schema caching, create-or-find, analytics jobs) are the core's.
 * Make one per node run: CXone definitions and Cognigy schemas are read once per object.
 */

export function genesysApi(ctx: RequestContext): GenesysApi {
  return new GenesysApi(credentialSend(ctx, 'genesysCloudApi', { apiUrl: CREDENTIAL_HOST, accessToken: '' }));
}

export function cxoneApi(ctx: RequestContext): CxoneApi {
  return new CxoneApi(credentialSend(ctx, 'niceCxoneApi', { dfoUrl: CREDENTIAL_HOST, accessToken: '' }));
}

/** A project's contact profiles; an empty project id is the core's ConfigurationError. */
export function cognigyApi(ctx: RequestContext, projectId: string): CognigyApi {
  return new CognigyApi(
    credentialSend(ctx, 'cognigyAiApi', { apiUrl: CREDENTIAL_HOST, apiKey: '' }),
    projectId,
  );
}
