import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../errors/errors.js';
import { attributeMap } from '../types.js';
import {
  customerFromAnalyticsConversation,
  customerFromConversation,
  customerFromExternalContact,
  emailFromAddress,
  phoneFromAddress,
  stripCustomFieldSuffix,
} from './customer.js';
import type { GenesysAnalyticsConversation, GenesysConversation, GenesysExternalContact } from './types.js';

const attrs = (o: Record<string, string>) => attributeMap(Object.entries(o)) as Record<string, string>;
const ownValue = (o: object, key: string) => Object.getOwnPropertyDescriptor(o, key)?.value;

describe('phoneFromAddress', () => {
  it('takes E.164 out of tel: and sip: addresses, dropping parameters', () => {
    expect(phoneFromAddress('tel:+447900000001')).toBe('+447900000001');
    expect(phoneFromAddress('TEL:+1 (317) 555-0100')).toBe('+13175550100');
    expect(phoneFromAddress('sip:+4930123456@pbx.example.com;user=phone')).toBe('+4930123456');
    expect(phoneFromAddress('sips:+4930123456@pbx.example.com')).toBe('+4930123456');
    expect(phoneFromAddress('tel:+447900000001;ext=12')).toBe('+447900000001');
    expect(phoneFromAddress('+33 1 23 45 67 89')).toBe('+33123456789');
  });

  it('refuses what is not E.164: no country code, a name, an e-mail, a SIP user name', () => {
    for (const v of [
      undefined,
      '',
      'tel:07900000001',
      '4479000001',
      'Ada',
      'ada@example.com',
      'sip:ada@pbx',
      '+0123456',
    ]) {
      expect(phoneFromAddress(v), String(v)).toBeUndefined();
    }
  });

  it('recovers any E.164 number from its tel: and sip: forms', () => {
    const e164 = fc
      .tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{6,14}$/))
      .map(([first, rest]) => `+${first}${rest}`);
    fc.assert(
      fc.property(e164, fc.constantFrom('tel:', 'sip:', ''), (n, scheme) => {
        const address = scheme === 'sip:' ? `sip:${n}@host.example;user=phone` : `${scheme}${n}`;
        return phoneFromAddress(address) === n;
      }),
    );
  });
});

describe('emailFromAddress', () => {
  it('accepts plain and mailto: addresses, never a SIP URI', () => {
    expect(emailFromAddress('ada@example.com')).toBe('ada@example.com');
    expect(emailFromAddress('mailto:ada@example.com')).toBe('ada@example.com');
    expect(emailFromAddress('sip:ada@example.com')).toBeUndefined();
    expect(emailFromAddress('Ada Lovelace')).toBeUndefined();
    expect(emailFromAddress('tel:+447900000001')).toBeUndefined();
  });
});

