import { buildTokenRequest, GENESYS_REGIONS, readTokenResponse } from '@cx-profile-sync/core/pure';
import type {
  ICredentialDataDecryptedObject,
  ICredentialTestRequest,
  ICredentialType,
  Icon,
  IHttpRequestHelper,
  IHttpRequestOptions,
  INodeProperties,
} from 'n8n-workflow';
import { authenticateTo, CUSTOM, genesysHostsOf } from '../shared/hosts';
import { plainSend } from '../transport';

/**
 * Genesys Cloud, server to server: an OAuth client with the Client Credentials grant. The token is
 * fetched the n8n way (`preAuthentication` fills the hidden, expirable "accessToken"; n8n fetches a
 * new one when a call answers 401) and sent only to the region's (or the custom) API host.
 */
export class GenesysCloudApi implements ICredentialType {
  name = 'genesysCloudApi';

  displayName = 'Genesys Cloud API';

  icon: Icon = { light: 'file:../icons/genesys.svg', dark: 'file:../icons/genesys.dark.svg' };

  documentationUrl = 'https://github.com/cx-profile-sync/cx-profile-sync#n8n-community-node';

  properties: INodeProperties[] = [
    {
      displayName: 'Region',
      name: 'region',
      type: 'options',
      options: [
        ...GENESYS_REGIONS.map((r) => ({ name: `${r.region} (${r.domain})`, value: r.domain })),
        { name: 'Custom URLs', value: CUSTOM },
      ],
      default: 'mypurecloud.com',
      description:
        'The region of your Genesys Cloud organization, or Custom URLs for a gateway or an emulator',
    },
    {
      displayName: 'API URL',
      name: 'apiUrl',
      type: 'string',
      default: '',
      placeholder: 'https://api.mypurecloud.com',
      description: 'The API base URL (https; plain http only to localhost)',
      required: true,
      displayOptions: { show: { region: [CUSTOM] } },
    },
    {
      displayName: 'Login URL',
      name: 'loginUrl',
      type: 'string',
      default: '',
      placeholder: 'https://login.mypurecloud.com',
      description: 'The login service base URL (https; plain http only to localhost)',
      required: true,
      displayOptions: { show: { region: [CUSTOM] } },
    },
    {
      displayName: 'Client ID',
      name: 'clientId',
      type: 'string',
      default: '',
      required: true,
      description: 'The ID of an OAuth client with the Client Credentials grant',
    },
    {
      displayName: 'Client Secret',
      name: 'clientSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
    },
    {
      displayName: 'Access Token',
      name: 'accessToken',
      type: 'hidden',
      typeOptions: { expirable: true, password: true },
      default: '',
    },
  ];

  async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
    const { loginUrl } = genesysHostsOf(credentials);
    const send = plainSend((options) => this.helpers.httpRequest(options));
    const tokens = await send(
      buildTokenRequest({
        loginUrl,
        clientId: String(credentials.clientId ?? ''),
        clientSecret: String(credentials.clientSecret ?? ''),
      }),
      readTokenResponse,
    );
    return { accessToken: tokens.accessToken };
  }

  authenticate = async (
    credentials: ICredentialDataDecryptedObject,
    requestOptions: IHttpRequestOptions,
  ): Promise<IHttpRequestOptions> =>
    authenticateTo('genesys', genesysHostsOf(credentials).apiUrl, requestOptions, {
      Authorization: `Bearer ${String(credentials.accessToken ?? '')}`,
    });

  test: ICredentialTestRequest = {
    request: { method: 'GET', url: '/api/v2/tokens/me' },
  };
}
