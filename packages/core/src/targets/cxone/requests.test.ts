import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  NotFoundError,
  RateLimitedError,
  UpstreamError,
  ValidationError,
} from '../../errors/errors.js';
import type { HttpResponse } from '../../http/types.js';
import {
  buildDeleteCustomFieldRequest,
  buildGetCustomerRequest,
  buildGetFieldDefinitionsRequest,
  buildPutCustomFieldsRequest,
  buildSearchCustomersRequest,
  readCustomer,
  readCustomerSearch,
  readDeleteCustomField,
  readFieldDefinitions,
  readPutCustomFields,
} from './requests.js';

const target = { dfoUrl: 'https://api-de-na1.niceincontact.com', accessToken: 'secret-token-123' };
const DFO = `${target.dfoUrl}/dfo/3.0`;

function answer(status: number, body: unknown = '', headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

function catchError(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

const customer = {
  id: 'c1',
  firstName: 'Ada',
  surname: 'Lovelace',
  fullName: 'Ada Lovelace',
  customFields: [{ ident: 'loyalty_tier', value: 'gold', updatedAt: '2026-01-01T00:00:00Z' }],
  identities: [{ idOnExternalPlatform: '+447900000001', firstName: 'Ada', lastName: 'Lovelace' }],
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('requests', () => {
  it('are DFO 3.0 calls with a bearer token, idempotent, each with its own operation name', () => {
    const requests = [
      buildGetFieldDefinitionsRequest(target),
      buildSearchCustomersRequest({ ...target, query: 'a' }),
      buildGetCustomerRequest({ ...target, customerId: 'c1' }),
      buildPutCustomFieldsRequest({ ...target, customerId: 'c1', fields: [] }),
      buildDeleteCustomFieldRequest({ ...target, customerId: 'c1', ident: 'x' }),
    ];
    for (const r of requests) {
      expect(r.url.startsWith(`${DFO}/customers`)).toBe(true);
      expect(r.headers.authorization).toBe('Bearer secret-token-123');
      expect(r).toMatchObject({ platform: 'cxone', idempotent: true });
    }
    expect(new Set(requests.map((r) => r.operation)).size).toBe(requests.length);
    expect(requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'PUT', 'DELETE']);
  });

  it('keeps a path prefix of the DFO URL', () => {
    const r = buildGetFieldDefinitionsRequest({ ...target, dfoUrl: 'http://127.0.0.1:4001/proxy/' });
    expect(r.url).toBe('http://127.0.0.1:4001/proxy/dfo/3.0/customers/custom-field-definitions');
  });

  it('encodes the search query (a "+" of a phone number stays a "+")', () => {
    const r = buildSearchCustomersRequest({ ...target, query: '+447900000001', size: 50 });
    expect(r.url).toBe(`${DFO}/customers?query=%2B447900000001&size=50`);
    expect(new URL(r.url).searchParams.get('query')).toBe('+447900000001');
    const next = buildSearchCustomersRequest({ ...target, query: 'a@b.example', scrollToken: 'tok/+=' });
    expect(new URL(next.url).searchParams.get('scrollToken')).toBe('tok/+=');
    expect(new URL(next.url).searchParams.has('size')).toBe(false);
  });

  it('encodes customer ids and idents as one path segment', () => {
    const r = buildGetCustomerRequest({ ...target, customerId: 'a/../b?x' });
    expect(r.url).toBe(`${DFO}/customers/a%2F..%2Fb%3Fx`);
    const d = buildDeleteCustomFieldRequest({ ...target, customerId: 'c1', ident: 'a b/c' });
    expect(d.url).toBe(`${DFO}/customers/c1/custom-fields/a%20b%2Fc`);
  });

  it('PUTs a bare JSON array of {ident, value}', () => {
    const fields = [
      { ident: 'loyalty_tier', value: 'gold' },
      { ident: '__proto__', value: 'x' },
    ];
    const r = buildPutCustomFieldsRequest({ ...target, customerId: 'c1', fields });
    expect(r.url).toBe(`${DFO}/customers/c1/custom-fields`);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body!)).toEqual(fields);
    expect(r.body).toBe('[{"ident":"loyalty_tier","value":"gold"},{"ident":"__proto__","value":"x"}]');
  });
});

