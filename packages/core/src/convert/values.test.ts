import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkEmailAddress,
  inferValue,
  isIsoDate,
  isIsoDateTime,
  plainDecimal,
  readAsType,
  toObjectValue,
  toStrictBoolean,
  toStrictNumber,
  toText,
} from './values.js';

describe('toStrictNumber', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['-42', -42],
    ['0.1', 0.1],
    ['-3.25', -3.25],
    ['12500.50', 12500.5],
    ['3.0', 3],
    ['0.000', 0],
    ['0.0000001', 1e-7],
    ['9007199254740991', 9007199254740991],
    ['-9007199254740991', -9007199254740991],
    ['0.30000000000000004', 0.30000000000000004],
  ])('reads %j as %d', (input, expected) => {
    expect(toStrictNumber(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', /empty/],
    ['00123', /leading zeros/],
    ['007', /leading zeros/],
    ['0000042', /leading zeros/],
    ['-01', /leading zeros/],
    ['+4412', /plus sign/],
    ['+0049', /plus sign/],
    ['1e5', /exponent/],
    ['2E10', /exponent/],
    ['1e-3', /exponent/],
    ['1.5e+3', /exponent/],
    ['NaN', /finite/],
    ['Infinity', /finite/],
    ['-Infinity', /finite/],
    [' 42', /whitespace/],
    ['42 ', /whitespace/],
    ['\t7', /whitespace/],
    ['9007199254740992', /2\^53/],
    ['9007199254740993', /2\^53/],
    ['-9007199254740993', /2\^53/],
    ['12345678901234567890', /2\^53/],
    ['0.1000000000000000055511151231257827', /more digits/],
    ['1.00000000000000001', /more digits/],
    ['-0', /negative zero/],
    ['-0.00', /negative zero/],
    ['1.', /canonical/],
    ['.5', /canonical/],
    ['0x1A', /canonical/],
    ['1_000', /canonical/],
    ['1,5', /canonical/],
    ['٤٢', /canonical/],
    ['abc', /canonical/],
  ])('refuses %j (%s)', (input, reason) => {
    const r = toStrictNumber(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('takes typed numbers when finite and safe', () => {
    expect(toStrictNumber(12500.5)).toEqual({ ok: true, value: 12500.5 });
    expect(toStrictNumber(-0)).toEqual({ ok: true, value: 0 });
    expect(toStrictNumber(Number.MAX_SAFE_INTEGER).ok).toBe(true);
    expect(toStrictNumber(Number.MAX_SAFE_INTEGER + 1).ok).toBe(false);
    expect(toStrictNumber(Number.NaN).ok).toBe(false);
    expect(toStrictNumber(Number.POSITIVE_INFINITY).ok).toBe(false);
  });

  it.each([[true], [null], [undefined], [{}], [[1]], [Symbol('s')], [10n]])('refuses %s', (v) => {
    expect(toStrictNumber(v).ok).toBe(false);
  });

  it('accepts exactly the canonical strings that read back as themselves (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = plainDecimal(n);
        const r = toStrictNumber(text);
        if (Math.abs(n) <= Number.MAX_SAFE_INTEGER) expect(r).toEqual({ ok: true, value: n === 0 ? 0 : n });
        else expect(r.ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.stringMatching(/^-?(0|[1-9]\d{0,20})(\.\d{1,20})?$/)),
        (s) => {
          const r = toStrictNumber(s);
          if (r.ok) {
            // Nothing lost: the number's text equals the input up to a fraction's trailing zeros.
            const trimmed = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
            expect(plainDecimal(r.value)).toBe(trimmed);
          }
        },
      ),
    );
  });
});

describe('plainDecimal', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [1e-7, '0.0000001'],
    [-1.5e-7, '-0.00000015'],
    [1e21, '1000000000000000000000'],
    [1.234e21, '1234000000000000000000'],
    [12500.5, '12500.5'],
  ])('%d → %s', (n, text) => {
    expect(plainDecimal(n)).toBe(text);
  });
});

describe('toStrictBoolean', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['True', true],
    ['false', false],
    ['FALSE', false],
    ['False', false],
    [true, true],
    [false, false],
  ])('reads %j as %s', (input, expected) => {
    expect(toStrictBoolean(input)).toEqual({ ok: true, value: expected });
  });

  it.each([['yes'], ['no'], ['1'], ['0'], [''], [' true'], ['true '], ['t'], [1], [0], [null], [{}]])(
    'refuses %j',
    (input) => {
      expect(toStrictBoolean(input).ok).toBe(false);
    },
  );
});

