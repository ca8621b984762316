import {
  buildGetCustomerRequest,
  buildGetFieldDefinitionsRequest,
  buildPutCustomFieldsRequest,
  buildSearchCustomersRequest,
  type CustomerIdentity,
  type CxoneApiTarget,
  type CxoneCustomer,
  type CxoneCustomFieldValue,
  type CxoneFieldDefinition,
  type CxoneIdentityMatch,
  type CxoneTargetClient,
  pickCustomerByIdentity,
  readCustomer,
  readCustomerSearch,
  readFieldDefinitions,
  readPutCustomFields,
} from '@cx-profile-sync/core/pure';
import { CREDENTIAL_HOST } from './http';
import { callWithCredential, type RequestContext, sendWithCredential } from './transport';

export const CXONE_CREDENTIAL = 'niceCxoneApi';

/** Search pages read at most while looking for one identity (as the core's client). */
const MAX_SEARCH_PAGES = 5;
const SEARCH_PAGE_SIZE = 25;

/**
 * NICE CXone Digital (DFO) customers through the "NICE CXone API" credential, which logs in and
 * supplies the tenant's DFO host and the token. The same calls serve the CXone node and, as the
 * core's `CxoneTarget` client, the Profile Sync node. Definitions are read once per node run.
 */
export class N8nCxoneClient implements CxoneTargetClient {
  private definitions?: Promise<CxoneFieldDefinition[]>;
  private readonly target: CxoneApiTarget = { dfoUrl: CREDENTIAL_HOST, accessToken: '' };

  constructor(private readonly ctx: RequestContext) {}

  fieldDefinitions(): Promise<CxoneFieldDefinition[]> {
    this.definitions ??= callWithCredential(
      this.ctx,
      CXONE_CREDENTIAL,
      buildGetFieldDefinitionsRequest(this.target),
      readFieldDefinitions,
    ).catch((e) => {
      this.definitions = undefined;
      throw e;
    });
    return this.definitions;
  }

  /** The customer, or undefined when CXone has none with that id. */
  async getCustomer(customerId: string): Promise<CxoneCustomer | undefined> {
    const request = buildGetCustomerRequest({ ...this.target, customerId });
    const response = await sendWithCredential(this.ctx, CXONE_CREDENTIAL, request);
    return response.status === 404 ? undefined : readCustomer(request, response);
  }

  /** Finds the customer by phone (E.164), then by e-mail, through customer search. */
  async findCustomer(identity: CustomerIdentity): Promise<CxoneIdentityMatch | undefined> {
    for (const query of [identity.phone, identity.email]) {
      if (!query) continue;
      let scrollToken: string | undefined;
      for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
        const result = await callWithCredential(
          this.ctx,
          CXONE_CREDENTIAL,
          buildSearchCustomersRequest({
            ...this.target,
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

  async putCustomFields(customerId: string, fields: CxoneCustomFieldValue[]): Promise<void> {
    await callWithCredential(
      this.ctx,
      CXONE_CREDENTIAL,
      buildPutCustomFieldsRequest({ ...this.target, customerId, fields }),
      readPutCustomFields,
    );
  }
}
