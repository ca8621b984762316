/**
 * NICE CXone's flows of several requests, written once over an injected `send` (see flow/send.ts):
 * the login with tenant and host discovery, and finding a customer by identity with search paging.
 * The core's `CxoneClient` drives them over axios, the n8n credential and nodes over n8n's helpers.
 */

import { NotFoundError } from '../../errors/errors.js';
import type { PlainSend, Send } from '../../flow/send.js';
import type { CustomerIdentity } from '../../sources/types.js';
import {
  buildCxoneConfigurationRequest,
  buildCxoneTokenRequest,
  buildDiscoveryRequest,
  buildJwksRequest,
  type CxoneDfoSource,
  type CxoneDiscovery,
  type CxoneTenant,
  readCxoneConfiguration,
  readCxoneTokenResponse,
  readDiscovery,
  readJwks,
  tenantFromIdToken,
} from './auth.js';
import type { CxoneConfig } from './config.js';
import { type CxoneIdentityMatch, cxoneSearchQuery, pickCustomerByIdentity } from './identity.js';
import {
  buildDeleteCustomFieldRequest,
  buildGetCustomerRequest,
  buildGetFieldDefinitionsRequest,
  buildPutCustomFieldsRequest,
  buildSearchCustomersRequest,
  type CxoneApiTarget,
  readCustomer,
  readCustomerSearch,
  readDeleteCustomField,
  readFieldDefinitions,
  readPutCustomFields,
} from './requests.js';
import type { CxoneCustomer, CxoneCustomFieldValue, CxoneFieldDefinition } from './types.js';

/** Search pages read at most while looking for one identity (a phone or address matches few). */
export const MAX_SEARCH_PAGES = 5;
export const SEARCH_PAGE_SIZE = 25;

/** The tenant's API and Digital (DFO) hosts, and how the Digital one was chosen. */
export interface CxoneHostPair {
  apiUrl: string;
  dfoUrl: string;
  dfoSource?: CxoneDfoSource;
}

export interface CxoneLogin {
  discovery: CxoneDiscovery;
  accessToken: string;
  expiresInSeconds: number;
  hosts: CxoneHostPair;
  /** The tenant, from the verified id_token (absent when the hosts were already known). */
  tenant?: CxoneTenant;
}

/** The OpenID discovery document of the issuer (token endpoint, JWKS). */
export function cxoneDiscovery(send: PlainSend, issuer: string): Promise<CxoneDiscovery> {
  return send(buildDiscoveryRequest(issuer), readDiscovery);
}

/**
 * Logs in: discovery → the password grant with the access key → the tenant from the verified
 * id_token → the tenant's hosts (unless both are overridden). What an earlier login found (`known`)
 * is not asked again: the token is the only thing a later login needs.
 */
export async function cxoneLogin(
  send: PlainSend,
  config: CxoneConfig,
  known: { discovery?: CxoneDiscovery; hosts?: CxoneHostPair } = {},
): Promise<CxoneLogin> {
  const discovery = known.discovery ?? (await cxoneDiscovery(send, config.issuer));
  const tokens = await send(
    buildCxoneTokenRequest({
      tokenEndpoint: discovery.tokenEndpoint,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
    }),
    readCxoneTokenResponse,
  );
  const login = { discovery, accessToken: tokens.accessToken, expiresInSeconds: tokens.expiresInSeconds };
  if (known.hosts) return { ...login, hosts: known.hosts };
  const jwks = await send(buildJwksRequest(discovery.jwksUri), readJwks);
  const tenant = await tenantFromIdToken(tokens.idToken, jwks, discovery.issuer);
  if (config.apiUrl && config.dfoUrl)
    return {
      ...login,
      tenant,
      hosts: { apiUrl: config.apiUrl, dfoUrl: config.dfoUrl, dfoSource: 'override' },
    };
  const found = await send(
    buildCxoneConfigurationRequest(config.issuer, tenant.tenantId),
    readCxoneConfiguration,
  );
  return {
    ...login,
    tenant,
    hosts: {
      apiUrl: config.apiUrl ?? found.apiUrl,
      dfoUrl: config.dfoUrl ?? found.dfoUrl,
      dfoSource: config.dfoUrl ? 'override' : found.dfoSource,
    },
  };
}

/** The customer, or undefined when CXone has none with that id. */
export async function getCxoneCustomer(
  send: Send<CxoneApiTarget>,
  customerId: string,
): Promise<CxoneCustomer | undefined> {
  try {
    return await send((t) => buildGetCustomerRequest({ ...t, customerId }), readCustomer);
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

/** How the Digital customer calls search (see config.ts: CXONE_SEARCH_QUERY). */
export interface CxoneApiOptions {
  /** The search `query` for one identity value, `{value}` its placeholder. */
  searchQuery?: string;
}

/**
 * Finds the customer by phone (E.164), then by e-mail, through customer search with the query
 * template (`cxoneSearchQuery`), following the scroll token for a few pages; every hit's identities
 * are checked again exactly, whatever the search matched.
 */
export async function findCxoneCustomer(
  send: Send<CxoneApiTarget>,
  identity: CustomerIdentity,
  options: CxoneApiOptions = {},
): Promise<CxoneIdentityMatch | undefined> {
  for (const value of [identity.phone, identity.email]) {
    if (!value) continue;
    const query = cxoneSearchQuery(value, options.searchQuery);
    let scrollToken: string | undefined;
    for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
      const result = await send(
        (t) =>
          buildSearchCustomersRequest({
            ...t,
            query,
            size: SEARCH_PAGE_SIZE,
            ...(scrollToken ? { scrollToken } : {}),
          }),
        readCustomerSearch,
      );
      const match = pickCustomerByIdentity(result, identity);
      if (match) return match;
      scrollToken = result.scrollToken;
      if (!scrollToken) break;
    }
  }
  return undefined;
}

/**
 * The Digital customer calls over one `send`: what the CXone target, the CXone node and `check` use.
 * The tenant's custom-field definitions are read once per instance.
 */
export class CxoneApi {
  private definitions?: Promise<CxoneFieldDefinition[]>;

  constructor(
    readonly send: Send<CxoneApiTarget>,
    readonly options: CxoneApiOptions = {},
  ) {}

  fieldDefinitions(): Promise<CxoneFieldDefinition[]> {
    this.definitions ??= this.send(buildGetFieldDefinitionsRequest, readFieldDefinitions).catch((e) => {
      this.definitions = undefined;
      throw e;
    });
    return this.definitions;
  }

  getCustomer(customerId: string): Promise<CxoneCustomer | undefined> {
    return getCxoneCustomer(this.send, customerId);
  }

  findCustomer(identity: CustomerIdentity): Promise<CxoneIdentityMatch | undefined> {
    return findCxoneCustomer(this.send, identity, this.options);
  }

  async putCustomFields(customerId: string, fields: CxoneCustomFieldValue[]): Promise<void> {
    await this.send((t) => buildPutCustomFieldsRequest({ ...t, customerId, fields }), readPutCustomFields);
  }

  /** Removes one custom field's value from a customer (a data-protection request, a wrong value). */
  async clearCustomField(customerId: string, ident: string): Promise<void> {
    await this.send((t) => buildDeleteCustomFieldRequest({ ...t, customerId, ident }), readDeleteCustomField);
  }
}