describe('customerFromConversation', () => {
  const conversation = (): GenesysConversation => ({
    id: 'c-1',
    startTime: '2026-10-01T10:00:00Z',
    participants: [
      { id: 'p-ivr', purpose: 'ivr', attributes: attrs({ loyalty_tier: 'ivr-guess', ivr_menu: 'billing' }) },
      {
        id: 'p-cust',
        purpose: 'customer',
        name: 'Ada Lovelace',
        ani: 'tel:+447900000001',
        address: 'tel:+447900000001',
        externalContactId: 'ec-1',
        // JSON.parse, as a reader gets it: an object literal would not make "__proto__" a key.
        attributes: attrs(JSON.parse('{"loyalty_tier":"gold","__proto__":"proto-1","constructor":"ctor"}')),
      },
      { id: 'p-agent', purpose: 'agent', attributes: attrs({}) },
    ],
  });

  it("takes the customer participant's attributes, never the IVR's", () => {
    const c = customerFromConversation(conversation());
    expect(c.attributes.loyalty_tier).toBe('gold');
    expect(c.attributes.ivr_menu).toBeUndefined();
    expect(c.source).toEqual({
      kind: 'conversation',
      id: 'c-1',
      participantId: 'p-cust',
      at: '2026-10-01T10:00:00Z',
    });
    expect(c.identity).toEqual({ phone: '+447900000001', externalContactId: 'ec-1', name: 'Ada Lovelace' });
  });

  it('keeps "__proto__" and "constructor" as data in a null-prototype map', () => {
    const c = customerFromConversation(conversation());
    expect(Object.getPrototypeOf(c.attributes)).toBeNull();
    expect(ownValue(c.attributes, '__proto__')).toBe('proto-1');
    expect(c.attributes.constructor).toBe('ctor');
    expect(Object.keys(c.attributes)).toEqual(['loyalty_tier', '__proto__', 'constructor']);
  });

  it('prefers the address over the ani for the phone (an outbound call)', () => {
    const conv = conversation();
    conv.participants[1] = {
      ...conv.participants[1]!,
      ani: 'tel:+18005550100',
      address: 'sip:+447900000002@x;user=phone',
    };
    expect(customerFromConversation(conv).identity.phone).toBe('+447900000002');
  });

  it('takes the e-mail from the address of a chat or e-mail customer', () => {
    const conv = conversation();
    conv.participants[1] = {
      id: 'p-cust',
      purpose: 'customer',
      address: 'ada@example.com',
      attributes: attrs({}),
    };
    expect(customerFromConversation(conv).identity).toEqual({ email: 'ada@example.com' });
  });

  it('says so when there is no customer participant', () => {
    const conv = conversation();
    conv.participants = conv.participants.filter((p) => p.purpose !== 'customer');
    let error: unknown;
    try {
      customerFromConversation(conv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain('c-1');
    expect((error as Error).message).toContain('no participant with purpose "customer"');
    expect((error as Error).message).toContain('ivr, agent');
  });

  it('finds the customer wherever it stands among participants of every other purpose', () => {
    const others = ['external', 'ivr', 'acd', 'agent', 'user', 'workflow', 'voicemail', 'dialer', 'api'];
    const base = conversation();
    const customer = base.participants.find((p) => p.purpose === 'customer')!;
    for (let at = 0; at <= others.length; at++) {
      const participants: GenesysConversation['participants'] = others.map((purpose) => ({
        id: `p-${purpose}`,
        purpose,
        address: 'tel:+442079460999',
        attributes: attrs({ loyalty_tier: `${purpose}-guess` }),
      }));
      participants.splice(at, 0, customer);
      const found = customerFromConversation({ ...base, participants });
      expect(found.source.participantId).toBe(customer.id);
      expect(found.attributes.loyalty_tier).toBe(customer.attributes.loyalty_tier);
    }
  });

  it('never takes an external party for the customer, and says why', () => {
    const conv: GenesysConversation = {
      id: 'c-out',
      participants: [
        { id: 'a', purpose: 'agent', attributes: attrs({}) },
        { id: 'x', purpose: 'external', address: 'tel:+442079461000', attributes: attrs({ tier: 'x' }) },
        { id: 'a2', purpose: 'agent', attributes: attrs({}) },
      ],
    };
    expect(() => customerFromConversation(conv)).toThrow(
      /conversation c-out has no participant with purpose "customer" \(it has: agent, external\).*"external" participant is an outside party/,
    );
  });
});

describe('customerFromAnalyticsConversation', () => {
  const row = (direction: string): GenesysAnalyticsConversation => ({
    conversationId: 'c-2',
    conversationStart: '2026-10-02T09:00:00Z',
    participants: [
      { participantId: 'p-ivr', purpose: 'ivr', attributes: attrs({ loyalty_tier: 'ivr' }), sessions: [] },
      {
        participantId: 'p-cust',
        participantName: 'Grace Hopper',
        purpose: 'customer',
        externalContactId: 'ec-2',
        attributes: attrs({ loyalty_tier: 'silver' }),
        sessions: [
          {
            mediaType: 'voice',
            direction,
            ani: 'tel:+15550000001',
            dnis: 'tel:+15550000002',
            addressFrom: 'tel:+15550000001',
            addressTo: 'tel:+15550000002',
          },
        ],
      },
    ],
  });

  it('reads the identity from the customer sessions: the caller of an inbound call', () => {
    const c = customerFromAnalyticsConversation(row('inbound'));
    expect(c.identity).toEqual({ phone: '+15550000001', externalContactId: 'ec-2', name: 'Grace Hopper' });
    expect(c.attributes).toEqual({ loyalty_tier: 'silver' });
    expect(Object.getPrototypeOf(c.attributes)).toBeNull();
    expect(c.source).toEqual({
      kind: 'conversation',
      id: 'c-2',
      participantId: 'p-cust',
      at: '2026-10-02T09:00:00Z',
    });
  });

  it('the number called in an outbound call', () => {
    expect(customerFromAnalyticsConversation(row('outbound')).identity.phone).toBe('+15550000002');
  });

  it('an e-mail address from a message session', () => {
    const r = row('inbound');
    r.participants[1]!.sessions = [
      { mediaType: 'email', direction: 'inbound', addressFrom: 'grace@example.com' },
    ];
    expect(customerFromAnalyticsConversation(r).identity.email).toBe('grace@example.com');
  });

  it('refuses a row without a customer', () => {
    const r = row('inbound');
    r.participants = [r.participants[0]!];
    expect(() => customerFromAnalyticsConversation(r)).toThrow(NotFoundError);
  });
});

describe('customerFromExternalContact', () => {
  const contact = (): GenesysExternalContact => ({
    id: 'ec-1',
    firstName: 'Ada',
    lastName: 'Lovelace',
    workPhone: { e164: '+442079460000' },
    cellPhone: { display: '07900 000001' },
    workEmail: 'ada@work.example',
    modifyDate: '2026-10-01T00:00:00Z',
    customFields: attributeMap([
      ['loyalty_tier_text', 'gold'],
      ['annual_spend_number', 1234.5],
      ['visits_integer', 12],
      ['opted_in_checkbox', false],
      ['member_since_date', '2020-01-01'],
      ['last_seen_datetime', '2026-10-01T10:00:00Z'],
      ['interests_tag', ['golf', 'chess']],
      ['email_text', 'custom@example.com'],
      ['__proto___text', 'proto'],
    ]),
  });

  it('maps names, the best e-mail and phone, and custom fields without their type suffix, typed', () => {
    const c = customerFromExternalContact(contact());
    expect({ ...c.attributes }).toEqual({
      firstname: 'Ada',
      lastname: 'Lovelace',
      email: 'ada@work.example',
      // The cell phone has no E.164 form, so the work phone is used.
      phone: '+442079460000',
      loyalty_tier: 'gold',
      annual_spend: 1234.5,
      visits: 12,
      opted_in: false,
      member_since: '2020-01-01',
      last_seen: '2026-10-01T10:00:00Z',
      interests: ['golf', 'chess'],
      // "email" is taken by the contact's own e-mail: the custom field keeps its full key.
      email_text: 'custom@example.com',
      // The spread above copies "__proto__" as data; a literal key here would not be one.
      ...JSON.parse('{"__proto__":"proto"}'),
    });
    expect(Object.getPrototypeOf(c.attributes)).toBeNull();
    expect(ownValue(c.attributes, '__proto__')).toBe('proto');
    expect(c.identity).toEqual({
      externalContactId: 'ec-1',
      phone: '+442079460000',
      email: 'ada@work.example',
      name: 'Ada Lovelace',
    });
    expect(c.source).toEqual({ kind: 'external-contact', id: 'ec-1', at: '2026-10-01T00:00:00Z' });
  });

  it('prefers the personal e-mail and the cell phone', () => {
    const ec = { ...contact(), personalEmail: 'ada@home.example', cellPhone: { e164: '+447900000001' } };
    const c = customerFromExternalContact(ec);
    expect(c.attributes.email).toBe('ada@home.example');
    expect(c.attributes.phone).toBe('+447900000001');
  });

  it('leaves out what the contact does not have', () => {
    const c = customerFromExternalContact({ id: 'ec-9', customFields: attributeMap() });
    expect(c.attributes).toEqual({});
    expect(c.identity).toEqual({ externalContactId: 'ec-9' });
  });
});

describe('stripCustomFieldSuffix', () => {
  it('removes each documented type suffix, the longest first', () => {
    expect(stripCustomFieldSuffix('loyalty_tier_text')).toBe('loyalty_tier');
    expect(stripCustomFieldSuffix('notes_longtext')).toBe('notes');
    expect(stripCustomFieldSuffix('seen_datetime')).toBe('seen');
    expect(stripCustomFieldSuffix('born_date')).toBe('born');
    expect(stripCustomFieldSuffix('site_url')).toBe('site');
    expect(stripCustomFieldSuffix('crm_identifier')).toBe('crm');
    expect(stripCustomFieldSuffix('tier_enum')).toBe('tier');
    expect(stripCustomFieldSuffix('vip_checkbox')).toBe('vip');
    expect(stripCustomFieldSuffix('count_integer')).toBe('count');
    expect(stripCustomFieldSuffix('spend_number')).toBe('spend');
    expect(stripCustomFieldSuffix('labels_tag')).toBe('labels');
    expect(stripCustomFieldSuffix('items_list')).toBe('items');
  });

  it('leaves other keys alone, and never strips a key down to nothing', () => {
    expect(stripCustomFieldSuffix('plain')).toBe('plain');
    expect(stripCustomFieldSuffix('_text')).toBe('_text');
    expect(stripCustomFieldSuffix('context')).toBe('context');
  });
});
