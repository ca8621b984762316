/**
 * Strict, safe readers of attribute values. Each one answers `{ok: true, value}` or
 * `{ok: false, reason}` and never throws, whatever it is given.
 *
 * The rule everywhere: a value is converted only when nothing is lost. A string that would change
 * when read as a number ("00123" loses its zeros, "9007199254740993" its last digit) is refused, with
 * a reason that names the rule. Reasons never contain the value itself: attribute values may be
 * personal data, and reasons end up in logs and reports.
 */

import type { AttributeValue } from '../sources/types.js';

export type ReadResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): ReadResult<T> => ({ ok: true, value });
const refuse = <T>(reason: string): ReadResult<T> => ({ ok: false, reason });

/** What a value is, for reasons ("a boolean", "an object"). */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'missing';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return `a ${typeof v}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/** Canonical decimal notation: optional minus, no leading zeros, optional fraction. */
const CANONICAL_DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/**
 * The plain decimal text of a finite number, without exponent notation: 1e-7 → "0.0000001",
 * 1e21 → "1000000000000000000000". The digits are those of `String(n)` (the shortest text that reads
 * back as the same number). -0 → "0".
 */
export function plainDecimal(n: number): string {
  const s = String(n === 0 ? 0 : n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const negative = s.startsWith('-');
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  // Position of the decimal point within `digits` once the exponent is applied.
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  let text: string;
  if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) text = digits + '0'.repeat(point - digits.length);
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${text}` : text;
}

/** A canonical decimal without the fraction's trailing zeros: "12500.50" → "12500.5", "3.00" → "3". */
function withoutTrailingZeros(s: string): string {
  if (!s.includes('.')) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48 /* 0 */) end--;
  if (s.charCodeAt(end - 1) === 46 /* . */) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * Reads a number, strictly. Numbers (from a typed source) pass when finite and within
 * ±(2^53 − 1). Strings pass only in canonical decimal notation (`-?(0|[1-9]\d*)(\.\d+)?`) and only
 * when the number reads back as the same decimal, so no digit is lost:
 * - refused: "" and whitespace (" 42"), leading zeros ("00123"), a plus sign ("+4412"), exponents
 *   ("1e5"), "NaN"/"Infinity", integers past ±(2^53 − 1), decimals with more digits than a double
 *   holds ("0.1000000000000000055"), negative zero ("-0", "-0.0");
 * - accepted, by decision: trailing zeros of a fraction, which carry no value ("12500.50" → 12500.5,
 *   "3.0" → 3). A target that must keep "12500.50" as written takes it as a string.
 */
export function toStrictNumber(v: unknown): ReadResult<number> {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return refuse('is not a finite number');
    if (Math.abs(v) > Number.MAX_SAFE_INTEGER) return refuse('is beyond ±9007199254740991 (2^53 − 1)');
    return ok(v === 0 ? 0 : v);
  }
  if (typeof v !== 'string') return refuse(`is ${describeValue(v)}, not a number`);
  if (v === '') return refuse('is empty, not a number');
  if (v.trim() !== v) return refuse('has leading or trailing whitespace');
  if (!CANONICAL_DECIMAL.test(v)) {
    if (/^[+-]?(NaN|Infinity)$/i.test(v)) return refuse('is not a finite number (NaN or Infinity)');
    if (v.startsWith('+')) return refuse('starts with a plus sign (not canonical decimal notation)');
    if (/^-?\d*\.?\d+[eE][+-]?\d+$/.test(v) || /^-?\d+\.?[eE][+-]?\d+$/.test(v))
      return refuse('uses exponent notation (not canonical decimal notation)');
    if (/^-?0\d/.test(v)) return refuse('has leading zeros, which a number would lose');
    return refuse('is not a number in canonical decimal notation');
  }
  const n = Number(v);
  const canonical = withoutTrailingZeros(v);
  if (canonical === '-0') return refuse('is negative zero, which a number would lose');
  if (!Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER) {
    return refuse('is beyond ±9007199254740991 (2^53 − 1) and would lose precision');
  }
  // Fast path first (conversion runs per attribute of every customer): most numbers print as written.
  if (String(n) !== canonical && plainDecimal(n) !== canonical)
    return refuse('has more digits than a number can hold exactly');
  return ok(n === 0 ? 0 : n);
}

