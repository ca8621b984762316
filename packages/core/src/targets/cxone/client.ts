import type { CxoneConfig } from '../../config.js';
import { NotFoundError } from '../../errors/errors.js';
import { type Authenticator, call } from '../../http/execute.js';
import type { HttpRequest, HttpResponse } from '../../http/types.js';
import type { Runtime } from '../../runtime.js';
import type { CustomerIdentity } from '../../sources/types.js';
import {
  buildCxoneConfigurationRequest,
  buildCxoneTokenRequest,
  buildDiscoveryRequest,
  buildJwksRequest,
  type CxoneDiscovery,
  type CxoneTenant,
  readCxoneConfiguration,
  readCxoneTokenResponse,
  readDiscovery,
  readJwks,
  tenantFromIdToken,
} from './auth.js';
import { type CxoneIdentityMatch, pickCustomerByIdentity } from './identity.js';
import {
  buildGetCustomerRequest,
  buildGetFieldDefinitionsRequest,
  buildPutCustomFieldsRequest,
  buildSearchCustomersRequest,
  readCustomer,
  readCustomerSearch,
  readFieldDefinitions,
  readPutCustomFields,
} from './requests.js';
import type { CxoneCustomer, CxoneCustomFieldValue, CxoneFieldDefinition } from './types.js';

/** Search pages read at most while looking for one identity (a phone or address matches few). */
const MAX_SEARCH_PAGES = 5;

/**
 * NICE CXone over HTTP: logs in (discovery, password grant, tenant from the verified id_token, host
 * discovery), then reads and writes Digital customers. Tokens come from the runtime's cache; reads
 * and writes pass the tenant's client-side limiters.
 */
export class CxoneClient {
  private discovery?: Promise<CxoneDiscovery>;
  private hosts?: { apiUrl: string; dfoUrl: string };
  private tenant?: CxoneTenant;
  private definitions?: Promise<CxoneFieldDefinition[]>;
  private readonly tokenKey: string;
  readonly auth: Authenticator;

  constructor(
    private readonly config: CxoneConfig,
    private readonly runtime: Runtime,
  ) {
    this.tokenKey = `cxone:${config.issuer}:${config.accessKeyId}`;
    this.auth = {
      refreshable: true,
      token: () => runtime.tokens.get(this.tokenKey, () => this.login()),
      invalidate: (t) => runtime.tokens.invalidate(this.tokenKey, t),
    };
  }

  private send<T>(build: () => HttpRequest, read: (q: HttpRequest, r: HttpResponse) => T): Promise<T> {
    return call(this.runtime, { build, read });
  }

  private getDiscovery(): Promise<CxoneDiscovery> {
    this.discovery ??= this.send(() => buildDiscoveryRequest(this.config.issuer), readDiscovery).catch(
      (e) => {
        this.discovery = undefined;
        throw e;
      },
    );
    return this.discovery;
  }

  /** Password grant; the first time also finds the tenant and its hosts. */
  private async login(): Promise<{ accessToken: string; expiresInSeconds: number }> {
    const discovery = await this.getDiscovery();
    const c = this.config;
    const tokens = await this.send(
      () =>
        buildCxoneTokenRequest({
          tokenEndpoint: discovery.tokenEndpoint,
          clientId: c.clientId,
          clientSecret: c.clientSecret,
          accessKeyId: c.accessKeyId,
          accessKeySecret: c.accessKeySecret,
        }),
      readCxoneTokenResponse,
    );
    if (!this.hosts) {
      const jwks = await this.send(() => buildJwksRequest(discovery.jwksUri), readJwks);
      this.tenant = await tenantFromIdToken(tokens.idToken, jwks, discovery.issuer);
      const tenantId = this.tenant.tenantId;
      if (c.apiUrl && c.dfoUrl) {
        this.hosts = { apiUrl: c.apiUrl, dfoUrl: c.dfoUrl };
      } else {
        const found = await this.send(
          () => buildCxoneConfigurationRequest(c.issuer, tenantId),
          readCxoneConfiguration,
        );
        this.hosts = { apiUrl: c.apiUrl ?? found.apiUrl, dfoUrl: c.dfoUrl ?? found.dfoUrl };
      }
    }
    return { accessToken: tokens.accessToken, expiresInSeconds: tokens.expiresInSeconds };
  }

  /** Logs in if needed; returns the tenant and hosts (for `check`). */
  async connect(): Promise<{ tenant?: CxoneTenant; apiUrl: string; dfoUrl: string }> {
    await this.auth.token(this.runtime.signal);
    return { ...(this.tenant ? { tenant: this.tenant } : {}), ...this.hosts! };
  }

  private async dfo<T>(
    kind: 'read' | 'write',
    build: (target: { dfoUrl: string; accessToken: string }) => HttpRequest,
    read: (q: HttpRequest, r: HttpResponse) => T,
  ): Promise<T> {
    await this.auth.token(this.runtime.signal);
    const limitName = kind === 'read' ? 'cxoneReads' : 'cxoneWrites';
    const limiter = this.runtime.limiters.get(
      `${limitName}:${this.tokenKey}`,
      this.runtime.limits[limitName],
    );
    return call(this.runtime, {
      auth: this.auth,
      limiters: [limiter],
      build: (token) => build({ dfoUrl: this.hosts!.dfoUrl, accessToken: token! }),
      read,
    });
  }

  /** The tenant's custom-field definitions, read once per client. */
  fieldDefinitions(): Promise<CxoneFieldDefinition[]> {
    this.definitions ??= this.dfo(
      'read',
      (t) => buildGetFieldDefinitionsRequest(t),
      readFieldDefinitions,
    ).catch((e) => {
      this.definitions = undefined;
      throw e;
    });
    return this.definitions;
  }

  /** The customer, or undefined when CXone has none with that id. */
  async getCustomer(customerId: string): Promise<CxoneCustomer | undefined> {
    try {
      return await this.dfo('read', (t) => buildGetCustomerRequest({ ...t, customerId }), readCustomer);
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  /** Finds the customer by phone (E.164), then by e-mail, through customer search. */
  async findCustomer(identity: CustomerIdentity): Promise<CxoneIdentityMatch | undefined> {
    for (const query of [identity.phone, identity.email]) {
      if (!query) continue;
      let scrollToken: string | undefined;
      for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
        const result = await this.dfo(
          'read',
          (t) =>
            buildSearchCustomersRequest({ ...t, query, size: 25, ...(scrollToken ? { scrollToken } : {}) }),
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

  async putCustomFields(customerId: string, fields: CxoneCustomFieldValue[]): Promise<void> {
    await this.dfo(
      'write',
      (t) => buildPutCustomFieldsRequest({ ...t, customerId, fields }),
      readPutCustomFields,
    );
  }
}
