import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMapping, resolveMappingFor } from '../../convert/mapping.js';
import {
  accountedKeys,
  expectedKeys,
  PROTOTYPE_KEYS,
  SEED_COGNIGY_SCHEMA,
} from '../../convert/test-helpers.js';
import { type AttributeValue, attributeMap } from '../../sources/types.js';
import { toCognigyProfile, withSchemaSpelling } from './convert.js';
import type { CognigySchemaEntry } from './types.js';

const SCHEMA = SEED_COGNIGY_SCHEMA;

/** Converts one attribute; returns what was written or the skip reason. */
function one(key: string, value: AttributeValue, schema: CognigySchemaEntry[] = SCHEMA) {
  const r = toCognigyProfile(attributeMap([[key, value]]), schema);
  const written = Object.keys(r.profile);
  expect(written.length + r.skipped.length).toBe(1);
  return written.length === 1 ? { value: r.profile[key] } : { skipped: r.skipped[0]!.reason };
}

describe('toCognigyProfile: string fields take the string exactly', () => {
  it.each([
    ['account_number', '00123'],
    ['account_number', '007'],
    ['promo_code', '1e5'],
    ['promo_code', '1e-3'],
    ['loyalty_tier', 'diamond'],
    ['loyalty_tier', ''],
    ['birthday', '1990-05-17'],
    ['last_purchase_at', '2026-10-30T12:34:56.789+02:00'],
    ['display_name', 'Zoë Ñandú'],
    ['display_name', '山田 太郎'],
    ['display_name', 'Дмитрий'],
    ['display_name', '🙂 emoji'],
    ['display_name', ' padded '],
    ['email', 'not-an-email'],
    ['firstname', 'x'.repeat(5000)],
  ])('%s %j → unchanged', (key, value) => {
    expect(one(key, value)).toEqual({ value });
  });

  it.each([
    [42, '42'],
    [12500.5, '12500.5'],
    [true, 'true'],
    [{ a: 1 }, '{"a":1}'],
  ])('a typed %j becomes %j', (value, text) => {
    expect(one('display_name', value)).toEqual({ value: text });
  });
});

describe('toCognigyProfile: number fields read strictly', () => {
  it.each([
    ['annual_spend', '21481.00', 21481],
    ['annual_spend', '12500', 12500],
    ['annual_spend', 12500, 12500],
    ['risk_score', '42', 42],
    ['risk_score', '-7', -7],
    ['visits', '0', 0],
    ['big_account_id', '9007199254740991', 9007199254740991],
    ['big_account_id', 9007199254740991, 9007199254740991],
  ])('%s %j → %d', (key, value, n) => {
    expect(one(key, value)).toEqual({ value: n });
  });

  it.each([
    [
      'visits',
      '00123',
      'field visits is a number in Cognigy, and the value has leading zeros, which a number would lose',
    ],
    [
      'visits',
      '+4412',
      'field visits is a number in Cognigy, and the value starts with a plus sign (not canonical decimal notation)',
    ],
    [
      'visits',
      '1e5',
      'field visits is a number in Cognigy, and the value uses exponent notation (not canonical decimal notation)',
    ],
    [
      'risk_score',
      'NaN',
      'field risk_score is a number in Cognigy, and the value is not a finite number (NaN or Infinity)',
    ],
    [
      'risk_score',
      'Infinity',
      'field risk_score is a number in Cognigy, and the value is not a finite number (NaN or Infinity)',
    ],
    [
      'risk_score',
      '-Infinity',
      'field risk_score is a number in Cognigy, and the value is not a finite number (NaN or Infinity)',
    ],
    [
      'risk_score',
      ' 42',
      'field risk_score is a number in Cognigy, and the value has leading or trailing whitespace',
    ],
    [
      'risk_score',
      '42 ',
      'field risk_score is a number in Cognigy, and the value has leading or trailing whitespace',
    ],
    ['risk_score', '', 'field risk_score is a number in Cognigy, and the value is empty, not a number'],
    [
      'annual_spend',
      '1234.56',
      'field annual_spend is a number in Cognigy, and the value is not a whole number (Cognigy number fields take whole numbers only; it is not rounded)',
    ],
    [
      'annual_spend',
      '0.1',
      'field annual_spend is a number in Cognigy, and the value is not a whole number (Cognigy number fields take whole numbers only; it is not rounded)',
    ],
    [
      'annual_spend',
      12500.5,
      'field annual_spend is a number in Cognigy, and the value is not a whole number (Cognigy number fields take whole numbers only; it is not rounded)',
    ],
    [
      'big_account_id',
      '9007199254740993',
      'field big_account_id is a number in Cognigy, and the value is beyond ±9007199254740991 (2^53 − 1) and would lose precision',
    ],
    [
      'big_account_id',
      '-9007199254740993',
      'field big_account_id is a number in Cognigy, and the value is beyond ±9007199254740991 (2^53 − 1) and would lose precision',
    ],
    [
      'big_account_id',
      9007199254740992,
      'field big_account_id is a number in Cognigy, and the value is beyond ±9007199254740991 (2^53 − 1)',
    ],
    [
      'annual_spend',
      true,
      'field annual_spend is a number in Cognigy, and the value is a boolean, not a number',
    ],
    [
      'annual_spend',
      'TRUE',
      'field annual_spend is a number in Cognigy, and the value is not a number in canonical decimal notation',
    ],
  ])('%s %j → skipped', (key, value, reason) => {
    expect(one(key, value)).toEqual({ skipped: reason });
  });
});

