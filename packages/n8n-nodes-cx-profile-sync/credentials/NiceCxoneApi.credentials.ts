import { cxoneLogin, KNOWN_CXONE_ISSUERS } from '@cx-profile-sync/core/pure';
import type {
  ICredentialDataDecryptedObject,
  ICredentialTestRequest,
  ICredentialType,
  Icon,
  IHttpRequestHelper,
  IHttpRequestOptions,
  INodeProperties,
} from 'n8n-workflow';
import { authenticateTo, CUSTOM, cxoneConfigOf, cxoneDfoUrlOf } from '../shared/hosts';
import { plainSend } from '../transport';

/**
 * NICE CXone (CXone Mpower) with an access key: OpenID discovery at the issuer, the password grant
 * (the registered app in HTTP Basic, the access key as username and password), the tenant from the
 * verified id_token, and the tenant's Digital (DFO) host from its cxone-configuration. All of it runs
 * in `preAuthentication`, which stores the token (hidden, expirable) and the discovered hosts.
 */
export class NiceCxoneApi implements ICredentialType {
  name = 'niceCxoneApi';

  displayName = 'NICE CXone API';

  icon: Icon = { light: 'file:../icons/cxone.svg', dark: 'file:../icons/cxone.dark.svg' };

  documentationUrl = 'https://github.com/cx-profile-sync/cx-profile-sync#n8n-community-node';

  properties: INodeProperties[] = [
    {
      displayName: 'Issuer',
      name: 'issuer',
      type: 'options',
      options: [
        ...KNOWN_CXONE_ISSUERS.map((i) => ({ name: `${i.description} (${i.issuer})`, value: i.issuer })),
        { name: 'Custom Issuer URL', value: CUSTOM },
      ],
      default: KNOWN_CXONE_ISSUERS[0]!.issuer,
      description: 'The CXone login (OpenID) issuer of your tenant',
    },
    {
      displayName: 'Issuer URL',
      name: 'customIssuer',
      type: 'string',
      default: '',
      placeholder: 'https://cxone.niceincontact.com',
      description: 'The issuer base URL (https; plain http only to localhost)',
      required: true,
      displayOptions: { show: { issuer: [CUSTOM] } },
    },
    {
      displayName: 'App Client ID',
      name: 'clientId',
      type: 'string',
      default: '',
      required: true,
      description: 'The client ID of the app registered for your tenant',
    },
    {
      displayName: 'App Client Secret',
      name: 'clientSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
    },
    {
      displayName: 'Access Key ID',
      name: 'accessKeyId',
      type: 'string',
      default: '',
      required: true,
      description: 'The access key of a CXone user (it decides the tenant and the permissions)',
    },
    {
      displayName: 'Access Key Secret',
      name: 'accessKeySecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
    },
    {
      displayName: 'API Host (Override)',
      name: 'apiUrl',
      type: 'string',
      default: '',
      placeholder: 'https://api-na1.niceincontact.com',
      description:
        "Leave empty to discover the tenant's API host; set it (with the DFO host) for a private cloud or an emulator",
    },
    {
      displayName: 'DFO Host (Override)',
      name: 'dfoUrl',
      type: 'string',
      default: '',
      placeholder: 'https://api-de-na1.niceincontact.com',
      description:
        "Leave empty to discover the tenant's Digital (DFO) host, where these nodes read and write customers",
    },
    {
      displayName: 'Access Token',
      name: 'accessToken',
      type: 'hidden',
      typeOptions: { expirable: true, password: true },
      default: '',
    },
    { displayName: 'Discovered API Host', name: 'discoveredApiUrl', type: 'hidden', default: '' },
    { displayName: 'Discovered DFO Host', name: 'discoveredDfoUrl', type: 'hidden', default: '' },
    { displayName: 'Tenant ID', name: 'tenantId', type: 'hidden', default: '' },
  ];

  /** The core's CXone login, over n8n's request helper; n8n stores what it returns in the hidden fields. */
  async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
    const login = await cxoneLogin(
      plainSend((options) => this.helpers.httpRequest(options)),
      cxoneConfigOf(credentials),
    );
    return {
      accessToken: login.accessToken,
      discoveredApiUrl: login.hosts.apiUrl,
      discoveredDfoUrl: login.hosts.dfoUrl,
      tenantId: login.tenant?.tenantId ?? '',
    };
  }

  authenticate = async (
    credentials: ICredentialDataDecryptedObject,
    requestOptions: IHttpRequestOptions,
  ): Promise<IHttpRequestOptions> =>
    authenticateTo('cxone', cxoneDfoUrlOf(credentials), requestOptions, {
      Authorization: `Bearer ${String(credentials.accessToken ?? '')}`,
    });

  test: ICredentialTestRequest = {
    request: { method: 'GET', url: '/dfo/3.0/customers/custom-field-definitions' },
  };
}
