import { parseArgs } from 'node:util';
import {
  type CheckStep,
  createSyncServices,
  isSyncError,
  loadConfig,
  loadDotEnv,
} from '@cx-profile-sync/core';

/** Checks each configured platform's host, credentials and permissions, and says what to fix. */
export async function runCheck(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } } });
  loadDotEnv();
  let services: ReturnType<typeof createSyncServices>;
  try {
    services = createSyncServices(loadConfig(process.env));
  } catch (e) {
    if (!isSyncError(e)) throw e;
    if (values.json)
      console.log(
        JSON.stringify({
          ok: false,
          steps: [{ platform: 'config', step: 'configuration', ok: false, message: e.message }],
        }),
      );
    else console.error(`✗ ${e.message}`);
    return 2;
  }
  try {
    const steps: CheckStep[] = await services.check();
    if (values.json) console.log(JSON.stringify({ ok: steps.every((s) => s.ok), steps }));
    else for (const s of steps) console.log(`${s.ok ? '✓' : '✗'} ${s.platform} ${s.step}: ${s.message}`);
    return Math.max(0, ...steps.map((s) => s.exitCode ?? 0));
  } finally {
    services.close();
  }
}
