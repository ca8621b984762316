import { describe, expect, it } from 'vitest';
import { emptyProgress, recordResult } from '../sync/backfill.js';
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

  it('adds the skipped count (consent) only when there is one, and reads an older progress without it', () => {
    const p = emptyProgress();
    Object.assign(p.outcomes, { updated: 2, unchanged: 1, skipped: 3 });
    expect(formatProgress(p)).toBe(
      'pages 0, conversations 0, customers 0: updated 2, unchanged 1, skipped 3, not found 0, failed 0',
    );
    const older = emptyProgress() as { outcomes: Record<string, number> };
    delete older.outcomes.skipped;
    expect(formatProgress(older as ReturnType<typeof emptyProgress>)).toBe(
      'pages 0, conversations 0, customers 0: updated 0, unchanged 0, not found 0, failed 0',
    );
  });

  it('recordResult counts skipped, also on a progress carried from before the outcome existed', () => {
    const older = emptyProgress() as { outcomes: Record<string, number> };
    delete older.outcomes.skipped;
    const p = older as ReturnType<typeof emptyProgress>;
    const result = (outcome: 'skipped' | 'updated') => ({
      source: { kind: 'conversation' as const, id: 'c1', identity: {}, attributeCount: 0 },
      targets: [{ target: 'cognigy', outcome, written: {}, unchanged: [], skipped: [] }],
    });
    recordResult(p, result('skipped'), 'k1');
    recordResult(p, result('skipped'), 'k2');
    recordResult(p, result('updated'), 'k3');
    expect(p.outcomes).toMatchObject({ skipped: 2, updated: 1 });
    expect(p.customers).toBe(3);
  });
});
