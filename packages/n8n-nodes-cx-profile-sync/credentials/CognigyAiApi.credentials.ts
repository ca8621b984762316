import type {
  ICredentialDataDecryptedObject,
  ICredentialTestRequest,
  ICredentialType,
  Icon,
  IHttpRequestOptions,
  INodeProperties,
} from 'n8n-workflow';
import { authenticateTo, cognigyApiUrlOf } from '../shared/hosts';

/** Cognigy.AI with an API key, sent in the X-API-Key header (never in the query) to the API URL only. */
export class CognigyAiApi implements ICredentialType {
  name = 'cognigyAiApi';

  displayName = 'Cognigy.AI API';

  icon: Icon = { light: 'file:../icons/cognigy.svg', dark: 'file:../icons/cognigy.dark.svg' };

  documentationUrl = 'https://github.com/cx-profile-sync/cx-profile-sync#n8n-community-node';

  properties: INodeProperties[] = [
    {
      displayName: 'API URL',
      name: 'apiUrl',
      type: 'string',
      default: 'https://api-app.cognigy.ai',
      placeholder: 'https://api-app.cognigy.ai',
      description:
        'The API base URL of your Cognigy.AI installation, for example https://api-trial.cognigy.ai or https://api-yourcompany.cognigy.cloud (https; plain http only to localhost)',
      required: true,
    },
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      description: 'An API key, created under your Cognigy.AI user profile',
    },
  ];

  authenticate = async (
    credentials: ICredentialDataDecryptedObject,
    requestOptions: IHttpRequestOptions,
  ): Promise<IHttpRequestOptions> =>
    authenticateTo('cognigy', cognigyApiUrlOf(credentials), requestOptions, {
      'X-API-Key': String(credentials.apiKey ?? ''),
    });

  test: ICredentialTestRequest = {
    request: { method: 'GET', url: '/new/v2.0/profiles', qs: { limit: 1 } },
  };
}