describe('ISO dates', () => {
  it.each([['1990-05-17'], ['2001-12-31'], ['2024-02-29'], ['2000-02-29'], ['0001-01-01']])(
    'date %s',
    (s) => {
      expect(isIsoDate(s)).toBe(true);
      expect(isIsoDateTime(s)).toBe(false);
    },
  );

  it.each([
    ['2023-02-29'],
    ['1900-02-29'],
    ['2026-13-01'],
    ['2026-00-10'],
    ['2026-04-31'],
    ['2026-01-00'],
    ['2026-1-5'],
    ['20260105'],
    [' 2026-01-05'],
    ['2026-01-05 '],
    ['2026-01-05T00:00:00Z'],
  ])('not a date: %j', (s) => {
    expect(isIsoDate(s)).toBe(false);
  });

  it.each([
    ['2026-10-30T12:34:56Z'],
    ['2026-10-30T12:34:56.789+02:00'],
    ['2026-10-30T12:34Z'],
    ['2026-10-30T00:00:00-05:30'],
    ['2024-02-29T23:59:59.123456789Z'],
  ])('date-time %s', (s) => {
    expect(isIsoDateTime(s)).toBe(true);
    expect(isIsoDate(s)).toBe(false);
  });

  it.each([
    ['2026-10-30T12:34:56'],
    ['2026-10-30 12:34:56Z'],
    ['2026-10-30t12:34:56z'],
    ['2026-10-30T24:00:00Z'],
    ['2026-10-30T12:60:00Z'],
    ['2026-10-30T12:00:60Z'],
    ['2026-10-30T12:00:00+2400'],
    ['2026-10-30T12:00:00+24:00'],
    ['2023-02-29T12:00:00Z'],
    ['2026-10-30T12:34:56.Z'],
  ])('not a date-time: %j', (s) => {
    expect(isIsoDateTime(s)).toBe(false);
  });

  it('refuses non-strings', () => {
    expect(isIsoDate(19900517)).toBe(false);
    expect(isIsoDateTime(null)).toBe(false);
  });
});

describe('toObjectValue', () => {
  it('passes objects and arrays as they are', () => {
    const o = { a: 1 };
    const a = [1, 'x'];
    expect(toObjectValue(o)).toEqual({ ok: true, value: o });
    expect(toObjectValue(a)).toEqual({ ok: true, value: a });
  });

  it('parses the JSON text of an object or array', () => {
    expect(toObjectValue('{"newsletter":true,"language":"en"}')).toEqual({
      ok: true,
      value: { newsletter: true, language: 'en' },
    });
    expect(toObjectValue('[1,2]')).toEqual({ ok: true, value: [1, 2] });
    expect(toObjectValue(' {"a":1} ')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('keeps a "__proto__" key as own data, without touching any prototype', () => {
    const r = toObjectValue(
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const value = r.value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(value)).toBe(
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
    );
  });

  it.each([
    ['{'],
    ['{"a":}'],
    ['"text"'],
    ['42'],
    ['true'],
    ['null'],
    [''],
    ['not json'],
    [42],
    [true],
    [null],
  ])('refuses %j', (v) => {
    expect(toObjectValue(v).ok).toBe(false);
  });

  it('does not throw on deeply nested text', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() => toObjectValue(deep)).not.toThrow();
  });
});

describe('toText', () => {
  it('returns strings exactly', () => {
    for (const s of [' 42', 'TRUE', '00123', '', 'Zoë Ñandú', '\u{1F642}', '\ud800']) {
      expect(toText(s)).toEqual({ ok: true, value: s });
    }
  });

  it.each([
    [12500.5, '12500.5'],
    [0, '0'],
    [-0, '0'],
    [1e-7, '0.0000001'],
    [true, 'true'],
    [false, 'false'],
    [{ a: 1 }, '{"a":1}'],
    [[1, 'x'], '[1,"x"]'],
  ])('%j → %j', (v, text) => {
    expect(toText(v)).toEqual({ ok: true, value: text });
  });

  it('refuses null, NaN, Infinity and cyclic objects', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const v of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY, cyclic]) {
      expect(toText(v).ok).toBe(false);
    }
  });
});