// ---------------------------------------------------------------------------------------------
// Booleans
// ---------------------------------------------------------------------------------------------

/**
 * Reads a boolean: booleans, and the strings "true"/"false" in any case ("TRUE", "False"). Nothing
 * else: not "yes", "1", "", nor " true" with whitespace.
 */
export function toStrictBoolean(v: unknown): ReadResult<boolean> {
  if (typeof v === 'boolean') return ok(v);
  if (typeof v !== 'string') return refuse(`is ${describeValue(v)}, not a boolean`);
  const lower = v.toLowerCase();
  if (lower === 'true') return ok(true);
  if (lower === 'false') return ok(false);
  return refuse('is not "true" or "false"');
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/** An ISO-8601 calendar date, `YYYY-MM-DD`, that exists (2024-02-29 yes, 2023-02-29 no). */
export function isIsoDate(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * An ISO-8601 date-time with its offset: `YYYY-MM-DDTHH:MM[:SS[.fraction]]` then `Z` or `±HH:MM`.
 * The date must exist, hours 00–23, minutes and seconds 00–59 (no leap second), offsets up to
 * ±23:59. A time without an offset is refused: it does not say which instant it is.
 */
export function isIsoDateTime(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE_TIME.exec(s);
  if (m === null || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? '0')];
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[7] !== 'Z' && (Number(m[8]) > 23 || Number(m[9]) > 59)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Objects
// ---------------------------------------------------------------------------------------------

/**
 * Reads an object or array: objects and arrays pass as they are; a string passes when it is the
 * JSON text of an object or array (whitespace around it allowed, as in JSON). `JSON.parse` without a
 * reviver defines every key as the object's own data property, so a `"__proto__"` key stays data and
 * never becomes a prototype.
 */
export function toObjectValue(v: unknown): ReadResult<AttributeValue[] | { [key: string]: AttributeValue }> {
  if (v !== null && typeof v === 'object')
    return ok(v as AttributeValue[] | { [key: string]: AttributeValue });
  if (typeof v !== 'string') return refuse(`is ${describeValue(v)}, not an object`);
  const first = v.trimStart()[0];
  if (first !== '{' && first !== '[') return refuse('is not the JSON text of an object or array');
  try {
    const parsed: unknown = JSON.parse(v);
    if (parsed !== null && typeof parsed === 'object') {
      return ok(parsed as AttributeValue[] | { [key: string]: AttributeValue });
    }
  } catch {
    // Falls through to the refusal below.
  }
  return refuse('is not valid JSON text of an object or array');
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/**
 * The text of a value, for targets that take strings (CXone). Strings are returned exactly as they
 * are (no trimming, no case change). Numbers → plain decimal text (`String`, without exponent
 * notation, so the text reads back with `toStrictNumber`: 1e-7 → "0.0000001"); NaN and Infinity are
 * refused. Booleans → "true"/"false". Objects and arrays → their JSON text. null is refused: it is
 * "no value", not the text "null".
 */
export function toText(v: unknown): ReadResult<string> {
  switch (typeof v) {
    case 'string':
      return ok(v);
    case 'number':
      return Number.isFinite(v) ? ok(plainDecimal(v)) : refuse('is not a finite number');
    case 'boolean':
      return ok(v ? 'true' : 'false');
    case 'object': {
      if (v === null) return refuse('is null (no value)');
      try {
        return ok(JSON.stringify(v));
      } catch {
        return refuse('cannot be written as JSON text');
      }
    }
    default:
      return refuse(`is ${describeValue(v)}, which has no text`);
  }
}

// ---------------------------------------------------------------------------------------------
// E-mail addresses
// ---------------------------------------------------------------------------------------------

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * A pragmatic RFC 5322 check of an address: `local@domain`, as mail systems accept in practice.
 * The local part is dot-separated atoms of letters, digits and ``!#$%&'*+/=?^_`{|}~-`` (no quoted
 * strings, no leading, trailing or double dots; at most 64 characters); the domain is at least two
 * DNS labels (letters, digits, inner hyphens; at most 63 each) whose last is not all digits, and no IP
 * literals; at most 254 characters in all. ASCII only: internationalised addresses are refused.
 * The reason names the rule that failed.
 */
export function checkEmailAddress(v: unknown): ReadResult<string> {
  if (typeof v !== 'string') return refuse(`is ${describeValue(v)}, not an e-mail address`);
  if (v === '') return refuse('is empty, not an e-mail address');
  if (v.trim() !== v) return refuse('has leading or trailing whitespace');
  if (v.length > 254) return refuse('is longer than 254 characters');
  const at = v.lastIndexOf('@');
  if (at < 0) return refuse('has no @');
  const local = v.slice(0, at);
  const domain = v.slice(at + 1);
  if (local === '') return refuse('has nothing before the @');
  if (local.length > 64) return refuse('has more than 64 characters before the @');
  if (!LOCAL_PART.test(local)) {
    return refuse('has characters or dots before the @ that an address may not have');
  }
  if (domain === '') return refuse('has no domain after the @');
  const labels = domain.split('.');
  if (labels.length < 2) return refuse('has a domain without a dot');
  if (!labels.every((l) => DOMAIN_LABEL.test(l))) {
    return refuse('has a domain that is not letters, digits and hyphens between dots');
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) return refuse('has a domain whose last part is all digits');
  return ok(v);
}

// ---------------------------------------------------------------------------------------------
// Reading by a declared type (the mapping file's `type`)
// ---------------------------------------------------------------------------------------------

/** How a mapping says to read a source value. */
export const VALUE_TYPES = ['string', 'number', 'boolean', 'date', 'datetime', 'object'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/**
 * Reads a value as `type`: string → its text (`toText`), number → `toStrictNumber`, boolean →
 * `toStrictBoolean`, date / datetime → the string itself when `isIsoDate` / `isIsoDateTime`,
 * object → `toObjectValue`.
 */
export function readAsType(type: ValueType, v: unknown): ReadResult<AttributeValue> {
  switch (type) {
    case 'string':
      return toText(v);
    case 'number':
      return toStrictNumber(v);
    case 'boolean':
      return toStrictBoolean(v);
    case 'date':
      return isIsoDate(v) ? ok(v as string) : refuse('is not an ISO date (YYYY-MM-DD)');
    case 'datetime':
      return isIsoDateTime(v)
        ? ok(v as string)
        : refuse('is not an ISO date-time with an offset (YYYY-MM-DDTHH:MM:SS±HH:MM or Z)');
    case 'object':
      return toObjectValue(v);
    default:
      return refuse(`cannot be read as ${String(type)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Inference: the fallback when no target schema says what a value is
// ---------------------------------------------------------------------------------------------

export type InferredValue =
  | { kind: 'string'; value: string }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean };

export interface InferOptions {
  /** The target wants a boolean here: then "true"/"false" in any case become booleans. */
  wantBoolean?: boolean;
}

/**
 * The FALLBACK reading of a string attribute, only for when no target schema says what it is. It
 * keeps the string unless it is unambiguously something else:
 * - a number only when the string is exactly the number's own text (`String(n) === s`): "42",
 *   "-3.5". "00123", "+4412", "1e5", "NaN", "Infinity", " 42", "12500.50" (its zero would go) and
 *   integers past 2^53 stay strings;
 * - "true"/"false" (any case) stay strings, unless `wantBoolean` says the target wants a boolean;
 * - ISO dates and date-times are reported as kind 'date'/'datetime' but keep their string;
 * - JSON text stays a string (objects are read only where a schema asks for one).
 */
export function inferValue(s: string, options: InferOptions = {}): InferredValue {
  if (typeof s !== 'string') {
    const text = toText(s);
    return { kind: 'string', value: text.ok ? text.value : '' };
  }
  if (options.wantBoolean) {
    const b = toStrictBoolean(s);
    if (b.ok) return { kind: 'boolean', value: b.value };
  }
  const n = toStrictNumber(s);
  if (n.ok && String(n.value) === s) return { kind: 'number', value: n.value };
  if (isIsoDate(s)) return { kind: 'date', value: s };
  if (isIsoDateTime(s)) return { kind: 'datetime', value: s };
  return { kind: 'string', value: s };
}
