import { describe, expect, it } from 'vitest';
import { emptyProgress } from '../sync/backfill.js';
import { formatProgress } from './progress.js';

describe('formatProgress', () => {
  it('says pages, conversations, customers and each outcome', () => {
    const p = emptyProgress();
    Object.assign(p, { pages: 2, conversations: 40, customers: 30 });
    Object.assign(p.outcomes, { updated: 20, unchanged: 6, 'customer-not-found': 3, failed: 1 });
    expect(formatProgress(p)).toBe(
      'pages 2, conversations 40, customers 30: updated 20, unchanged 6, not found 3, failed 1',
    );
  });

  it('adds the dry-run count only when there is one', () => {
    const p = emptyProgress();
    p.outcomes['dry-run'] = 5;
    expect(formatProgress(p)).toBe(
      'pages 0, conversations 0, customers 0: updated 0, unchanged 0, not found 0, failed 0, dry-run 5',
    );
  });
});
