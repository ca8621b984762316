import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMapping, resolveMappingFor } from '../../convert/mapping.js';
import {
  accountedKeys,
  expectedKeys,
  PROTOTYPE_KEYS,
  SEED_CXONE_FIELD_DEFINITIONS,
} from '../../convert/test-helpers.js';
import { type AttributeMap, type AttributeValue, attributeMap } from '../../sources/types.js';
import { matchListValue, toCxoneCustomFields } from './convert.js';
import type { CxoneFieldDefinition } from './types.js';

const DEFS = SEED_CXONE_FIELD_DEFINITIONS;

/** Converts one attribute; returns what was written or the skip reason. */
function one(key: string, value: AttributeValue, definitions: CxoneFieldDefinition[] = DEFS) {
  const r = toCxoneCustomFields(attributeMap([[key, value]]), definitions);
  expect(r.fields.length + r.skipped.length).toBe(1);
  return r.fields[0] ? { value: r.fields[0].value } : { skipped: r.skipped[0]!.reason };
}

describe('toCxoneCustomFields: text fields take the string exactly', () => {
  it.each([
    ['account_number', '00123'],
    ['account_number', '0000042'],
    ['phone_ext', '+4412'],
    ['phone_ext', '+0049'],
    ['promo_code', '1e5'],
    ['promo_code', '2E10'],
    ['risk_score', 'NaN'],
    ['risk_score', 'Infinity'],
    ['risk_score', ' 42'],
    ['risk_score', '\t7'],
    ['annual_spend', '12500.50'],
    ['annual_spend', '9007199254740993'],
    ['last_purchase_at', '2026-10-30T12:34:56.789+02:00'],
    ['notes', ''],
    ['display_name', 'Zoë Ñandú'],
    ['display_name', '山田 太郎'],
    ['display_name', 'محمد'],
    ['display_name', '🙂 emoji'],
    ['display_name', 'TRUE'],
    ['notes', '{"newsletter":true}'],
    ['long_note', 'x'.repeat(1024)],
  ])('%s %j → written unchanged', (key, value) => {
    expect(one(key, value)).toEqual({ value });
  });

  it.each([
    [12500.5, '12500.5'],
    [42, '42'],
    [1e-7, '0.0000001'],
    [true, 'true'],
    [false, 'false'],
    [{ newsletter: true }, '{"newsletter":true}'],
    [['a', 1], '["a",1]'],
  ])('a typed %j becomes %j', (value, text) => {
    expect(one('notes', value)).toEqual({ value: text });
  });

  it.each([
    ['x'.repeat(1025), /1025 characters, more than CXone's 1024 \(never truncated\)/],
    ['🙂'.repeat(513), /1026 characters/],
    [{ note: 'x'.repeat(1020) }, /more than CXone's 1024/],
    [null, /custom field notes: no value \(null\)/],
    [Number.NaN, /not a finite number/],
  ])('%j → skipped', (value, reason) => {
    expect(one('notes', value).skipped).toMatch(reason);
  });
});

describe('toCxoneCustomFields: email fields', () => {
  it('writes a valid address unchanged', () => {
    expect(one('contact_email', 'contact7@example.org')).toEqual({ value: 'contact7@example.org' });
  });

  it.each([
    ['not-an-email', 'custom field contact_email takes an e-mail address, and the value has no @'],
    ['', 'custom field contact_email takes an e-mail address, and the value is empty, not an e-mail address'],
    [
      ' a@example.org',
      'custom field contact_email takes an e-mail address, and the value has leading or trailing whitespace',
    ],
    [
      'a@localhost',
      'custom field contact_email takes an e-mail address, and the value has a domain without a dot',
    ],
    [42, 'custom field contact_email takes an e-mail address, and the value has no @'],
  ])('%j → skipped: %s', (value, reason) => {
    expect(one('contact_email', value)).toEqual({ skipped: reason });
  });
});

describe('toCxoneCustomFields: list fields', () => {
  it.each([
    ['loyalty_tier', 'gold', 'gold'],
    ['loyalty_tier', 'GOLD', 'gold'],
    ['loyalty_tier', 'Gold', 'gold'],
    ['preferred_channel', 'voice', 'voice'],
    ['opted_in', 'true', 'true'],
    ['opted_in', 'TRUE', 'true'],
    ['opted_in', 'True', 'true'],
    ['opted_in', 'false', 'false'],
    ['opted_in', 'FALSE', 'false'],
    ['opted_in', 'Yes', 'true'],
    ['opted_in', 'No', 'false'],
    ['opted_in', true, 'true'],
    ['opted_in', false, 'false'],
  ])('%s %j → %j', (key, value, written) => {
    expect(one(key, value)).toEqual({ value: written });
  });

  it.each([
    [
      'loyalty_tier',
      'diamond',
      'custom field loyalty_tier is a list, and the value is not one of its values (bronze, silver, gold, platinum)',
    ],
    [
      'loyalty_tier',
      ' gold',
      'custom field loyalty_tier is a list, and the value is not one of its values (bronze, silver, gold, platinum)',
    ],
    [
      'loyalty_tier',
      '',
      'custom field loyalty_tier is a list, and the value is not one of its values (bronze, silver, gold, platinum)',
    ],
    [
      'opted_in',
      'yes',
      'custom field opted_in is a list, and the value is not one of its values (true, false)',
    ],
    [
      'opted_in',
      '1',
      'custom field opted_in is a list, and the value is not one of its values (true, false)',
    ],
  ])('%s %j → skipped', (key, value, reason) => {
    expect(one(key, value)).toEqual({ skipped: reason });
  });

  it('matches a value exactly, then ignoring case when only one matches, then a display name', () => {
    const values = [
      { name: 'Alpha', value: 'ab' },
      { name: 'Beta', value: 'AB' },
      { name: 'Gamma', value: 'g' },
    ];
    expect(matchListValue(values, 'ab')).toEqual({ ok: true, value: 'ab' });
    expect(matchListValue(values, 'AB')).toEqual({ ok: true, value: 'AB' });
    expect(matchListValue(values, 'G')).toEqual({ ok: true, value: 'g' });
    expect(matchListValue(values, 'Beta')).toEqual({ ok: true, value: 'AB' });
    expect(matchListValue(values, 'Ab')).toEqual({
      ok: false,
      reason: 'matches more than one of its values when case is ignored',
    });
    expect(matchListValue(values, 'beta').ok).toBe(false);
  });

  it('names only the first 20 values of a long list', () => {
    const values = Array.from({ length: 25 }, (_, i) => ({ name: `N${i}`, value: `v${i}` }));
    const r = matchListValue(values, 'nope');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/\(v0, v1, .*, v19, …\)$/);
  });
});

describe('toCxoneCustomFields: fields CXone does not take', () => {
  it.each([
    ['big_account_id', '9007199254740993', 'no custom field big_account_id in CXone'],
    ['birthday', '1990-05-17', 'no custom field birthday in CXone'],
    ['preferences', '{"newsletter":true}', 'no custom field preferences in CXone'],
    ['__proto__', 'proto-1', 'no custom field __proto__ in CXone'],
    ['constructor', 'ctor-1', 'no custom field constructor in CXone'],
    ['crm_id', 'CRM-1', 'custom field crm_id is read-only in CXone (isEditable: false)'],
  ])('%s → skipped: %s', (key, value, reason) => {
    expect(one(key, value)).toEqual({ skipped: reason });
  });

  it('skips a field type it does not know', () => {
    const defs = [
      { ident: 'd', label: 'D', type: 'date', isRequired: false, isEditable: true },
    ] as unknown as CxoneFieldDefinition[];
    expect(one('d', '2026-01-01', defs)).toEqual({
      skipped: 'custom field d has type date, which this sync does not write',
    });
  });

  it('writes a tree field’s node (a root or a child) and refuses a value outside the tree', () => {
    const tree = DEFS.find((d) => d.type === 'tree')!;
    expect(tree.values!.some((v) => v.parentId !== undefined)).toBe(true);
    expect(one(tree.ident, 'europe')).toEqual({ value: 'europe' });
    expect(one(tree.ident, 'EUROPE-UK')).toEqual({ value: 'europe-uk' });
    expect(one(tree.ident, 'United Kingdom')).toEqual({ value: 'europe-uk' });
    expect(one(tree.ident, 'asia')).toEqual({
      skipped: expect.stringMatching(
        /^custom field home_region is a tree, and the value is not one of its values \(europe, /,
      ),
    });
  });

  it('skips only the attribute of an unknown type: the customer’s other fields are written', () => {
    const defs = [
      ...DEFS,
      { ident: 'geo', label: 'Geo', type: 'geo-point', isRequired: false, isEditable: true },
    ] as CxoneFieldDefinition[];
    const r = toCxoneCustomFields(
      attributeMap([
        ['geo', '51.5,-0.1'],
        ['loyalty_tier', 'gold'],
      ]),
      defs,
    );
    expect(r.fields).toEqual([{ ident: 'loyalty_tier', value: 'gold' }]);
    expect(r.skipped).toEqual([
      { key: 'geo', reason: 'custom field geo has type geo-point, which this sync does not write' },
    ]);
  });
});

describe('toCxoneCustomFields with a mapping', () => {
  const mapping = parseMapping(`{
    "attributes": {
      "annual_spend": { "type": "number" },
      "internal_flag": { "drop": true },
      "tier": { "to": "loyalty_tier" },
      "promo_code": { "type": "number" },
      "last_purchase_at": { "type": "datetime" },
      "opted_in": { "type": "boolean" }
    },
    "defaults": { "preferred_channel": "voice" },
    "targets": { "cxone": { "attributes": { "tier": { "to": "loyalty_tier" } } }, "cognigy": { "onlyMapped": false } }
  }`);

  it('renames, drops, checks types, fills defaults; writes the source text unchanged', () => {
    const attrs = attributeMap([
      ['annual_spend', '12500.50'],
      ['internal_flag', 'secret'],
      ['tier', 'Gold'],
      ['promo_code', '1e5'],
      ['last_purchase_at', '2026-10-30T12:34:56Z'],
      ['opted_in', 'yes'],
      ['preferred_channel', ''],
    ]);
    const r = toCxoneCustomFields(attrs, DEFS, mapping);
    expect(r.fields).toEqual([
      { ident: 'annual_spend', value: '12500.50' },
      { ident: 'loyalty_tier', value: 'gold' },
      { ident: 'last_purchase_at', value: '2026-10-30T12:34:56Z' },
      { ident: 'preferred_channel', value: 'voice' },
    ]);
    expect(r.skipped).toEqual([
      { key: 'internal_flag', reason: 'dropped by mapping' },
      {
        key: 'promo_code',
        reason:
          'custom field promo_code: the mapping reads it as number, and the value uses exponent notation (not canonical decimal notation)',
      },
      {
        key: 'opted_in',
        reason:
          'custom field opted_in: the mapping reads it as boolean, and the value is not "true" or "false"',
      },
    ]);
  });

  it('names the target and the source in reasons for a renamed attribute', () => {
    const m = parseMapping('{"attributes":{"tier":{"to":"tier_level"}}}');
    const r = toCxoneCustomFields(attributeMap([['tier', 'gold']]), DEFS, resolveMappingFor(m, 'cxone'));
    expect(r.skipped).toEqual([{ key: 'tier', reason: 'no custom field tier_level (from tier) in CXone' }]);
  });

  it('refuses a mapping resolved for the other target', () => {
    expect(() => toCxoneCustomFields(attributeMap(), DEFS, resolveMappingFor(mapping, 'cognigy'))).toThrow(
      /resolved for cognigy/,
    );
  });
});

describe('toCxoneCustomFields: prototype keys are ordinary keys', () => {
  it('writes fields named __proto__, constructor, toString, hasOwnProperty', () => {
    const defs: CxoneFieldDefinition[] = PROTOTYPE_KEYS.map((ident) => ({
      ident,
      label: ident,
      type: 'text',
      isRequired: false,
      isEditable: true,
    }));
    const attrs = attributeMap(PROTOTYPE_KEYS.map((k) => [k, `v-${k}`]));
    const r = toCxoneCustomFields(attrs, defs);
    expect(r.skipped).toEqual([]);
    expect(r.fields).toEqual(PROTOTYPE_KEYS.map((k) => ({ ident: k, value: `v-${k}` })));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('does not read inherited properties of a plain object as attributes', () => {
    const plain: AttributeMap = { a: 'gold' };
    const r = toCxoneCustomFields(plain, DEFS);
    expect(r.skipped).toEqual([{ key: 'a', reason: 'no custom field a in CXone' }]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const keyArb = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS, ...DEFS.map((d) => d.ident), 'polluted', ''),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const stringArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.oneof(fc.constant('a'), loneSurrogate), maxLength: 8 }),
  fc.constantFrom('00123', '+4412', '1e5', 'NaN', 'Infinity', ' 42', 'TRUE', 'yes', '', 'diamond', 'Gold'),
  fc.string({ maxLength: 1100, minLength: 1000 }),
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

describe('toCxoneCustomFields properties', () => {
  it('never throws, and accounts for every key exactly once (no mapping)', () => {
    fc.assert(
      fc.property(fc.oneof(stringMapArb, anyMapArb), (attrs) => {
        const r = toCxoneCustomFields(attrs, DEFS);
        const accounted = [...r.fields.map((f) => f.ident), ...r.skipped.map((s) => s.key)].sort();
        expect(accounted).toEqual(Object.keys(attrs).sort());
        for (const s of r.skipped) expect(s.reason.length).toBeGreaterThan(0);
        for (const f of r.fields) expect(f.value.length).toBeLessThanOrEqual(1024);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
    );
  });

  it('never changes a string written to a text field', () => {
    fc.assert(
      fc.property(stringMapArb, (attrs) => {
        const r = toCxoneCustomFields(attrs, DEFS);
        for (const f of r.fields) {
          const definition = DEFS.find((d) => d.ident === f.ident)!;
          if (definition.type === 'text' || definition.type === 'email') expect(f.value).toBe(attrs[f.ident]);
          else expect(definition.values!.map((v) => v.value)).toContain(f.value);
        }
      }),
    );
  });

  it('with a mapping: never throws, every key accounted for exactly once', () => {
    const mapping = resolveMappingFor(
      parseMapping(
        '{"attributes":{"constructor":{"drop":true},"__proto__":{"to":"notes"},"tier":{"to":"loyalty_tier","type":"string"},"annual_spend":{"type":"number"}},"defaults":{"toString":"x","notes":"n"}}',
      ),
      'cxone',
    );
    fc.assert(
      fc.property(anyMapArb, (attrs) => {
        const r = toCxoneCustomFields(attrs, DEFS, mapping);
        const keys = Object.keys(attrs);
        const accounted = accountedKeys(
          keys,
          r.fields.map((f) => f.ident),
          r.skipped,
          mapping.rules,
        );
        expect(accounted.sort()).toEqual(expectedKeys(keys, mapping.rules).sort());
        if (keys.includes('constructor')) {
          expect(r.skipped).toContainEqual({ key: 'constructor', reason: 'dropped by mapping' });
        }
      }),
    );
  });
});
