import { parseArgs } from 'node:util';
import {
  createSyncServices,
  loadConfig,
  type Outcome,
  syncCustomer,
  type TargetName,
} from '@cx-profile-sync/core';
import { emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { UsageError } from '../usage.js';

/**
 * Starts the emulators (documented limits on) and syncs each sample customer's latest conversation to
 * both targets, a few at a time, printing a line per customer and a summary.
 */
export async function runDemo(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '50' },
      concurrency: { type: 'string', default: '8' },
      json: { type: 'boolean', default: false },
    },
  });
  const customers = Number(values.customers);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(customers) || customers < 1)
    throw new UsageError('--customers must be a positive integer');
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError('--concurrency must be a positive integer');

  const emulators = await startEmulators({ customers });
  const services = createSyncServices(loadConfig(emulatorEnv(emulators.urls)));
  const started = Date.now();
  const tally: Record<TargetName, Partial<Record<Outcome, number>>> = {};
  const results: unknown[] = [];
  try {
    const targets = services.targets('all');
    const queue = emulators.seed.customers.map((c) => c.conversationIds.at(-1)!);
    const worker = async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        const customer = await services.genesys.customerFromConversation(id);
        const result = await syncCustomer(customer, targets);
        results.push(result);
        for (const t of result.targets) {
          tally[t.target] ??= {};
          const counts = tally[t.target]!;
          counts[t.outcome] = (counts[t.outcome] ?? 0) + 1;
        }
        if (!values.json) {
          const who = customer.identity.email ?? customer.identity.phone ?? id;
          const parts = result.targets.map(
            (t) =>
              `${t.target} ${t.outcome}${t.created ? ' (created)' : ''} ${Object.keys(t.written).length} written, ${t.skipped.length} skipped`,
          );
          console.log(`${who.padEnd(40)} ${parts.join(' | ')}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    services.close();
    await emulators.stop();
  }
  const seconds = (Date.now() - started) / 1000;
  if (values.json) {
    console.log(JSON.stringify({ customers, seconds, outcomes: tally, results }));
  } else {
    console.log(`\nSynced ${customers} customers in ${seconds.toFixed(1)} s`);
    for (const [target, outcomes] of Object.entries(tally)) {
      console.log(
        `  ${target.padEnd(8)} ${Object.entries(outcomes)
          .map(([o, n]) => `${o}: ${n}`)
          .join(', ')}`,
      );
    }
  }
  const failed = Object.values(tally).some((o) => (o.failed ?? 0) > 0);
  return failed ? 6 : 0;
}
