import { isSyncError } from './errors/errors.js';
import type { Platform } from './platforms.js';
import type { CheckStepSpec } from './registry.js';
import { exitCodeForKind } from './sync/result.js';

/** One step of `check`: what was tried, whether it worked, and what to fix. */
export interface CheckStep {
  platform: Platform;
  step: string;
  ok: boolean;
  message: string;
  /** The CLI's exit status for this failure. */
  exitCode?: number;
}

/** Runs one platform's check steps in order, stopping at the first that fails. */
export async function runChecks(platform: Platform, specs: CheckStepSpec[]): Promise<CheckStep[]> {
  const steps: CheckStep[] = [];
  for (const { step, run } of specs) {
    try {
      steps.push({ platform, step, ok: true, message: await run() });
    } catch (e) {
      if (!isSyncError(e)) throw e;
      steps.push({ platform, step, ok: false, message: e.message, exitCode: exitCodeForKind(e.kind) });
      break;
    }
  }
  return steps;
}
