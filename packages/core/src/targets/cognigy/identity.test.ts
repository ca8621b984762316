import { describe, expect, it } from 'vitest';
import { contactIdsFor, pickProfileByContactIds } from './identity.js';
import type { CognigyProfile } from './types.js';

const profile = (id: string, ...contactIds: string[]): CognigyProfile => ({
  _id: id,
  contactIds,
  profile: {},
});

describe('contactIdsFor', () => {
  it('gives the e-mail address (lower-case) and the phone number', () => {
    expect(contactIdsFor({ email: ' Ada.Lovelace@Example.com ', phone: '+447900000001' })).toEqual([
      'ada.lovelace@example.com',
      '+447900000001',
    ]);
  });

  it('gives what there is, and nothing for no identity', () => {
    expect(contactIdsFor({ phone: '+447900000001' })).toEqual(['+447900000001']);
    expect(contactIdsFor({ email: 'a@example.com', phone: '  ' })).toEqual(['a@example.com']);
    expect(contactIdsFor({ externalContactId: 'x' })).toEqual([]);
  });
});

describe('pickProfileByContactIds', () => {
  const identity = { email: 'ada@example.com', phone: '+447900000001' };

  it('finds the profile by e-mail address, ignoring case', () => {
    const list = [profile('p1', 'ADA@Example.COM'), profile('p2', 'xada@example.com')];
    expect(pickProfileByContactIds(list, identity)).toEqual({ kind: 'found', profile: list[0] });
  });

  it('finds the profile by phone number, exactly', () => {
    const list = [profile('p1', '+4479000000011'), profile('p2', '+447900000001')];
    const pick = pickProfileByContactIds(list, { phone: '+447900000001' });
    expect(pick).toMatchObject({ kind: 'found', profile: { _id: 'p2' } });
  });

  it('finds one profile that has both', () => {
    const pick = pickProfileByContactIds([profile('p1', 'ada@example.com', '+447900000001')], identity);
    expect(pick).toMatchObject({ kind: 'found', profile: { _id: 'p1' } });
  });

  it('ignores profiles the list filter matched only by text inside them', () => {
    // The filter matches substrings of profile values: such answers are not the customer.
    const list = [profile('p1', 'someone@example.com'), profile('p2', 'ada@example.com.evil')];
    expect(pickProfileByContactIds(list, identity)).toEqual({ kind: 'missing' });
  });

  it('says which profiles conflict when e-mail and phone point at different profiles', () => {
    const pick = pickProfileByContactIds(
      [profile('p1', 'ada@example.com'), profile('p2', '+447900000001')],
      identity,
    );
    expect(pick).toMatchObject({ kind: 'ambiguous', profileIds: ['p1', 'p2'] });
    if (pick.kind !== 'ambiguous') throw new Error('expected ambiguous');
    expect(pick.reason).toMatch(/e-mail address belongs to profile p1 and their phone number to profile p2/);
    // No personal data in reasons.
    expect(pick.reason).not.toContain('ada@example.com');
    expect(pick.reason).not.toContain('+447900000001');
  });

  it('says so when two profiles share the e-mail address', () => {
    const pick = pickProfileByContactIds([profile('b', 'ada@example.com'), profile('a', 'Ada@example.com')], {
      email: 'ada@example.com',
    });
    expect(pick).toMatchObject({ kind: 'ambiguous', profileIds: ['a', 'b'] });
    if (pick.kind !== 'ambiguous') throw new Error('expected ambiguous');
    expect(pick.reason).toMatch(/2 profiles \(a, b\) have the customer's e-mail address/);
  });

  it('refuses a customer without e-mail address or phone number', () => {
    expect(pickProfileByContactIds([profile('p1', 'x')], { name: 'Ada' })).toMatchObject({
      kind: 'no-identity',
    });
  });
});
