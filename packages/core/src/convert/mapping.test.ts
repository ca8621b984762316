import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/errors.js';
import { attributeMap } from '../sources/types.js';
import { jsonErrorOffset, parseMapping, resolveMappingFor, validateMapping } from './mapping.js';
import { planConversion } from './plan.js';

const EXAMPLE = `{
  "attributes": { "annual_spend": { "type": "number" }, "internal_flag": { "drop": true }, "tier": { "to": "loyalty_tier" } },
  "defaults": { "preferred_channel": "voice" },
  "targets": { "cxone": { "attributes": { "tier": { "to": "loyalty_tier" } } }, "cognigy": { "onlyMapped": false } }
}`;

/** The message of the ConfigurationError `f` throws. */
function configurationError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return (e as ConfigurationError).message;
  }
  throw new Error('expected a ConfigurationError');
}

describe('parseMapping', () => {
  it('reads the example and resolves it per target', () => {
    const mapping = parseMapping(EXAMPLE, 'mapping.json');
    const cxone = resolveMappingFor(mapping, 'cxone');
    expect(cxone.target).toBe('cxone');
    expect(cxone.onlyMapped).toBe(false);
    expect({ ...cxone.rules }).toEqual({
      annual_spend: { drop: false, type: 'number' },
      internal_flag: { drop: true },
      tier: { drop: false, to: 'loyalty_tier' },
      preferred_channel: { drop: false, default: 'voice' },
    });
    const cognigy = resolveMappingFor(mapping, 'cognigy');
    expect(cognigy.onlyMapped).toBe(false);
    expect(cognigy.rules.tier).toEqual({ drop: false, to: 'loyalty_tier' });
  });

  it('merges a target section over the common one, field by field', () => {
    const mapping = validateMapping({
      attributes: { a: { type: 'number', to: 'x' }, b: { drop: true }, c: { default: 'common' } },
      defaults: { d: 'common-d' },
      onlyMapped: true,
      targets: {
        cxone: {
          attributes: { a: { to: 'y' }, b: { drop: false, to: 'bee' }, c: { default: 'cxone' } },
          defaults: { d: 'cxone-d' },
          onlyMapped: false,
        },
      },
    });
    const cxone = resolveMappingFor(mapping, 'cxone');
    expect({ ...cxone.rules }).toEqual({
      a: { drop: false, type: 'number', to: 'y' },
      b: { drop: false, to: 'bee' },
      c: { drop: false, default: 'cxone' },
      d: { drop: false, default: 'cxone-d' },
    });
    expect(cxone.onlyMapped).toBe(false);
    const cognigy = resolveMappingFor(mapping, 'cognigy');
    expect({ ...cognigy.rules }).toEqual({
      a: { drop: false, type: 'number', to: 'x' },
      b: { drop: true },
      c: { drop: false, default: 'common' },
      d: { drop: false, default: 'common-d' },
    });
    expect(cognigy.onlyMapped).toBe(true);
  });

  it("within a section, a rule's default wins over defaults", () => {
    const mapping = validateMapping({ attributes: { a: { default: 'rule' } }, defaults: { a: 'defaults' } });
    expect(resolveMappingFor(mapping, 'cxone').rules.a).toEqual({ drop: false, default: 'rule' });
  });

  it('treats __proto__ and constructor in attributes as attribute names', () => {
    const mapping = parseMapping(
      '{"attributes":{"__proto__":{"to":"proto_field"},"constructor":{"drop":true}},"defaults":{"toString":"x"}}',
    );
    expect(Object.keys(mapping.attributes)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(mapping.attributes)).toBeNull();
    const rules = resolveMappingFor(mapping, 'cognigy').rules;
    expect(Object.keys(rules)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(rules, '__proto__')?.value).toEqual({
      drop: false,
      to: 'proto_field',
    });
    expect(({} as Record<string, unknown>).to).toBeUndefined();
    expect(({} as Record<string, unknown>).drop).toBeUndefined();
  });

  it('accepts an empty mapping', () => {
    const mapping = parseMapping('{}');
    expect(resolveMappingFor(mapping, 'cxone')).toEqual({ target: 'cxone', rules: {}, onlyMapped: false });
  });

  it.each([
    ['{\n  "attributes": {\n    "a": }\n}', 'line 3, column 10'],
    ['{"a":1', 'line 1, column 7'],
    ['{"attributes": {"a": {"to": "x",}}}', 'line 1, column 33'],
    ['[1,]', 'line 1, column 4'],
    ['{"a": 1}\n x', 'line 2, column 2'],
    ['', 'line 1, column 1'],
    ['{"a": "\u0001"}', 'line 1, column 8'],
  ])('bad JSON %j → ConfigurationError at %s', (text, where) => {
    const message = configurationError(() => parseMapping(text, 'mapping.json'));
    expect(message).toContain('The mapping file mapping.json is not valid JSON');
    expect(message).toContain(where);
  });

  it('jsonErrorOffset finds nothing in valid JSON', () => {
    for (const text of ['{}', '[]', '{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"]}', ' 42 ']) {
      expect(jsonErrorOffset(text)).toBeUndefined();
    }
  });

  it.each([
    [
      '{"attributes":{"annual_spend":{"type":"money"}}}',
      'mapping.attributes.annual_spend.type: must be one of string, number, boolean, date, datetime, object',
    ],
    ['[]', 'mapping: must be an object, not an array'],
    ['"x"', 'mapping: must be an object, not a string'],
    [
      '{"attribute":{}}',
      'mapping.attribute: unknown key (expected one of attributes, defaults, onlyMapped, targets)',
    ],
    ['{"attributes":[]}', 'mapping.attributes: must be an object, not an array'],
    [
      '{"attributes":{"a":"b"}}',
      'mapping.attributes.a: must be an object with any of to, drop, type, default',
    ],
    [
      '{"attributes":{"a":{"rename":"b"}}}',
      'mapping.attributes.a.rename: unknown key (expected one of to, drop, type, default)',
    ],
    ['{"attributes":{"a":{"to":""}}}', 'mapping.attributes.a.to: must be a non-empty string'],
    ['{"attributes":{"a":{"to":3}}}', 'mapping.attributes.a.to: must be a non-empty string'],
    ['{"attributes":{"a":{"drop":"yes"}}}', 'mapping.attributes.a.drop: must be true or false'],
    [
      '{"attributes":{"a":{"default":null}}}',
      'mapping.attributes.a.default: must be a string, number, boolean, object or array, not null',
    ],
    [
      '{"attributes":{"a":{"drop":true,"to":"b"}}}',
      'mapping.attributes.a: drop: true cannot be combined with to, type or default',
    ],
    ['{"attributes":{"a b":{"type":"x"}}}', 'mapping.attributes["a b"].type: must be one of'],
    ['{"attributes":{"__proto__":{"type":"x"}}}', 'mapping.attributes.__proto__.type: must be one of'],
    [
      '{"attributes":{"a":{"type":"number","default":"1e5"}}}',
      'mapping.attributes.a.default: does not read as number: it uses exponent notation',
    ],
    [
      '{"attributes":{"a":{"type":"number"}},"targets":{"cognigy":{"defaults":{"a":"x"}}}}',
      'mapping.targets.cognigy.defaults.a: does not read as number',
    ],
    ['{"defaults":[]}', 'mapping.defaults: must be an object, not an array'],
    [
      '{"defaults":{"a":null}}',
      'mapping.defaults.a: must be a string, number, boolean, object or array, not null',
    ],
    ['{"onlyMapped":"true"}', 'mapping.onlyMapped: must be true or false'],
    ['{"targets":[]}', 'mapping.targets: must be an object, not an array'],
    ['{"targets":{"genesys":{}}}', 'mapping.targets.genesys: unknown key (expected one of cxone, cognigy)'],
    ['{"targets":{"cxone":3}}', 'mapping.targets.cxone: must be an object, not a number'],
    [
      '{"targets":{"cxone":{"targets":{}}}}',
      'mapping.targets.cxone.targets: unknown key (expected one of attributes, defaults, onlyMapped)',
    ],
    [
      '{"targets":{"cognigy":{"attributes":{"a":{"type":"int"}}}}}',
      'mapping.targets.cognigy.attributes.a.type: must be one of',
    ],
    ['{"targets":{"cxone":{"onlyMapped":1}}}', 'mapping.targets.cxone.onlyMapped: must be true or false'],
    [
      '{"attributes":{"a":{"to":"x"},"b":{"to":"x"}}}',
      'mapping.attributes.b.to: for cxone both "a" and "b" map to "x"',
    ],
    [
      '{"attributes":{"a":{"to":"x"}},"targets":{"cognigy":{"attributes":{"b":{"to":"x"}}}}}',
      'mapping.targets.cognigy.attributes.b.to: for cognigy both "a" and "b" map to "x"',
    ],
    [
      '{"attributes":{"a":{"drop":true}},"targets":{"cxone":{"attributes":{"a":{"to":"x"}}}}}',
      'mapping.targets.cxone.attributes.a: for cxone the attribute is dropped but also given to, type or default',
    ],
    [
      '{"attributes":{"a":{"drop":true}},"defaults":{"a":"x"}}',
      'mapping.attributes.a: for cxone the attribute is dropped but also given to, type or default',
    ],
  ])('%s → %s', (text, expected) => {
    const message = configurationError(() => parseMapping(text, 'mapping.json'));
    expect(message).toContain('The mapping file mapping.json is not valid:');
    expect(message).toContain(expected);
  });

  it('lists every problem at once, each once', () => {
    const message = configurationError(() =>
      parseMapping('{"attributes":{"a":{"type":"x"},"b":{"to":1}},"onlyMapped":"no","extra":1}'),
    );
    const lines = message.split('\n').slice(1);
    expect(lines).toEqual([
      '  - mapping.extra: unknown key (expected one of attributes, defaults, onlyMapped, targets)',
      '  - mapping.attributes.a.type: must be one of string, number, boolean, date, datetime, object',
      '  - mapping.attributes.b.to: must be a non-empty string',
      '  - mapping.onlyMapped: must be true or false',
    ]);
  });
});

