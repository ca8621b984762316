// The conversions over the emulators' seed: the real Genesys attributes of all 50 seed customers
// (all strings, with every tricky value) and their typed external-contact custom fields, against
// the seed's CXone field definitions and Cognigy schema.
import { generateSeed, latestAttributes, TRICKY_VALUES } from '@cx-profile-sync/emulators';
import { describe, expect, it } from 'vitest';
import { type AttributeMap, type AttributeValue, attributeMap } from '../sources/types.js';
import { toCognigyProfile } from '../targets/cognigy/convert.js';
import { toCxoneCustomFields } from '../targets/cxone/convert.js';
import { parseMapping, resolveMappingFor } from './mapping.js';
import {
  accountedKeys,
  expectedKeys,
  SEED_COGNIGY_SCHEMA,
  SEED_CXONE_FIELD_DEFINITIONS,
} from './test-helpers.js';

const seed = generateSeed();
const customers = seed.customers.map((c) => attributeMap(Object.entries(latestAttributes(seed, c.index))));

type Outcome = { value: unknown } | { skipped: RegExp };

const inList = (list: readonly string[], v: string) => list.includes(v);

/** What CXone should get for each seed attribute, by rule. */
function expectedCxone(key: string, v: string): Outcome {
  switch (key) {
    case 'loyalty_tier':
      return v === 'diamond'
        ? { skipped: /^custom field loyalty_tier is a list, and the value is not one of/ }
        : { value: v };
    case 'opted_in':
      return v === 'yes' ? { skipped: /^custom field opted_in is a list/ } : { value: v.toLowerCase() };
    case 'contact_email':
      return v === 'not-an-email'
        ? { skipped: /^custom field contact_email takes an e-mail address, and the value has no @$/ }
        : { value: v };
    case 'annual_spend':
    case 'preferred_channel':
    case 'account_number':
    case 'phone_ext':
    case 'promo_code':
    case 'risk_score':
    case 'last_purchase_at':
    case 'notes':
    case 'display_name':
    case 'long_note':
      return { value: v };
    default:
      return { skipped: new RegExp(`^no custom field ${key.replace(/[_$]/g, '\\$&')} in CXone$`) };
  }
}

/** What Cognigy should get for each seed attribute, by rule. */
function expectedCognigy(key: string, v: string): Outcome {
  switch (key) {
    case 'loyalty_tier':
    case 'account_number':
    case 'promo_code':
    case 'birthday':
    case 'display_name':
    case 'last_purchase_at':
      return { value: v };
    case 'annual_spend':
      // Cognigy number fields take whole numbers only: "21481.00" becomes 21481, "1234.56" is skipped.
      return Number.isInteger(Number(v))
        ? { value: Number(v) }
        : { skipped: /^field annual_spend is a number in Cognigy, and the value is not a whole number/ };
    case 'visits':
      return { value: Number(v) };
    case 'risk_score':
      return inList(TRICKY_VALUES.notANumber, v) || inList(TRICKY_VALUES.paddedNumber, v)
        ? {
            skipped:
              /^field risk_score is a number in Cognigy, and the value (is not a finite number|has leading or trailing whitespace)/,
          }
        : { value: Number(v) };
    case 'opted_in':
      return v === 'yes'
        ? { skipped: /^field opted_in is a boolean in Cognigy, and the value is not "true" or "false"$/ }
        : { value: v.toLowerCase() === 'true' };
    case 'big_account_id':
      return {
        skipped: /^field big_account_id is a number in Cognigy, and the value is beyond ±9007199254740991/,
      };
    case 'preferences':
      return { value: JSON.parse(v) };
    default:
      return {
        skipped: new RegExp(`^no field ${key.replace(/[_$]/g, '\\$&')} in the Cognigy profile schema$`),
      };
  }
}

function check(
  attrs: AttributeMap,
  written: Record<string, unknown>,
  skipped: { key: string; reason: string }[],
  expected: (k: string, v: string) => Outcome,
) {
  for (const key of Object.keys(attrs)) {
    const want = expected(key, attrs[key] as string);
    const reasons = skipped.filter((s) => s.key === key).map((s) => s.reason);
    if ('value' in want) {
      expect(reasons, key).toEqual([]);
      expect(Object.hasOwn(written, key), key).toBe(true);
      expect(written[key], key).toEqual(want.value);
    } else {
      expect(Object.hasOwn(written, key), key).toBe(false);
      expect(reasons.length, key).toBe(1);
      expect(reasons[0], key).toMatch(want.skipped);
    }
  }
  expect(Object.keys(written).length + skipped.length).toBe(Object.keys(attrs).length);
}

describe('the seed', () => {
  it("core's schema fixtures equal the emulators' seed schemas", () => {
    expect(seed.cxone.definitions).toEqual(SEED_CXONE_FIELD_DEFINITIONS);
    expect(seed.cognigy.schema).toEqual(SEED_COGNIGY_SCHEMA);
  });

  it('has 50 customers whose attributes cover every tricky value and the prototype keys', () => {
    expect(customers).toHaveLength(50);
    const seen = new Set(customers.flatMap((a) => Object.values(a)));
    for (const values of Object.values(TRICKY_VALUES)) for (const v of values) expect(seen, v).toContain(v);
    for (const v of ['diamond', 'not-an-email']) expect(seen).toContain(v);
    for (const a of customers)
      expect(Object.keys(a)).toEqual(expect.arrayContaining(['__proto__', 'constructor']));
  });
});