describe('toCognigyProfile: boolean fields', () => {
  it.each([
    ['TRUE', true],
    ['True', true],
    ['true', true],
    ['false', false],
    ['FALSE', false],
    [true, true],
    [false, false],
  ])('%j → %s', (value, b) => {
    expect(one('opted_in', value)).toEqual({ value: b });
  });

  it.each([['yes'], ['1'], [''], [' true'], [1]])('%j → skipped', (value) => {
    expect(one('opted_in', value).skipped).toMatch(/^field opted_in is a boolean in Cognigy, and the value /);
  });
});

describe('toCognigyProfile: object fields', () => {
  it('parses the JSON text of an object', () => {
    expect(one('preferences', '{"newsletter":true,"language":"en"}')).toEqual({
      value: { newsletter: true, language: 'en' },
    });
    expect(one('goals', '["save"]')).toEqual({ value: ['save'] });
    expect(one('goals', ['save'])).toEqual({ value: ['save'] });
  });

  it.each([['not json'], ['{'], ['"quoted"'], ['42'], [''], [42]])('%j → skipped', (value) => {
    expect(one('preferences', value).skipped).toMatch(
      /^field preferences is an object in Cognigy, and the value /,
    );
  });
});

describe('toCognigyProfile: fields Cognigy does not take', () => {
  it.each([
    ['preferred_channel', 'voice', 'no field preferred_channel in the Cognigy profile schema'],
    ['long_note', 'x', 'no field long_note in the Cognigy profile schema'],
    ['__proto__', 'proto-1', 'no field __proto__ in the Cognigy profile schema'],
    ['constructor', 'ctor-1', 'no field constructor in the Cognigy profile schema'],
    ['display_name', null, 'field display_name: no value (null)'],
  ])('%s → skipped: %s', (key, value, reason) => {
    expect(one(key, value)).toEqual({ skipped: reason });
  });
});