describe('planConversion', () => {
  const attrs = attributeMap([
    ['annual_spend', '12500.50'],
    ['internal_flag', 'x'],
    ['tier', 'gold'],
    ['loyalty_tier', 'silver'],
    ['preferred_channel', ''],
    ['notes', 'n'],
  ]);

  it('without a mapping, plans every key to the field of the same name', () => {
    const { planned, skipped } = planConversion(attrs, undefined);
    expect(skipped).toEqual([]);
    expect(planned.map((p) => [p.key, p.target, p.value])).toEqual([
      ['annual_spend', 'annual_spend', '12500.50'],
      ['internal_flag', 'internal_flag', 'x'],
      ['tier', 'tier', 'gold'],
      ['loyalty_tier', 'loyalty_tier', 'silver'],
      ['preferred_channel', 'preferred_channel', ''],
      ['notes', 'notes', 'n'],
    ]);
  });

  it('applies drop, rename, type and defaults; an explicit rename wins a field', () => {
    const mapping = resolveMappingFor(parseMapping(EXAMPLE), 'cxone');
    const { planned, skipped } = planConversion(attrs, mapping);
    expect(planned).toEqual([
      { key: 'annual_spend', target: 'annual_spend', value: '12500.50', type: 'number', fromDefault: false },
      { key: 'tier', target: 'loyalty_tier', value: 'gold', fromDefault: false },
      { key: 'preferred_channel', target: 'preferred_channel', value: 'voice', fromDefault: true },
      { key: 'notes', target: 'notes', value: 'n', fromDefault: false },
    ]);
    expect(skipped).toEqual([
      { key: 'internal_flag', reason: 'dropped by mapping' },
      { key: 'loyalty_tier', reason: 'field loyalty_tier already takes the value of tier (mapping)' },
    ]);
  });

  it('an explicit rename wins a field even over a same-name attribute that comes first', () => {
    const mapping = resolveMappingFor(
      validateMapping({ attributes: { tier: { to: 'loyalty_tier' } } }),
      'cxone',
    );
    const { planned, skipped } = planConversion(
      attributeMap([
        ['loyalty_tier', 'silver'],
        ['tier', 'gold'],
      ]),
      mapping,
    );
    expect(planned.map((p) => [p.key, p.target, p.value])).toEqual([['tier', 'loyalty_tier', 'gold']]);
    expect(skipped).toEqual([
      { key: 'loyalty_tier', reason: 'field loyalty_tier already takes the value of tier (mapping)' },
    ]);
  });

  it('uses a default for a missing or null attribute, not for a present one', () => {
    const mapping = resolveMappingFor(validateMapping({ defaults: { a: 'A', b: 'B', c: 'C' } }), 'cognigy');
    const { planned } = planConversion(
      attributeMap([
        ['b', null],
        ['c', 'own'],
      ]),
      mapping,
    );
    expect(planned.map((p) => [p.key, p.value, p.fromDefault])).toEqual([
      ['b', 'B', true],
      ['c', 'own', false],
      ['a', 'A', true],
    ]);
  });

  it('onlyMapped skips attributes the mapping does not name', () => {
    const mapping = resolveMappingFor(
      validateMapping({ onlyMapped: true, attributes: { tier: {} }, defaults: { notes: 'x' } }),
      'cxone',
    );
    const { planned, skipped } = planConversion(attrs, mapping);
    expect(planned.map((p) => p.key)).toEqual(['tier', 'notes']);
    expect(skipped.map((s) => s.key)).toEqual([
      'annual_spend',
      'internal_flag',
      'loyalty_tier',
      'preferred_channel',
    ]);
    expect(new Set(skipped.map((s) => s.reason))).toEqual(new Set(['not in the mapping (onlyMapped is on)']));
  });
});
