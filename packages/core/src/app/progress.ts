import type { BackfillProgress } from '../sync/backfill.js';

/**
 * One line of a back-fill's progress, the same in the CLI and the worker. `skipped` (e.g. consent) and
 * `dry-run` appear only when there are some; a progress carried from before `skipped` existed reads as 0.
 */
export function formatProgress(p: BackfillProgress): string {
  const o = p.outcomes;
  const skipped = o.skipped ? `, skipped ${o.skipped}` : '';
  return `pages ${p.pages}, conversations ${p.conversations}, customers ${p.customers}: updated ${o.updated}, unchanged ${o.unchanged}${skipped}, not found ${o['customer-not-found']}, failed ${o.failed}${o['dry-run'] ? `, dry-run ${o['dry-run']}` : ''}${p.retried ? `; earlier failures retried first: ${p.retried.succeeded} succeeded, ${p.retried.failed} failed again` : ''}`;
}