describe('toCognigyProfile with a mapping', () => {
  it('applies the mapping type first; it must agree with the schema type', () => {
    const mapping = parseMapping(`{
      "attributes": {
        "annual_spend": { "type": "number" },
        "birthday": { "type": "date" },
        "last_purchase_at": { "type": "datetime" },
        "account_number": { "type": "number" },
        "visits": { "type": "string" },
        "preferences": { "type": "object" },
        "internal_flag": { "drop": true },
        "tier": { "to": "loyalty_tier" }
      },
      "defaults": { "opted_in": "false" }
    }`);
    const attrs = attributeMap([
      ['annual_spend', '12500.00'],
      ['birthday', '2023-02-29'],
      ['last_purchase_at', '2026-10-30T12:34:56Z'],
      ['account_number', '00123'],
      ['visits', '12'],
      ['preferences', '{"a":1}'],
      ['internal_flag', 'x'],
      ['tier', 'gold'],
      ['loyalty_tier', 'silver'],
    ]);
    const r = toCognigyProfile(attrs, SCHEMA, mapping);
    expect({ ...r.profile }).toEqual({
      annual_spend: 12500,
      last_purchase_at: '2026-10-30T12:34:56Z',
      preferences: { a: 1 },
      loyalty_tier: 'gold',
      opted_in: false,
    });
    expect(r.skipped).toEqual([
      { key: 'internal_flag', reason: 'dropped by mapping' },
      { key: 'loyalty_tier', reason: 'field loyalty_tier already takes the value of tier (mapping)' },
      {
        key: 'birthday',
        reason: 'field birthday: the mapping reads it as date, and the value is not an ISO date (YYYY-MM-DD)',
      },
      {
        key: 'account_number',
        reason:
          'field account_number: the mapping type number does not agree with the Cognigy schema type string',
      },
      {
        key: 'visits',
        reason: 'field visits: the mapping type string does not agree with the Cognigy schema type number',
      },
    ]);
  });

  it('uses the cognigy section over the common one', () => {
    const mapping = parseMapping(
      '{"onlyMapped":true,"attributes":{"tier":{"to":"loyalty_tier"}},"targets":{"cognigy":{"onlyMapped":false,"attributes":{"tier":{"to":"display_name"}}}}}',
    );
    const r = toCognigyProfile(
      attributeMap([
        ['tier', 'gold'],
        ['visits', '3'],
      ]),
      SCHEMA,
      mapping,
    );
    expect({ ...r.profile }).toEqual({ display_name: 'gold', visits: 3 });
    expect(r.skipped).toEqual([]);
    const cx = resolveMappingFor(mapping, 'cxone');
    expect(cx.onlyMapped).toBe(true);
  });
});

