import type { RequestStats } from '@cx-profile-sync/emulators';
import { describe, expect, it } from 'vitest';
import { changeSets, ledgerRow, perRunRoute } from './ledger.js';
import { notRun } from './measure.js';
import type { PathResult } from './types.js';

const stats = (byRoute: Record<string, number>): RequestStats => ({
  total: Object.values(byRoute).reduce((a, b) => a + b, 0),
  byStatus: {},
  byRoute,
});

const path = (id: string, customers: number, s: PathResult['stats']): PathResult => ({
  ...notRun({ id, name: id, work: 'CXone + Cognigy' }, ''),
  ran: true,
  customers,
  stats: s,
});

describe("the ledger's numbers", () => {
  it('tell the requests made once a run from those a customer makes', () => {
    for (const route of [
      'POST /oauth/token',
      'GET /api/v2/analytics/conversations/details/jobs/availability',
      'POST /api/v2/analytics/conversations/details/jobs',
      'GET /api/v2/analytics/conversations/details/jobs/:jobId',
      'GET /.well-known/openid-configuration',
      'POST /auth/token',
      'GET /auth/jwks',
      'GET /dfo/3.0/customers/custom-field-definitions',
      'GET /new/v2.0/profiles/schema/:projectId',
    ])
      expect(perRunRoute(route), route).toBe(true);
    for (const route of [
      'GET /api/v2/analytics/conversations/details/jobs/:jobId/results',
      'GET /dfo/3.0/customers',
      'GET /dfo/3.0/customers/:customerId',
      'PUT /dfo/3.0/customers/:customerId/custom-fields',
      'GET /new/v2.0/profiles',
      'GET /new/v2.0/profiles/:profileId',
      'PATCH /new/v2.0/profiles/:profileId',
      'POST /new/v2.0/profiles',
    ])
      expect(perRunRoute(route), route).toBe(false);
  });

  it('give customers an hour at the documented limits, the per-run requests left out', () => {
    // 100 customers, one Cognigy request each (+ the schema): Cognigy's 12,000 an hour bind.
    const row = ledgerRow(
      path('ledger-changed', 100, {
        genesys: stats({
          'POST /oauth/token': 1,
          'GET /api/v2/analytics/conversations/details/jobs/:jobId/results': 1,
        }),
        cxone: stats({
          'GET /dfo/3.0/customers/custom-field-definitions': 1,
          'PUT /dfo/3.0/customers/:customerId/custom-fields': 10,
        }),
        cognigy: stats({
          'GET /new/v2.0/profiles/schema/:projectId': 1,
          'PATCH /new/v2.0/profiles/:profileId': 100,
        }),
      }),
      { changed: 10 },
    )!;
    expect(row.perCustomer).toEqual({ genesys: 0.01, cxone: 0.1, cognigy: 1 });
    expect(row.perRun).toEqual({ genesys: 1, cxone: 1, cognigy: 1 });
    expect(row.customersPerHour).toBeCloseTo(12_000, 6);
    expect(row.binding).toMatch(/^Cognigy/);
    expect(row.withLedger).toBe(true);
  });

  it('say when no limit counts a per-customer request', () => {
    const row = ledgerRow(
      path('ledger-again', 10, {
        genesys: stats({ 'POST /oauth/token': 1 }),
        cxone: stats({ 'POST /auth/token': 1 }),
        cognigy: stats({ 'GET /new/v2.0/profiles/schema/:projectId': 1 }),
      }),
    )!;
    expect(row.customersPerHour).toBeNull();
  });

  it('change disjoint sets of a tenth of the customers', () => {
    const sets = changeSets(300, 0.1, 3);
    expect(sets.map((s) => s.length)).toEqual([30, 30, 30]);
    expect(new Set(sets.flat()).size).toBe(90);
    expect(sets.flat().every((i) => i >= 0 && i < 300)).toBe(true);
  });
});
