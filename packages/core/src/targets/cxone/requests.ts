import { isObject, readEmpty, readJson } from '../../http/read.js';
import { type HttpMethod, type HttpRequest, type HttpResponse, joinUrl, jsonBody } from '../../http/types.js';
import type { CxoneCustomer, CxoneCustomFieldValue, CxoneFieldDefinition } from './types.js';

/**
 * The Digital (DFO 3.0) customer calls, as plain requests and answers (no I/O). A 400 from the PUT
 * becomes a ValidationError whose `fields` lists each refused ident (see errors/classify.ts).
 */

const DFO = '/dfo/3.0';

/** Where and as whom: the DFO host from `readCxoneConfiguration` and an access token. */
export interface CxoneApiTarget {
  dfoUrl: string;
  accessToken: string;
}

export interface CxoneCustomerSearch {
  /** How many customers match in all (not only on this page). */
  hits: number;
  customers: CxoneCustomer[];
  /** Pass back to get the next page; absent on the last page. */
  scrollToken?: string;
}

function dfoRequest(
  target: CxoneApiTarget,
  method: HttpMethod,
  path: string,
  operation: string,
  extra: { query?: Record<string, string | number | undefined>; body?: unknown } = {},
): HttpRequest {
  const body = extra.body !== undefined ? jsonBody(extra.body) : undefined;
  return {
    method,
    url: joinUrl(target.dfoUrl, `${DFO}${path}`, extra.query),
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${target.accessToken}`,
      ...(body ? body.headers : {}),
    },
    ...(body ? { body: body.body } : {}),
    // GET reads; PUT sets the same values again; DELETE clears the same field again.
    idempotent: true,
    platform: 'cxone',
    operation,
  };
}

const segment = (s: string) => encodeURIComponent(s);

// ---- definitions ----

export function buildGetFieldDefinitionsRequest(target: CxoneApiTarget): HttpRequest {
  return dfoRequest(target, 'GET', '/customers/custom-field-definitions', 'get custom-field definitions');
}

export function readFieldDefinitions(request: HttpRequest, response: HttpResponse): CxoneFieldDefinition[] {
  const body = readJson<unknown[]>(request, response, (b) => {
    if (!Array.isArray(b)) return 'the definitions are not an array';
    // Only the ident is needed to read a definition: a type not known yet (or none) is kept, and the
    // conversion skips that field's attributes with a reason instead of failing the whole target.
    for (const [i, d] of b.entries()) {
      if (!isObject(d) || typeof d.ident !== 'string') return `definition ${i} has no ident`;
    }
    return undefined;
  });
  return (body as Record<string, unknown>[]).map((d) => {
    // list and tree values: a null or missing value is no choice; a tree value names its parent.
    const values = Array.isArray(d.values)
      ? (d.values as unknown[])
          .filter((v): v is Record<string, unknown> => isObject(v) && typeof v.value === 'string')
          .map((v) => ({
            name: typeof v.name === 'string' ? v.name : (v.value as string),
            value: v.value as string,
            ...((typeof v.parentId === 'string' && v.parentId !== '') || typeof v.parentId === 'number'
              ? { parentId: String(v.parentId) }
              : {}),
          }))
      : undefined;
    return {
      ident: d.ident as string,
      label: typeof d.label === 'string' ? d.label : (d.ident as string),
      type: typeof d.type === 'string' ? d.type : String(d.type ?? '(none)'),
      isRequired: d.isRequired === true || d.required === true,
      // Editable unless the platform says otherwise.
      isEditable: d.isEditable !== false,
      ...(values ? { values } : {}),
    };
  });
}

// ---- customers ----

export function buildSearchCustomersRequest(
  params: CxoneApiTarget & { query: string; size?: number; scrollToken?: string },
): HttpRequest {
  return dfoRequest(params, 'GET', '/customers', 'customer search', {
    // With a scrollToken the server knows the query and size already; sending them again is harmless.
    query: { query: params.query, size: params.size, scrollToken: params.scrollToken },
  });
}

export function readCustomerSearch(request: HttpRequest, response: HttpResponse): CxoneCustomerSearch {
  const body = readJson<Record<string, unknown>>(request, response, (b) => {
    if (!isObject(b)) return 'the search answer is not an object';
    if (!Array.isArray(b.data)) return 'the search answer has no data array';
    for (const [i, c] of (b.data as unknown[]).entries()) {
      const problem = customerProblem(c);
      if (problem) return `customer ${i}: ${problem}`;
    }
    return undefined;
  });
  const customers = (body.data as Record<string, unknown>[]).map(toCustomer);
  return {
    hits: typeof body.hits === 'number' ? body.hits : customers.length,
    customers,
    ...(typeof body.scrollToken === 'string' && body.scrollToken !== ''
      ? { scrollToken: body.scrollToken }
      : {}),
  };
}

export function buildGetCustomerRequest(params: CxoneApiTarget & { customerId: string }): HttpRequest {
  return dfoRequest(params, 'GET', `/customers/${segment(params.customerId)}`, 'get customer');
}

export function readCustomer(request: HttpRequest, response: HttpResponse): CxoneCustomer {
  return toCustomer(readJson<Record<string, unknown>>(request, response, customerProblem));
}

/** Sets (merges) the given custom fields of one customer; CXone refuses the whole request on any bad entry. */
export function buildPutCustomFieldsRequest(
  params: CxoneApiTarget & { customerId: string; fields: CxoneCustomFieldValue[] },
): HttpRequest {
  return dfoRequest(
    params,
    'PUT',
    `/customers/${segment(params.customerId)}/custom-fields`,
    'update customer custom fields',
    {
      body: params.fields.map((f) => ({ ident: f.ident, value: f.value })),
    },
  );
}

/** Only the status matters: the body of the answer is not documented. */
export function readPutCustomFields(request: HttpRequest, response: HttpResponse): void {
  readEmpty(request, response);
}

export function buildDeleteCustomFieldRequest(
  params: CxoneApiTarget & { customerId: string; ident: string },
): HttpRequest {
  return dfoRequest(
    params,
    'DELETE',
    `/customers/${segment(params.customerId)}/custom-fields/${segment(params.ident)}`,
    'clear customer custom field',
  );
}

export function readDeleteCustomField(request: HttpRequest, response: HttpResponse): void {
  readEmpty(request, response);
}

function customerProblem(c: unknown): string | undefined {
  if (!isObject(c)) return 'the customer is not an object';
  if (typeof c.id !== 'string' || c.id === '') return 'the customer has no id';
  if (c.customFields !== undefined && !Array.isArray(c.customFields)) return 'customFields is not an array';
  if (c.identities !== undefined && !Array.isArray(c.identities)) return 'identities is not an array';
  return undefined;
}

const optionalString = <K extends string>(key: K, v: unknown): { [P in K]?: string } =>
  (typeof v === 'string' ? { [key]: v } : {}) as { [P in K]?: string };

function toCustomer(c: Record<string, unknown>): CxoneCustomer {
  const customFields = ((c.customFields as unknown[] | undefined) ?? [])
    .filter((f): f is Record<string, unknown> => isObject(f) && typeof f.ident === 'string')
    .map((f) => ({
      ident: f.ident as string,
      // CXone values are strings; a missing one reads as empty.
      value: typeof f.value === 'string' ? f.value : f.value == null ? '' : String(f.value),
      ...optionalString('updatedAt', f.updatedAt),
    }));
  const identities = ((c.identities as unknown[] | undefined) ?? [])
    .filter((i): i is Record<string, unknown> => isObject(i) && typeof i.idOnExternalPlatform === 'string')
    .map((i) => ({
      idOnExternalPlatform: i.idOnExternalPlatform as string,
      ...optionalString('firstName', i.firstName),
      ...optionalString('lastName', i.lastName),
    }));
  return {
    id: c.id as string,
    ...optionalString('firstName', c.firstName),
    ...optionalString('surname', c.surname),
    ...optionalString('fullName', c.fullName),
    customFields,
    identities,
    ...optionalString('updatedAt', c.updatedAt),
  };
}