describe('toCognigyProfile: prototype keys are ordinary keys', () => {
  it('writes them as own keys of a null-prototype profile, polluting nothing', () => {
    const schema: CognigySchemaEntry[] = PROTOTYPE_KEYS.map((internal) => ({
      field: internal,
      internal,
      type: 'object',
    }));
    const attrs = attributeMap(
      PROTOTYPE_KEYS.map((k) => [k, '{"polluted":"yes","__proto__":{"polluted":"yes"}}']),
    );
    const r = toCognigyProfile(attrs, schema);
    expect(r.skipped).toEqual([]);
    expect(Object.getPrototypeOf(r.profile)).toBeNull();
    expect(Object.keys(r.profile)).toEqual(PROTOTYPE_KEYS);
    for (const k of PROTOTYPE_KEYS) {
      expect(Object.getOwnPropertyDescriptor(r.profile, k)?.value).toEqual(
        JSON.parse('{"polluted":"yes","__proto__":{"polluted":"yes"}}'),
      );
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The body sent to Cognigy carries them as plain JSON keys.
    expect(JSON.stringify(r.profile)).toMatch(
      /^\{"__proto__":\{"polluted":"yes","__proto__":\{"polluted":"yes"\}\},"constructor":\{/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const keyArb = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS, ...SCHEMA.map((e) => e.internal), 'polluted', ''),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const stringArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.oneof(fc.constant('a'), loneSurrogate), maxLength: 8 }),
  fc.constantFrom(
    '00123',
    '+4412',
    '1e5',
    'NaN',
    'Infinity',
    ' 42',
    'TRUE',
    'yes',
    '',
    '9007199254740993',
    '{"a":1}',
  ),
  fc.double().map(String),
  fc.json(),
);
const stringMapArb = fc
  .array(fc.tuple(keyArb, stringArb), { maxLength: 25 })
  .map((entries) => attributeMap(entries));
const valueArb: fc.Arbitrary<AttributeValue> = fc.oneof(
  stringArb,
  fc.jsonValue() as fc.Arbitrary<AttributeValue>,
);
const anyMapArb = fc
  .array(fc.tuple(keyArb, valueArb), { maxLength: 25 })
  .map((entries) => attributeMap(entries));

describe('toCognigyProfile properties', () => {
  it('never throws, and accounts for every key exactly once (no mapping)', () => {
    fc.assert(
      fc.property(fc.oneof(stringMapArb, anyMapArb), (attrs) => {
        const r = toCognigyProfile(attrs, SCHEMA);
        const accounted = [...Object.keys(r.profile), ...r.skipped.map((s) => s.key)].sort();
        expect(accounted).toEqual(Object.keys(attrs).sort());
        expect(Object.getPrototypeOf(r.profile)).toBeNull();
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
    );
  });

  it('writes values of the schema type; never changes a string written to a string field', () => {
    fc.assert(
      fc.property(stringMapArb, (attrs) => {
        const r = toCognigyProfile(attrs, SCHEMA);
        for (const key of Object.keys(r.profile)) {
          const entry = SCHEMA.find((e) => e.internal === key)!;
          const value = r.profile[key];
          if (entry.type === 'string') expect(value).toBe(attrs[key]);
          else if (entry.type === 'number') {
            expect(Number.isSafeInteger(value) || (typeof value === 'number' && Number.isFinite(value))).toBe(
              true,
            );
            expect(Math.abs(value as number)).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
          } else if (entry.type === 'boolean') expect(typeof value).toBe('boolean');
          else expect(typeof value).toBe('object');
        }
      }),
    );
  });

  it('with a mapping: never throws, every key accounted for exactly once', () => {
    const mapping = resolveMappingFor(
      parseMapping(
        '{"attributes":{"hasOwnProperty":{"drop":true},"constructor":{"to":"display_name"},"visits":{"type":"number","default":"1"},"birthday":{"type":"date"}},"defaults":{"__proto__":"x"}}',
      ),
      'cognigy',
    );
    fc.assert(
      fc.property(anyMapArb, (attrs) => {
        const r = toCognigyProfile(attrs, SCHEMA, mapping);
        const keys = Object.keys(attrs);
        const accounted = accountedKeys(keys, Object.keys(r.profile), r.skipped, mapping.rules);
        expect(accounted.sort()).toEqual(expectedKeys(keys, mapping.rules).sort());
      }),
    );
  });
});

describe('toCognigyProfile: internal names are case-insensitive', () => {
  it("writes an attribute to the schema's field of another case, in the schema's spelling", () => {
    const r = toCognigyProfile(
      attributeMap([
        ['Loyalty_Tier', 'gold'],
        ['VISITS', '3'],
      ]),
      SCHEMA,
    );
    expect({ ...r.profile }).toEqual({ loyalty_tier: 'gold', visits: 3 });
    expect(r.skipped).toEqual([]);
  });

  it('finds a field the schema spells in another case', () => {
    const schema: CognigySchemaEntry[] = [{ field: 'Tier', internal: 'Loyalty_Tier', type: 'string' }];
    const r = toCognigyProfile(attributeMap([['loyalty_tier', 'gold']]), schema);
    expect({ ...r.profile }).toEqual({ Loyalty_Tier: 'gold' });
  });

  it('gives one field one value: the first attribute wins, the other is skipped with a reason', () => {
    const r = toCognigyProfile(
      attributeMap([
        ['loyalty_tier', 'gold'],
        ['Loyalty_Tier', 'silver'],
      ]),
      SCHEMA,
    );
    expect({ ...r.profile }).toEqual({ loyalty_tier: 'gold' });
    expect(r.skipped).toEqual([
      {
        key: 'Loyalty_Tier',
        reason: 'field loyalty_tier already takes the value of loyalty_tier (names differ only in case)',
      },
    ]);
  });

  it('reads a stored profile in the schema spelling', () => {
    const stored = withSchemaSpelling({ Loyalty_Tier: 'gold', other: 1 }, SCHEMA);
    expect({ ...stored }).toEqual({ loyalty_tier: 'gold', other: 1 });
  });
});
