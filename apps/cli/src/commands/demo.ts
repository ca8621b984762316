import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createSyncServices,
  IntakeMetrics,
  loadConfig,
  type Outcome,
  openSyncLedger,
  startIntakeServer,
  startProcessor,
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
      live: { type: 'boolean', default: false },
    },
  });
  if (values.live) return runLiveDemo();
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

/** What the live demo's IVR sets, one attribute at a time, for each of its callers. */
const IVR_STEPS: [string, (i: number) => string][] = [
  ['loyalty_tier', (i) => ['gold', 'platinum', 'silver'][i % 3]!],
  ['promo_code', (i) => `LIVE-${100 + i}`],
  ['preferred_channel', (i) => ['sms', 'email', 'voice'][i % 3]!],
];

/**
 * Live sync, in one process: the emulators publish Genesys Cloud events to an EventBridge API
 * destination pointing at the intake (what `serve` runs); an IVR sets three attributes on five
 * callers' conversations; each customer's NICE profiles follow once their burst is over, printed as
 * they land.
 */
async function runLiveDemo(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'cx-live-demo-'));
  const emulators = await startEmulators({ customers: 20 });
  const env = { ...emulatorEnv(emulators.urls), CX_LEDGER: join(dir, 'ledger.sqlite') };
  const services = createSyncServices(loadConfig(env));
  const ledger = (await openSyncLedger(env, services))!;
  const metrics = new IntakeMetrics(async () => ({}));
  const key = 'demo-key';
  const server = await startIntakeServer({ sink: ledger.store.inbox, metrics, key });
  const callers = emulators.seed.customers.filter((c) => c.cxoneCustomerId).slice(0, 5);
  const pending = new Set(callers.map((c) => `conversation:${c.conversationIds.at(-1)}`));
  let done: () => void = () => undefined;
  const allSynced = new Promise<void>((resolve) => {
    done = resolve;
  });
  const processor = startProcessor({
    services,
    inbox: ledger.store.inbox,
    ledger: ledger.sync,
    metrics,
    onSynced: (batch, result) => {
      const lag = ((Date.now() - Date.parse(batch.newestEventTime)) / 1000).toFixed(1);
      const parts = result.targets.map(
        (t) => `${t.target} ${t.outcome} (${Object.keys(t.written).join(', ') || 'nothing'})`,
      );
      console.log(
        `  synced ${batch.subjectKey}: ${batch.eventIds.length} events → ${parts.join(' | ')}, ${lag} s after its last event`,
      );
      pending.delete(batch.subjectKey);
      if (pending.size === 0) done();
    },
    onFailed: (batch, message) => console.log(`  ${batch.subjectKey}: ${message} (tried again)`),
  });
  try {
    console.log(
      `Intake at ${server.urls.intakeUrl}; Genesys Cloud (emulated) sends it its events as an EventBridge API destination.`,
    );
    const registered = await fetch(`${emulators.urls.genesys.apiUrl}/__admin/event-destinations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: server.urls.intakeUrl, apiKey: key }),
    });
    if (registered.status !== 201)
      throw new Error(`the emulator refused the destination (${registered.status})`);
    // Synced once before (as a back-fill would): the ledger knows them, so a change costs its write only.
    const targets = services.targets('all');
    for (const c of callers)
      await syncCustomer(
        await services.genesys.customerFromConversation(c.conversationIds.at(-1)!),
        targets,
        {
          ledger: ledger.sync,
        },
      );
    console.log(`${callers.length} callers synced once before (the ledger knows their profiles).`);
    console.log(
      `An IVR sets ${IVR_STEPS.length} attributes, one by one, on ${callers.length} callers' conversations:`,
    );
    for (const [step, [name, value]] of IVR_STEPS.entries()) {
      for (const [i, c] of callers.entries()) {
        const conversationId = c.conversationIds.at(-1)!;
        const participant = emulators.state.genesys.conversations
          .get(conversationId)!
          .participants.find((p) => p.purpose === 'customer')!;
        emulators.state.genesys.patchParticipantAttributes(conversationId, participant.id, {
          [name]: value(i),
        });
        if (step === 0) console.log(`  conversation ${conversationId}: ${name}=${value(i)} …`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000).unref());
    if ((await Promise.race([allSynced, timeout])) === 'timeout') {
      console.log(`Not synced within 30 s: ${[...pending].join(', ')}`);
      return 6;
    }
    for (const c of callers) {
      const fields = emulators.state.cxone.customers.get(c.cxoneCustomerId!)!.customFields;
      console.log(
        `  CXone customer ${c.cxoneCustomerId}: ${IVR_STEPS.map(([n]) => `${n}=${fields.get(n)?.value}`).join(', ')}`,
      );
    }
    console.log("Every caller's NICE profile follows what the IVR set.");
    return 0;
  } finally {
    await server.close();
    await processor.stop();
    services.close();
    await ledger.store.close();
    await emulators.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
