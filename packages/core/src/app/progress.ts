import type { BackfillProgress } from '../sync/backfill.js';

/** One line of a back-fill's progress, the same in the CLI and the worker. */
export function formatProgress(p: BackfillProgress): string {
  const o = p.outcomes;
  return `pages ${p.pages}, conversations ${p.conversations}, customers ${p.customers}: updated ${o.updated}, unchanged ${o.unchanged}, not found ${o['customer-not-found']}, failed ${o.failed}${o['dry-run'] ? `, dry-run ${o['dry-run']}` : ''}`;
}
