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
  buildCreateProfileRequest,
  buildDeleteProfileRequest,
  buildGetProfileRequest,
  buildGetProfileSchemaRequest,
  buildListProfilesRequest,
  buildPatchProfileRequest,
  readCreatedProfile,
  readDeleteProfile,
  readPatchProfile,
  readProfile,
  readProfileList,
  readProfileSchema,
} from './requests.js';

const conn = { apiUrl: 'https://api-app.cognigy.ai/', apiKey: 'secret-key-1' };
const PROJECT = '0123456789abcdef01234567';
const PROFILE = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const cognigyError = (status: number, code: number, detail: string, details: unknown = {}) => ({
  type: 'Bad Request',
  title: 'Bad Request Error',
  status,
  detail,
  instance: '/new/v2.0/profiles',
  code,
  traceId: 'trace-123',
  details,
});

describe('Cognigy request builders', () => {
  it('puts the API key in X-API-Key, never in the URL, under /new/v2.0', () => {
    const r = buildGetProfileSchemaRequest({ ...conn, projectId: PROJECT });
    expect(r).toMatchObject({
      method: 'GET',
      url: `https://api-app.cognigy.ai/new/v2.0/profiles/schema/${PROJECT}`,
      idempotent: true,
      platform: 'cognigy',
      operation: 'get profile schema',
    });
    expect(r.headers['x-api-key']).toBe('secret-key-1');
    expect(r.headers.accept).toBe('application/json');
    expect(r.url).not.toContain('secret');
    expect(r.body).toBeUndefined();
  });

  it('keeps a path prefix of the base URL (on-premises installations)', () => {
    const r = buildGetProfileRequest({
      ...conn,
      apiUrl: 'https://cognigy.example.com/api',
      profileId: PROFILE,
    });
    expect(r.url).toBe(`https://cognigy.example.com/api/new/v2.0/profiles/${PROFILE}`);
  });

  it('encodes the list query and leaves out what is not given', () => {
    const r = buildListProfilesRequest({
      ...conn,
      projectId: PROJECT,
      filter: 'a+b@example.com',
      limit: 100,
    });
    const u = new URL(r.url);
    expect(u.pathname).toBe('/new/v2.0/profiles');
    expect(u.searchParams.get('filter')).toBe('a+b@example.com');
    expect(u.searchParams.get('limit')).toBe('100');
    expect(u.searchParams.get('projectId')).toBe(PROJECT);
    expect(u.searchParams.has('next')).toBe(false);
    expect(r.operation).toBe('list profiles');
    const next = buildListProfilesRequest({ ...conn, next: 'abc==' });
    expect(new URL(next.url).searchParams.get('next')).toBe('abc==');
  });

  it('refuses a page size the API would refuse', () => {
    expect(() => buildListProfilesRequest({ ...conn, limit: 101 })).toThrow(RangeError);
    expect(() => buildListProfilesRequest({ ...conn, limit: 0 })).toThrow(RangeError);
  });

  it('encodes a profile id as one path segment', () => {
    const r = buildDeleteProfileRequest({ ...conn, profileId: '../x?y' });
    expect(r.url).toBe('https://api-app.cognigy.ai/new/v2.0/profiles/..%2Fx%3Fy');
    expect(r).toMatchObject({ method: 'DELETE', idempotent: true, operation: 'delete profile' });
  });

  it('builds a create request that is not idempotent', () => {
    const r = buildCreateProfileRequest({
      ...conn,
      projectId: PROJECT,
      contactIds: ['a@example.com', '+447900000001'],
      profile: { firstname: 'A' },
    });
    expect(r).toMatchObject({ method: 'POST', idempotent: false, operation: 'create profile' });
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body!)).toEqual({
      projectId: PROJECT,
      contactIds: ['a@example.com', '+447900000001'],
      profile: { firstname: 'A' },
    });
    expect(() =>
      buildCreateProfileRequest({ ...conn, projectId: PROJECT, contactIds: [], profile: {} }),
    ).toThrow(RangeError);
  });

  it('builds a merge patch that is idempotent and carries only the profile', () => {
    const profile: Record<string, unknown> = Object.create(null);
    Object.defineProperty(profile, '__proto__', { value: { a: 1 }, enumerable: true, writable: true });
    profile.annual_spend = 12.5;
    const r = buildPatchProfileRequest({ ...conn, profileId: PROFILE, profile });
    expect(r).toMatchObject({ method: 'PATCH', idempotent: true, operation: 'update profile' });
    expect(r.body).toBe('{"profile":{"__proto__":{"a":1},"annual_spend":12.5}}');
  });
});