describe('all 50 seed customers → CXone', () => {
  it('writes or skips each attribute by the rules', () => {
    for (const attrs of customers) {
      const r = toCxoneCustomFields(attrs, SEED_CXONE_FIELD_DEFINITIONS);
      const written: Record<string, unknown> = Object.create(null);
      for (const f of r.fields) Object.defineProperty(written, f.ident, { value: f.value, enumerable: true });
      check(attrs, written, r.skipped, expectedCxone);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('all 50 seed customers → Cognigy', () => {
  it('writes or skips each attribute by the rules', () => {
    for (const attrs of customers) {
      const r = toCognigyProfile(attrs, SEED_COGNIGY_SCHEMA);
      check(attrs, r.profile, r.skipped, expectedCognigy);
      expect(Object.getPrototypeOf(r.profile)).toBeNull();
    }
  });
});

describe('the example mapping over all 50 seed customers', () => {
  const mapping = parseMapping(`{
    "attributes": { "annual_spend": { "type": "number" }, "internal_flag": { "drop": true }, "tier": { "to": "loyalty_tier" } },
    "defaults": { "preferred_channel": "voice" },
    "targets": { "cxone": { "attributes": { "tier": { "to": "loyalty_tier" } } }, "cognigy": { "onlyMapped": false } }
  }`);

  it('accounts for every key exactly once on both targets', () => {
    const cx = resolveMappingFor(mapping, 'cxone');
    const cg = resolveMappingFor(mapping, 'cognigy');
    for (const attrs of customers) {
      const keys = Object.keys(attrs);
      const a = toCxoneCustomFields(attrs, SEED_CXONE_FIELD_DEFINITIONS, cx);
      expect(
        accountedKeys(
          keys,
          a.fields.map((f) => f.ident),
          a.skipped,
          cx.rules,
        ).sort(),
      ).toEqual(expectedKeys(keys, cx.rules).sort());
      // annual_spend is a canonical decimal in the seed: the number check passes, the text is unchanged.
      expect(a.fields.find((f) => f.ident === 'annual_spend')?.value).toBe(attrs.annual_spend);
      const b = toCognigyProfile(attrs, SEED_COGNIGY_SCHEMA, cg);
      expect(accountedKeys(keys, Object.keys(b.profile), b.skipped, cg.rules).sort()).toEqual(
        expectedKeys(keys, cg.rules).sort(),
      );
      // Cognigy takes whole numbers only: a seed decimal with cents is skipped, never rounded.
      expect(b.profile.annual_spend).toBe(
        Number.isInteger(Number(attrs.annual_spend)) ? Number(attrs.annual_spend) : undefined,
      );
    }
  });
});

describe('typed external-contact custom fields (seed) through a mapping', () => {
  const mapping = parseMapping(`{
    "attributes": {
      "loyalty_tier_text": { "to": "loyalty_tier" },
      "annual_spend_number": { "to": "annual_spend", "type": "number" },
      "visits_integer": { "to": "visits", "type": "number" },
      "opted_in_checkbox": { "to": "opted_in", "type": "boolean" },
      "member_since_date": { "to": "birthday", "type": "date" }
    }
  }`);

  it('writes canonical text to CXone and typed values to Cognigy', () => {
    for (const contact of seed.genesys.externalContacts) {
      const attrs = attributeMap(Object.entries(contact.customFields) as [string, AttributeValue][]);
      const f = contact.customFields;

      const cx = toCxoneCustomFields(attrs, SEED_CXONE_FIELD_DEFINITIONS, mapping);
      expect(cx.fields).toEqual([
        { ident: 'loyalty_tier', value: f.loyalty_tier_text },
        { ident: 'annual_spend', value: String(f.annual_spend_number) },
        { ident: 'opted_in', value: String(f.opted_in_checkbox) },
      ]);
      expect(cx.skipped).toEqual([
        { key: 'visits_integer', reason: 'no custom field visits (from visits_integer) in CXone' },
        { key: 'member_since_date', reason: 'no custom field birthday (from member_since_date) in CXone' },
      ]);

      const cg = toCognigyProfile(attrs, SEED_COGNIGY_SCHEMA, mapping);
      // Cognigy number fields take whole numbers only: a spend with cents is skipped, never rounded.
      const whole = Number.isInteger(f.annual_spend_number);
      expect({ ...cg.profile }).toEqual({
        loyalty_tier: f.loyalty_tier_text,
        ...(whole ? { annual_spend: f.annual_spend_number } : {}),
        visits: f.visits_integer,
        opted_in: f.opted_in_checkbox,
        birthday: f.member_since_date,
      });
      expect(cg.skipped).toEqual(
        whole ? [] : [{ key: 'annual_spend_number', reason: expect.stringMatching(/is not a whole number/) }],
      );
    }
  });
});
