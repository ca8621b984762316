import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors/errors.js';
import { checkProfileSize, profileBytes } from './size.js';

describe('the Cognigy profile size cap', () => {
  it('counts the bytes of compact JSON, UTF-8', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
        expect(profileBytes(o)).toBe(new TextEncoder().encode(JSON.stringify(o)).length);
      }),
    );
    expect(profileBytes({ a: 'é' })).toBe(10);
  });

  it('accepts a profile of exactly the cap and refuses one byte more, naming the field', () => {
    const current = { a: 'x' };
    const size = profileBytes({ ...current, b: '' });
    expect(() => checkProfileSize(current, { b: '' }, size)).not.toThrow();
    let caught: unknown;
    try {
      checkProfileSize(current, { b: 'y' }, size);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).fields).toEqual([
      {
        field: 'profile.b',
        message: `would make the stored profile ${size + 1} bytes of JSON, more than the ${size} Cognigy.AI stores`,
      },
    ]);
  });

  it('counts a replaced value once, and names the change that crossed the cap', () => {
    const current = { big: 'x'.repeat(100) };
    // Replacing the big value with a small one makes room.
    expect(() => checkProfileSize(current, { big: '', other: 'y'.repeat(90) }, 120)).not.toThrow();
    expect(() => checkProfileSize(current, { small: 1, other: 'y'.repeat(50) }, 120)).toThrow(
      /^Cognigy\.AI: profile field other would make the stored profile/,
    );
  });
});
