import { describe, expect, it } from 'vitest';
import { coverageOf, coverageSentence, coveredWhole } from './coverage.js';

const SINCE = '2026-11-28T00:00:00.000Z';
const UNTIL = '2026-11-29T12:00:00.000Z';

describe('back-fill coverage against the analytics watermark', () => {
  it('covers the whole window when the watermark is at or after its end, or unknown', () => {
    for (const w of [UNTIL, '2026-11-30T00:00:00Z', undefined]) {
      const c = coverageOf(SINCE, UNTIL, w);
      expect(c).toEqual({ coveredUntil: UNTIL });
      expect(coveredWhole(c)).toBe(true);
      expect(coverageSentence(c)).toBeUndefined();
    }
  });

  it('ends at the watermark inside the window and says what is left', () => {
    const c = coverageOf(SINCE, UNTIL, '2026-11-29T09:00:00Z');
    expect(c).toEqual({
      coveredUntil: '2026-11-29T09:00:00.000Z',
      remaining: { since: '2026-11-29T09:00:00.000Z', until: UNTIL },
      dataAvailabilityDate: '2026-11-29T09:00:00.000Z',
    });
    expect(coveredWhole(c)).toBe(false);
    expect(coverageSentence(c)).toBe(
      "Genesys Cloud's analytics data reaches 2026-11-29T09:00:00.000Z: conversations after it were not synced; run again later for the rest (2026-11-29T09:00:00.000Z/2026-11-29T12:00:00.000Z)",
    );
  });

  it('covers nothing when the watermark is before the window', () => {
    const c = coverageOf(SINCE, UNTIL, '2026-11-27T09:00:00Z');
    expect(c).toEqual({
      coveredUntil: SINCE,
      remaining: { since: SINCE, until: UNTIL },
      dataAvailabilityDate: '2026-11-27T09:00:00.000Z',
    });
    expect(coverageSentence(c)).toMatch(/^Genesys Cloud's analytics data reaches 2026-11-27T09:00:00.000Z: /);
  });
});
