// How the command line prints results: the same words and exit statuses as the CLI.
import {
  coverageSentence,
  type ErrorKind,
  errorKindOfClassName,
  formatProgress,
  type SyncResult,
} from '@cx-profile-sync/core';
import type { BackfillStatus } from './shared.js';

/** One line of progress: the core's, so that it reads as the CLI's `backfill` prints it. */
export { formatProgress };

export function formatBackfill(s: BackfillStatus): string[] {
  const lines = [
    `Back-fill ${s.since}/${s.until} (${s.phase}, ${s.runs} runs): ${formatProgress(s.progress)}`,
  ];
  for (const f of s.progress.failures)
    lines.push(`  failed ${f.customer} (${f.target ?? 'source'}): ${f.kind}: ${f.message}`);
  const sentence = coverageSentence(s.progress);
  if (sentence) lines.push(sentence);
  return lines;
}

/**
 * A finished back-fill's exit status, as the CLI's: 6 when a customer failed, 7 when Genesys Cloud's
 * analytics data did not reach the end of the window yet (`progress.remaining`), else 0.
 */
export function backfillExitCode(s: BackfillStatus): number {
  if (s.progress.outcomes.failed > 0 || (s.progress.retried?.failed ?? 0) > 0) return 6;
  return s.progress.remaining ? 7 : 0;
}

export function formatSyncResult(r: SyncResult): string[] {
  const who = r.source.identity.email ?? r.source.identity.phone ?? r.source.id;
  const lines = [`${r.source.kind} ${r.source.id} (${who}): ${r.source.attributeCount} attributes`];
  for (const t of r.targets) {
    const parts = [`  ${t.target}: ${t.outcome}${t.created ? ' (created)' : ''}`];
    if (t.customerId) parts.push(`customer ${t.customerId}`);
    parts.push(
      `${Object.keys(t.written).length} written, ${t.unchanged.length} unchanged, ${t.skipped.length} skipped`,
    );
    if (t.reason) parts.push(t.reason);
    if (t.error) parts.push(`${t.error.kind}: ${t.error.message}`);
    lines.push(parts.join(', '));
  }
  return lines;
}

/** The error kind of a failure type (an error class name), transient for Temporal's own failures. */
export function kindOfFailureType(type: string | undefined): ErrorKind {
  return errorKindOfClassName(type) ?? 'transient';
}