describe('checkEmailAddress', () => {
  it.each([
    ['contact7@example.org'],
    ['first.last+tag@sub.example.co.uk'],
    ["o'brien@example.ie"],
    ['x@a-b.io'],
  ])('accepts %s', (s) => {
    expect(checkEmailAddress(s)).toEqual({ ok: true, value: s });
  });

  it.each([
    ['not-an-email', /no @/],
    ['', /empty/],
    [' a@example.org', /whitespace/],
    ['@example.org', /nothing before/],
    ['a@', /no domain/],
    ['a@localhost', /without a dot/],
    ['a..b@example.org', /before the @/],
    ['.a@example.org', /before the @/],
    ['a b@example.org', /before the @/],
    ['a@exa_mple.org', /letters, digits and hyphens/],
    ['a@-example.org', /letters, digits and hyphens/],
    ['a@example..org', /letters, digits and hyphens/],
    ['a@1.2.3.4', /all digits/],
    ['zoë@example.org', /before the @/],
    [`${'a'.repeat(65)}@example.org`, /64/],
    [`a@${'b'.repeat(250)}.org`, /254/],
    [42, /not an e-mail/],
  ])('refuses %j (%s)', (v, reason) => {
    const r = checkEmailAddress(v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('readAsType', () => {
  it('reads each type', () => {
    expect(readAsType('string', 12)).toEqual({ ok: true, value: '12' });
    expect(readAsType('number', '12.50')).toEqual({ ok: true, value: 12.5 });
    expect(readAsType('boolean', 'False')).toEqual({ ok: true, value: false });
    expect(readAsType('date', '1990-05-17')).toEqual({ ok: true, value: '1990-05-17' });
    expect(readAsType('date', '1990-02-30').ok).toBe(false);
    expect(readAsType('datetime', '2026-10-30T12:34:56Z')).toEqual({
      ok: true,
      value: '2026-10-30T12:34:56Z',
    });
    expect(readAsType('datetime', '1990-05-17').ok).toBe(false);
    expect(readAsType('object', '{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });
});

describe('inferValue (the fallback without a schema)', () => {
  it.each([
    ['00123'],
    ['+4412'],
    ['1e5'],
    ['NaN'],
    ['Infinity'],
    ['-Infinity'],
    ['9007199254740993'],
    ['12345678901234567890'],
    [' 42'],
    ['42 '],
    ['12500.50'],
    ['-0'],
    [''],
    ['TRUE'],
    ['false'],
    ['yes'],
    ['{"a":1}'],
    ['Zoë Ñandú'],
    ['not-an-email'],
  ])('keeps %j a string', (s) => {
    expect(inferValue(s)).toEqual({ kind: 'string', value: s });
  });

  it.each([
    ['42', 42],
    ['-3.5', -3.5],
    ['0', 0],
    ['0.1', 0.1],
  ])('reads %j as the number %d (its text is exactly the number)', (s, n) => {
    expect(inferValue(s)).toEqual({ kind: 'number', value: n });
  });

  it('reads booleans only when the target wants one', () => {
    expect(inferValue('TRUE', { wantBoolean: true })).toEqual({ kind: 'boolean', value: true });
    expect(inferValue('False', { wantBoolean: true })).toEqual({ kind: 'boolean', value: false });
    expect(inferValue('yes', { wantBoolean: true })).toEqual({ kind: 'string', value: 'yes' });
  });

  it('recognises ISO dates and keeps their string', () => {
    expect(inferValue('1990-05-17')).toEqual({ kind: 'date', value: '1990-05-17' });
    expect(inferValue('2026-10-30T12:34:56.789+02:00')).toEqual({
      kind: 'datetime',
      value: '2026-10-30T12:34:56.789+02:00',
    });
    expect(inferValue('2023-02-29')).toEqual({ kind: 'string', value: '2023-02-29' });
  });

  it('never loses anything: a string stays the same string, a number reads back as the input (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.double().map(String)),
        fc.boolean(),
        (s, wantBoolean) => {
          const r = inferValue(s, { wantBoolean });
          if (r.kind === 'number') expect(String(r.value)).toBe(s);
          else if (r.kind === 'boolean') expect(s.toLowerCase()).toBe(String(r.value));
          else expect(r.value).toBe(s);
        },
      ),
    );
  });
});

describe('the readers never throw (property)', () => {
  it('on any value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string({ unit: 'binary' }), fc.jsonValue()), (v) => {
        for (const read of [toStrictNumber, toStrictBoolean, toObjectValue, toText, checkEmailAddress]) {
          const r = read(v);
          expect(typeof r.ok).toBe('boolean');
        }
        expect(typeof isIsoDate(v)).toBe('boolean');
        expect(typeof isIsoDateTime(v)).toBe('boolean');
        if (typeof v === 'string') expect(inferValue(v).kind).toBeTypeOf('string');
      }),
    );
  });
});
