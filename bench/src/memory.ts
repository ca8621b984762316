import { emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import type { CliPathResult, CliPathSettings } from './child.js';
import { runChild } from './processes.js';
import type { MemoryReport } from './types.js';

/**
 * The same customers at every size, each with more conversations: the back-fill grows (conversations,
 * analytics pages, customer syncs: one a customer a page) while the emulators' data per request stays
 * the same, so that the larger run measures the back-fill and not slower emulators.
 */
const CUSTOMERS = 100;

/**
 * Peak memory of the back-fill's process at each size, with the emulators' limits and latency off
 * (and the client's limits off) so that it finishes: memory, not speed, is measured here.
 */
export async function measureMemory(sizes: number[], log: (line: string) => void): Promise<MemoryReport> {
  const runs: MemoryReport['runs'] = [];
  for (const conversations of sizes) {
    const customers = CUSTOMERS;
    const emu = await startEmulators({
      customers,
      conversationsPerCustomer: Math.ceil(conversations / CUSTOMERS),
      limits: false,
      requestLogSize: 0,
      // The sample data whole: the analytics watermark is not what is measured.
      genesys: { watermark: 'none', jobDelayMs: 50 },
    });
    try {
      const end = Date.parse(emu.seed.options.conversationsEnd);
      const settings: CliPathSettings = {
        env: { ...emulatorEnv(emu.urls), CX_RATE_LIMITS: 'off' },
        since: new Date(end - (emu.seed.options.days + 1) * 86_400_000).toISOString(),
        until: new Date(end + 86_400_000).toISOString(),
        targets: 'all',
        concurrency: 16,
      };
      const out = await runChild<CliPathResult>('cli', settings);
      const r = out.result;
      runs.push({
        conversations: r.conversations,
        customers,
        syncs: r.customers,
        elapsedS: r.elapsedMs / 1000,
        peakRssMb: out.maxRssKb / 1024,
      });
      log(
        `memory: ${r.conversations} conversations, ${r.customers} customer syncs in ${(r.elapsedMs / 1000).toFixed(1)} s, peak ${(out.maxRssKb / 1024).toFixed(0)} MB`,
      );
    } finally {
      await emu.stop();
    }
  }
  const small = runs[0];
  const large = runs[runs.length - 1];
  return {
    ran: true,
    subject: "the CLI back-fill's process (the core's backfill(), both targets)",
    runs,
    ...(small && large && runs.length > 1
      ? { growth: (large.peakRssMb - small.peakRssMb) / small.peakRssMb }
      : {}),
  };
}
