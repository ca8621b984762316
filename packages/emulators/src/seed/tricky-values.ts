/**
 * Attribute values that break naive converters (the tutorial's float()/lower() inference). Every seed
 * customer carries some of them, so tests and benchmarks meet them all.
 */
export const TRICKY_VALUES = {
  leadingZeros: ['00123', '007', '0000042'],
  plusPrefixed: ['+4412', '+1', '+0049'],
  exponent: ['1e5', '2E10', '1e-3'],
  notANumber: ['NaN', 'Infinity', '-Infinity'],
  paddedNumber: [' 42', '42 ', '\t7'],
  booleanish: ['TRUE', 'false', 'True', 'FALSE', 'yes'],
  pastSafeInteger: ['9007199254740993', '12345678901234567890', '-9007199254740993'],
  isoDateTime: ['2026-10-30T12:34:56Z', '2026-10-30T12:34:56.789+02:00'],
  isoDate: ['1990-05-17', '2001-12-31'],
  empty: [''],
  nonLatin: ['Zoë Ñandú', '山田 太郎', 'Дмитрий', 'محمد', '🙂 emoji'],
} as const;

/** A string of exactly `length` characters, deterministic from `index`. */
export function longText(length: number, index: number): string {
  const unit = `note-${index}-lorem ipsum dolor sit amet; `;
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}
