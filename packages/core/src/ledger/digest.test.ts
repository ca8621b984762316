import { describe, expect, it } from 'vitest';
import { canonicalJson, digestFields, digestMapping, digestSchema, digestValue } from './digest.js';

describe('digests', () => {
  it('are stable under key order, at every depth', () => {
    const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: 'x' } };
    const b = { a: { x: 'x', y: [1, { p: 2, q: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[1,{"p":2,"q":1}]},"b":1}');
    expect(digestValue(a)).toBe(digestValue(b));
    expect(digestMapping(a)).toBe(digestMapping(b));
    expect(digestSchema(a)).toBe(digestSchema(b));
    expect(digestValue(a)).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
  });

  it('tell values apart (array order, types, undefined members left out)', () => {
    expect(digestValue([1, 2])).not.toBe(digestValue([2, 1]));
    expect(digestValue('1')).not.toBe(digestValue(1));
    expect(digestValue({ a: 1, b: undefined })).toBe(digestValue({ a: 1 }));
    expect(digestValue(undefined)).toBe(digestValue(null));
  });

  it('digest a values map per field', () => {
    const fields = digestFields({ tier: 'gold', score: 3, tags: ['a', 'b'] });
    expect(Object.keys(fields)).toEqual(['tier', 'score', 'tags']);
    expect(fields.tier).toBe(digestValue('gold'));
    expect(fields.tags).toBe(digestValue(['a', 'b']));
  });
});