describe('readFieldDefinitions', () => {
  const r = buildGetFieldDefinitionsRequest(target);

  it('reads and completes the definitions', () => {
    const defs = readFieldDefinitions(
      r,
      answer(200, [
        {
          ident: 'tier',
          label: 'Tier',
          type: 'list',
          isRequired: false,
          isEditable: true,
          values: [{ name: 'Gold', value: 'gold' }],
        },
        { ident: 'mail', type: 'email' },
        { ident: 'ro', label: 'RO', type: 'text', isRequired: true, isEditable: false },
      ]),
    );
    expect(defs).toEqual([
      {
        ident: 'tier',
        label: 'Tier',
        type: 'list',
        isRequired: false,
        isEditable: true,
        values: [{ name: 'Gold', value: 'gold' }],
      },
      { ident: 'mail', label: 'mail', type: 'email', isRequired: false, isEditable: true },
      { ident: 'ro', label: 'RO', type: 'text', isRequired: true, isEditable: false },
    ]);
  });

  it('reads a tree (values with parentId, a null value left out) and `required` for `isRequired`', () => {
    const defs = readFieldDefinitions(
      r,
      answer(200, [
        {
          ident: 'region',
          type: 'tree',
          required: true,
          values: [
            { name: 'Europe', value: 'eu', parentId: null },
            { name: 'France', value: 'eu-fr', parentId: 'eu' },
            { name: 'Paris', value: 'eu-fr-par', parentId: 7 },
            { name: 'Nothing', value: null },
          ],
        },
      ]),
    );
    expect(defs).toEqual([
      {
        ident: 'region',
        label: 'region',
        type: 'tree',
        isRequired: true,
        isEditable: true,
        values: [
          { name: 'Europe', value: 'eu' },
          { name: 'France', value: 'eu-fr', parentId: 'eu' },
          { name: 'Paris', value: 'eu-fr-par', parentId: '7' },
        ],
      },
    ]);
  });

  it('keeps a definition of a type not known yet (the conversion skips it), and one without a type', () => {
    const defs = readFieldDefinitions(r, answer(200, [{ ident: 'n', type: 'number' }, { ident: 'x' }]));
    expect(defs.map((d) => [d.ident, d.type])).toEqual([
      ['n', 'number'],
      ['x', '(none)'],
    ]);
  });

  it('refuses an answer that is not an array, or a definition without ident', () => {
    expect(catchError(() => readFieldDefinitions(r, answer(200, { items: [] })))).toBeInstanceOf(
      UpstreamError,
    );
    const e = catchError(() => readFieldDefinitions(r, answer(200, [{ type: 'text' }])));
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e.message).toContain('definition 0 has no ident');
    expect(catchError(() => readFieldDefinitions(r, answer(200, '{')))).toBeInstanceOf(UpstreamError);
  });
});

describe('readCustomerSearch and readCustomer', () => {
  it('reads hits, customers and the scroll token', () => {
    const r = buildSearchCustomersRequest({ ...target, query: 'Ada' });
    const s = readCustomerSearch(r, answer(200, { hits: 30, data: [customer], scrollToken: 'next' }));
    expect(s).toEqual({ hits: 30, customers: [customer], scrollToken: 'next' });
    const last = readCustomerSearch(r, answer(200, { hits: 1, data: [{ id: 'c2' }] }));
    expect(last).toEqual({ hits: 1, customers: [{ id: 'c2', customFields: [], identities: [] }] });
  });

  it('refuses a search answer without data or with a customer without id', () => {
    const r = buildSearchCustomersRequest({ ...target, query: 'Ada' });
    expect(catchError(() => readCustomerSearch(r, answer(200, { hits: 0 })))).toBeInstanceOf(UpstreamError);
    expect(
      catchError(() => readCustomerSearch(r, answer(200, { data: [{ firstName: 'x' }] }))),
    ).toBeInstanceOf(UpstreamError);
  });

  it('reads a customer card', () => {
    const r = buildGetCustomerRequest({ ...target, customerId: 'c1' });
    expect(readCustomer(r, answer(200, customer))).toEqual(customer);
  });

  it('turns 404 into NotFoundError and 401 into AuthenticationError, never showing the token', () => {
    const r = buildGetCustomerRequest({ ...target, customerId: 'nope' });
    const notFound = catchError(() =>
      readCustomer(
        r,
        answer(
          404,
          { errors: [{ message: 'Customer nope not found', errorCode: 'CustomerNotFound' }] },
          { correlationid: 'cid-1' },
        ),
      ),
    );
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound).toMatchObject({ correlationId: 'cid-1', code: 'CustomerNotFound', status: 404 });
    const auth = catchError(() =>
      readCustomer(r, answer(401, { errors: [{ message: 'expired', errorCode: 'Unauthorized' }] })),
    );
    expect(auth).toBeInstanceOf(AuthenticationError);
    for (const e of [notFound, auth]) expect(e.message).not.toContain(target.accessToken);
  });
});

describe('readPutCustomFields and readDeleteCustomField', () => {
  const put = buildPutCustomFieldsRequest({
    ...target,
    customerId: 'c1',
    fields: [{ ident: 'loyalty_tier', value: 'Gold' }],
  });

  it('accepts any 2xx answer', () => {
    expect(() =>
      readPutCustomFields(put, answer(200, [{ ident: 'loyalty_tier', value: 'gold' }])),
    ).not.toThrow();
    expect(() => readPutCustomFields(put, answer(204))).not.toThrow();
    const del = buildDeleteCustomFieldRequest({ ...target, customerId: 'c1', ident: 'x' });
    expect(() => readDeleteCustomField(del, answer(204))).not.toThrow();
  });

  it('puts every refused field of a 400 into ValidationError.fields', () => {
    const e = catchError(() =>
      readPutCustomFields(
        put,
        answer(400, {
          errors: [
            { field: 'loyalty_tier', message: "not one of the list's values", errorCode: 'ValueNotAllowed' },
            { field: 'contact_email', message: 'not an e-mail address', errorCode: 'InvalidEmail' },
          ],
        }),
      ),
    );
    expect(e).toBeInstanceOf(ValidationError);
    const v = e as ValidationError;
    expect(v.fields).toEqual([
      { field: 'loyalty_tier', message: "not one of the list's values" },
      { field: 'contact_email', message: 'not an e-mail address' },
    ]);
    expect(v.message).toContain('loyalty_tier: ');
    expect(v.message).toContain('contact_email: ');
    expect(v.code).toBe('ValueNotAllowed');
  });

  it('turns 429 into RateLimitedError with Retry-After', () => {
    const e = catchError(() =>
      readPutCustomFields(
        put,
        answer(
          429,
          { errors: [{ message: 'slow down', errorCode: 'TooManyRequests' }] },
          { 'retry-after': '60' },
        ),
      ),
    );
    expect(e).toBeInstanceOf(RateLimitedError);
    expect((e as RateLimitedError).retryAfterMs).toBe(60_000);
  });
});
