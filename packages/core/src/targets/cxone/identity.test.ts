import { describe, expect, it } from 'vitest';
import { cxoneSearchQuery, DEFAULT_CXONE_SEARCH_QUERY, pickCustomerByIdentity } from './identity.js';
import type { CxoneCustomer } from './types.js';

function customer(id: string, ...identities: string[]): CxoneCustomer {
  return {
    id,
    fullName: `Customer ${id}`,
    customFields: [],
    identities: identities.map((idOnExternalPlatform) => ({ idOnExternalPlatform })),
  };
}

const ada = customer('ada', '+447900000001', 'Ada.Lovelace@Example.com');
const bob = customer('bob', '+447900000002', 'bob@example.com');
// A name-only hit: a search matches names too.
const adaByName = customer('ada-namesake');

describe('pickCustomerByIdentity', () => {
  it('finds the customer by phone, exactly', () => {
    expect(pickCustomerByIdentity({ customers: [bob, ada] }, { phone: '+447900000001' })).toEqual({
      kind: 'found',
      customer: ada,
    });
    expect(pickCustomerByIdentity({ customers: [ada] }, { phone: '447900000001' })).toBeUndefined();
    expect(pickCustomerByIdentity({ customers: [ada] }, { phone: '+4479000000011' })).toBeUndefined();
  });

  it('finds the customer by e-mail, in any case', () => {
    expect(
      pickCustomerByIdentity({ customers: [adaByName, ada] }, { email: 'ada.lovelace@example.COM' }),
    ).toEqual({
      kind: 'found',
      customer: ada,
    });
  });

  it('finds one customer when phone and e-mail both point at it, even if it is listed twice', () => {
    const found = pickCustomerByIdentity(
      { customers: [ada, bob, ada] },
      { phone: '+447900000001', email: 'ada.lovelace@example.com' },
    );
    expect(found).toEqual({ kind: 'found', customer: ada });
  });

  it('finds nobody among name-only hits, or without an identity to look for', () => {
    expect(pickCustomerByIdentity({ customers: [adaByName] }, { email: 'ada@example.com' })).toBeUndefined();
    expect(pickCustomerByIdentity({ customers: [ada] }, {})).toBeUndefined();
    expect(pickCustomerByIdentity({ customers: [ada] }, { phone: ' ', email: '' })).toBeUndefined();
    expect(pickCustomerByIdentity({ customers: [] }, { phone: '+447900000001' })).toBeUndefined();
  });

  it('reports two customers sharing an identity as ambiguous', () => {
    const twin = customer('twin', '+447900000001');
    const result = pickCustomerByIdentity({ customers: [ada, twin] }, { phone: '+447900000001' });
    expect(result?.kind).toBe('ambiguous');
    if (result?.kind !== 'ambiguous') return;
    expect(result.customerIds).toEqual(['ada', 'twin']);
    expect(result.reason).toContain('2 different CXone customers');
    expect(result.reason).toContain('ada (by phone)');
    expect(result.reason).not.toContain('+447900000001');
  });

  it('reports phone and e-mail pointing at different customers as ambiguous', () => {
    const result = pickCustomerByIdentity(
      { customers: [ada, bob] },
      { phone: '+447900000002', email: 'ada.lovelace@example.com' },
    );
    expect(result).toMatchObject({ kind: 'ambiguous', customerIds: ['ada', 'bob'] });
    if (result?.kind !== 'ambiguous') return;
    expect(result.reason).toContain('ada (by email)');
    expect(result.reason).toContain('bob (by phone)');
    expect(result.reason).not.toContain('example.com');
  });
});

describe('cxoneSearchQuery', () => {
  it('puts the value in the expression NICE’s SDK sends, by default', () => {
    expect(DEFAULT_CXONE_SEARCH_QUERY).toBe('identityIdOnExternalPlatform IN ("{value}")');
    expect(cxoneSearchQuery('+447900000001')).toBe('identityIdOnExternalPlatform IN ("+447900000001")');
  });

  it('escapes quotes and backslashes, so a value never ends the string', () => {
    expect(cxoneSearchQuery('a"b\\c@example.com')).toBe(
      'identityIdOnExternalPlatform IN ("a\\"b\\\\c@example.com")',
    );
  });

  it('uses a configured template, every {value} replaced', () => {
    expect(cxoneSearchQuery('x@example.com', '{value}')).toBe('x@example.com');
    expect(cxoneSearchQuery('v', 'a = "{value}" OR b = "{value}"')).toBe('a = "v" OR b = "v"');
  });
});
