import { exitCodeForKind } from '@cx-profile-sync/core';
import { queryProgress, rootCause, type TemporalClient } from '../client.js';
import { formatProgress, kindOfFailureType } from '../report.js';
import type { BackfillStatus } from '../shared.js';

/**
 * Waits for a back-fill, printing its progress to stderr whenever it changes. Its final status, or
 * the exit status of its failure (said on stderr).
 */
export async function waitWithProgress(
  c: TemporalClient,
  workflowId: string,
  result: () => Promise<BackfillStatus>,
  quiet: boolean,
  intervalMs = 1000,
): Promise<BackfillStatus | number> {
  let settled = false;
  const done = result().finally(() => {
    settled = true;
  });
  done.catch(() => undefined);
  let last = '';
  while (!settled) {
    await Promise.race([done.catch(() => undefined), new Promise((r) => setTimeout(r, intervalMs))]);
    if (settled || quiet) continue;
    try {
      const s = await queryProgress(c, workflowId);
      const line = `${s.phase}: ${formatProgress(s.progress)}`;
      if (line !== last) console.error(line);
      last = line;
    } catch {
      // Between two runs (continue-as-new) or before the first task: ask again next time.
    }
  }
  try {
    return await done;
  } catch (e) {
    const cause = rootCause(e);
    console.error(`cx-profile-sync-worker: ${workflowId} failed: ${cause.type ?? 'error'}: ${cause.message}`);
    return exitCodeForKind(kindOfFailureType(cause.type));
  }
}
