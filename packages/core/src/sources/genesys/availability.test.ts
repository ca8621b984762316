import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../errors/errors.js';
import type { HttpResponse } from '../../http/types.js';
import { describeAvailability } from './descriptor.js';
import {
  buildDataAvailabilityRequest,
  buildJobResultsRequest,
  readDataAvailability,
  readJobResults,
} from './requests.js';

const api = { apiUrl: 'https://api.mypurecloud.ie', accessToken: 'tok-SECRET' };
const ok = (body: unknown): HttpResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe("Genesys Cloud's analytics data availability", () => {
  it('asks for the watermark and reads it as an ISO instant', () => {
    const r = buildDataAvailabilityRequest(api);
    expect(r.method).toBe('GET');
    expect(r.url).toBe('https://api.mypurecloud.ie/api/v2/analytics/conversations/details/jobs/availability');
    expect(readDataAvailability(r, ok({ dataAvailabilityDate: '2026-11-29T09:00:00Z' }))).toEqual({
      dataAvailabilityDate: '2026-11-29T09:00:00.000Z',
    });
  });

  it('refuses an answer without a date', () => {
    const r = buildDataAvailabilityRequest(api);
    for (const body of [{}, { dataAvailabilityDate: 'soon' }, { dataAvailabilityDate: 5 }])
      expect(() => readDataAvailability(r, ok(body))).toThrow(UpstreamError);
  });

  it("reads a results page's dataAvailabilityDate when it has one", () => {
    const r = buildJobResultsRequest({ ...api, jobId: 'j1' });
    expect(
      readJobResults(r, ok({ conversations: [], dataAvailabilityDate: '2026-11-29T09:00:00Z' })),
    ).toEqual({
      conversations: [],
      dataAvailabilityDate: '2026-11-29T09:00:00.000Z',
    });
    expect(readJobResults(r, ok({ conversations: [], dataAvailabilityDate: 'n/a' }))).toEqual({
      conversations: [],
    });
  });
});

describe('describeAvailability (what check says of the watermark)', () => {
  it('gives the watermark and its age in minutes, then hours', () => {
    const now = Date.parse('2026-11-29T12:00:00Z');
    expect(describeAvailability('2026-11-29T11:59:40Z', now)).toContain('(less than a minute ago)');
    expect(describeAvailability('2026-11-29T11:15:00Z', now)).toContain(
      'started before 2026-11-29T11:15:00Z (45 minutes ago)',
    );
    expect(describeAvailability('2026-11-28T21:00:00Z', now)).toContain('(15.0 hours ago)');
    expect(describeAvailability('2026-11-26T00:00:00Z', now)).toContain('(3.5 days ago)');
  });
});
