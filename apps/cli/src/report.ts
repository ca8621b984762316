import { platformLabel, type SyncResult } from '@cx-profile-sync/core';

function show(value: unknown): string {
  const s = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return s.length > 70 ? `${s.slice(0, 67)}…"` : s;
}

/** What a short reason of a `skipped` target means, for people. */
const SKIP_REASONS: Record<string, string> = {
  consent: 'consent: the profile asks that no data be collected (prevent_data_collection); nothing written',
};

/** A short readable report of one sync (the --json output has everything). */
export function formatResult(result: SyncResult): string {
  const { source } = result;
  const who = [
    source.identity.phone,
    source.identity.email,
    source.identity.externalContactId && `contact ${source.identity.externalContactId}`,
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [
    `Genesys Cloud ${source.kind} ${source.id}: ${source.attributeCount} attributes${who ? ` (${who})` : ''}`,
  ];
  for (const t of result.targets) {
    const id = t.customerId ? ` ${t.customerId}` : '';
    const created = t.created ? ' (profile created)' : '';
    const reason = t.reason && t.outcome === 'skipped' ? (SKIP_REASONS[t.reason] ?? t.reason) : t.reason;
    lines.push(`${platformLabel(t.target)}${id}: ${t.outcome}${created}${reason ? ` — ${reason}` : ''}`);
    if (t.error) lines.push(`  error: ${t.error.message}`);
    const verb = t.outcome === 'dry-run' ? 'would write' : 'written';
    for (const [k, v] of Object.entries(t.written)) lines.push(`  ${verb.padEnd(11)} ${k} = ${show(v)}`);
    if (t.unchanged.length) lines.push(`  ${'unchanged'.padEnd(11)} ${t.unchanged.join(', ')}`);
    for (const s of t.skipped) lines.push(`  ${'skipped'.padEnd(11)} ${s.key}: ${s.reason}`);
  }
  return lines.join('\n');
}