describe('Cognigy answer readers', () => {
  const req = buildGetProfileRequest({ ...conn, profileId: PROFILE });

  it('reads the schema from {schema, details} and from a bare list, leaving out unknown types', () => {
    const details = [
      { field: 'First name', internal: 'firstname', type: 'string' },
      { field: 'Spend', internal: 'annual_spend', type: 'number' },
      { field: 'When', internal: 'when', type: 'date' },
    ];
    const schemaReq = buildGetProfileSchemaRequest({ ...conn, projectId: PROJECT });
    const expected = details.slice(0, 2);
    expect(readProfileSchema(schemaReq, json(200, { schema: {}, details }))).toEqual(expected);
    expect(readProfileSchema(schemaReq, json(200, details))).toEqual(expected);
    expect(() => readProfileSchema(schemaReq, json(200, { schema: {} }))).toThrow(UpstreamError);
  });

  it('reads a profile into a null-prototype map with __proto__ as data', () => {
    const p = readProfile(
      req,
      json(
        200,
        '{"_id":"x","contactIds":["a"],"active":true,"profile":{"__proto__":{"p":1},"n":2},"createdAt":5}',
      ),
    );
    expect(p._id).toBe('x');
    expect(p.createdAt).toBe(5);
    expect(Object.getPrototypeOf(p.profile)).toBeNull();
    expect(Object.hasOwn(p.profile, '__proto__')).toBe(true);
    expect(p.profile.n).toBe(2);
  });

  it('refuses an answer that is not a profile', () => {
    expect(() => readProfile(req, json(200, { contactIds: [] }))).toThrow(UpstreamError);
    expect(() => readProfile(req, json(200, { _id: 'x', contactIds: 'a' }))).toThrow(UpstreamError);
    expect(() => readProfile(req, json(200, 'not json'))).toThrow(UpstreamError);
  });

  it('reads a list page; a missing or empty cursor is null', () => {
    const listReq = buildListProfilesRequest(conn);
    const page = readProfileList(
      listReq,
      json(200, {
        items: [{ _id: 'a', contactIds: ['x'], profile: {} }],
        total: 7,
        nextCursor: 'n1',
        previousCursor: '',
      }),
    );
    expect(page).toMatchObject({ total: 7, nextCursor: 'n1', previousCursor: null });
    expect(page.items.map((p) => p._id)).toEqual(['a']);
    const last = readProfileList(listReq, json(200, { items: [], total: 0, nextCursor: null }));
    expect(last.nextCursor).toBeNull();
    expect(() => readProfileList(listReq, json(200, { items: [{ nope: 1 }] }))).toThrow(/item 0/);
  });

  it('reads a schema violation into a ValidationError with the fields and the trace id', () => {
    const patchReq = buildPatchProfileRequest({
      ...conn,
      profileId: PROFILE,
      profile: { annual_spend: 'x' },
    });
    const e = (() => {
      try {
        readPatchProfile(
          patchReq,
          json(
            400,
            cognigyError(400, 1005, 'Validation failed.', [
              { field: 'profile.annual_spend', message: 'must be of type number, got string' },
            ]),
          ),
        );
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(ValidationError);
    const v = e as ValidationError;
    expect(v.fields).toEqual([
      { field: 'profile.annual_spend', message: 'must be of type number, got string' },
    ]);
    expect(v.code).toBe('1005');
    expect(v.correlationId).toBe('trace-123');
    expect(v.platform).toBe('cognigy');
    expect(v.message).toMatch(/Cognigy\.AI update profile refused the data \(HTTP 400\)/);
    expect(v.message).not.toContain('secret-key-1');
  });

  it('maps 401, 404 and 429 to the taxonomy', () => {
    expect(() => readProfile(req, json(401, cognigyError(401, 401, 'The API key is not valid.')))).toThrow(
      AuthenticationError,
    );
    expect(() => readProfile(req, json(404, cognigyError(404, 1002, 'Profile not found.')))).toThrow(
      NotFoundError,
    );
    try {
      readProfile(req, json(429, cognigyError(429, 429, 'Too many requests.'), { 'retry-after': '7' }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RateLimitedError);
      expect((e as RateLimitedError).retryAfterMs).toBe(7000);
    }
  });

  it('reads create, patch and delete answers', () => {
    const createReq = buildCreateProfileRequest({
      ...conn,
      projectId: PROJECT,
      contactIds: ['a'],
      profile: {},
    });
    expect(readCreatedProfile(createReq, json(201, { _id: 'new', contactIds: ['a'], profile: {} }))._id).toBe(
      'new',
    );
    const patchReq = buildPatchProfileRequest({ ...conn, profileId: PROFILE, profile: {} });
    expect(() => readPatchProfile(patchReq, json(200, {}))).not.toThrow();
    const delReq = buildDeleteProfileRequest({ ...conn, profileId: PROFILE });
    expect(() => readDeleteProfile(delReq, { status: 204, headers: {}, body: '' })).not.toThrow();
    expect(() => readDeleteProfile(delReq, json(404, cognigyError(404, 1002, 'gone')))).toThrow(
      NotFoundError,
    );
  });
});
