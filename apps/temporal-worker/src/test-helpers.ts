// Shared by the worker's tests: a real Temporal dev server per test file (from the installed CLI),
// workers as child processes, and the state a back-fill must leave, computed from the seed.
import {
  attributeMap,
  type CustomerOutcome,
  emptyProgress,
  planChanges,
  toCognigyProfile,
  toCxoneCustomFields,
  worstOutcome,
} from '@cx-profile-sync/core';
import {
  COGNIGY_SCHEMA,
  CXONE_FIELD_DEFINITIONS,
  type Emulators,
  emulatorEnv,
  type SeedConversation,
  type SeedData,
} from '@cx-profile-sync/emulators';
import { afterAll, beforeAll } from 'vitest';
import { type DevServer, findTemporalCli, NO_TEMPORAL_CLI, startDevServer } from './temporal-server.js';
import { spawnWorkerProcess, type WorkerProcess } from './worker-process.js';

/**
 * A Temporal dev server for this test file. No installed CLI is a failure with the reason (never a
 * skip, never a download).
 */
export function useTemporal(): () => DevServer {
  let server: DevServer | undefined;
  beforeAll(async () => {
    const cli = findTemporalCli();
    if (!cli) throw new Error(NO_TEMPORAL_CLI);
    server = await startDevServer({ cliPath: cli });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });
  return () => server!;
}

/** The environment of a worker (or the command line) pointed at these emulators and this server. */
export function workerEnv(
  emu: Emulators,
  server: DevServer,
  taskQueue: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...emulatorEnv(emu.urls),
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    CX_RATE_LIMITS: 'off',
    // The emulators forget their state between tests, a worker's ledger would not: a test that
    // wants one names its own file.
    CX_LEDGER: 'off',
    ...extra,
  };
}

/** Starts `node dist/main.js start` and waits until it polls. */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const worker = spawnWorkerProcess(env);
  await worker.ready;
  return worker;
}

export const intervalOf = (seed: SeedData) => ({
  since: new Date(Date.parse(seed.options.conversationsEnd) - seed.options.days * 86_400_000).toISOString(),
  until: new Date(seed.options.conversationsEnd).toISOString(),
});

export interface ExpectedBackfill {
  /** CXone custom fields by customer id. */
  cxone: Map<string, Record<string, string>>;
  /** Cognigy profile (the `profile` object) by seed customer index. */
  cognigy: Map<number, Record<string, unknown>>;
  pages: number;
  conversations: number;
  /** Customer syncs: one per customer per page it appears in. */
  customers: number;
  outcomes: Record<CustomerOutcome, number>;
}

/**
 * What a back-fill of [since, until) with analytics pages of `pageSize` must leave on the targets,
 * simulated from the seed: conversations in the emulator's job order (start time, then id), cut into
 * pages; per page each customer's attributes merged (later conversation wins), converted with the
 * core's converters against the seed schemas, and laid over what the target held. The outcome of
 * each customer sync is derived the same way (unchanged when nothing differs, not found when CXone
 * does not know the customer).
 */
export function expectedBackfill(
  seed: SeedData,
  pageSize: number,
  since: string,
  until: string,
): ExpectedBackfill {
  const from = Date.parse(since);
  const to = Date.parse(until);
  const conversations = seed.genesys.conversations
    .filter((c) => Date.parse(c.startTime) >= from && Date.parse(c.startTime) < to)
    .sort(
      (a, b) => Date.parse(a.startTime) - Date.parse(b.startTime) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  const cxone = new Map<string, Record<string, string>>();
  for (const c of seed.cxone.customers)
    cxone.set(c.id, Object.fromEntries(c.customFields.map((f) => [f.ident, f.value])));
  const cognigy = new Map<number, Record<string, unknown>>();
  for (const c of seed.customers) {
    const p = seed.cognigy.profiles.find((x) => x.id === c.cognigyProfileId);
    if (p) cognigy.set(c.index, structuredClone(p.profile));
  }
  const progress = emptyProgress();
  for (let start = 0; start < conversations.length; start += pageSize) {
    const page = conversations.slice(start, start + pageSize);
    const merged = new Map<number, Record<string, string>>();
    for (const conv of page) {
      const attrs = merged.get(conv.customerIndex) ?? Object.create(null);
      Object.assign(attrs, customerAttributes(conv));
      merged.set(conv.customerIndex, attrs);
    }
    for (const [index, attrs] of merged) {
      const customer = seed.customers[index]!;
      const attributes = attributeMap(Object.entries(attrs));
      let cxoneOutcome: CustomerOutcome = 'customer-not-found';
      if (customer.cxoneCustomerId) {
        const current = cxone.get(customer.cxoneCustomerId)!;
        const values = Object.fromEntries(
          toCxoneCustomFields(attributes, CXONE_FIELD_DEFINITIONS).fields.map((f) => [f.ident, f.value]),
        );
        const { changes } = planChanges(values, current);
        cxoneOutcome = Object.keys(changes).length ? 'updated' : 'unchanged';
        Object.assign(current, changes);
      }
      const profile = toCognigyProfile(attributes, COGNIGY_SCHEMA).profile;
      const current = cognigy.get(index);
      const { changes } = planChanges(profile, current ?? {});
      // A profile whose person asked that no data be collected is skipped (consent), never written.
      const consent = current?.prevent_data_collection === true;
      const cognigyOutcome: CustomerOutcome = consent
        ? 'skipped'
        : Object.keys(changes).length || !current
          ? 'updated'
          : 'unchanged';
      if (!consent) cognigy.set(index, { ...(current ?? {}), ...changes });
      progress.customers++;
      progress.outcomes[worstOutcome([cxoneOutcome, cognigyOutcome])]++;
    }
    progress.pages++;
  }
  return {
    cxone,
    cognigy,
    pages: progress.pages,
    conversations: conversations.length,
    customers: progress.customers,
    outcomes: progress.outcomes,
  };
}

function customerAttributes(conv: SeedConversation): Record<string, string> {
  return conv.participants.find((p) => p.purpose === 'customer')!.attributes;
}

/** CXone custom fields as the emulator holds them now, by customer id. */
export function cxoneFields(emu: Emulators): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const c of emu.state.cxone.customers.values())
    out.set(c.id, Object.fromEntries([...c.customFields].map(([ident, f]) => [ident, f.value])));
  return out;
}

/** The one Cognigy profile of a seed customer (by its e-mail address or phone number). */
export function cognigyProfileOf(emu: Emulators, index: number): Record<string, unknown> | undefined {
  const c = emu.seed.customers[index]!;
  const matches = [...emu.state.cognigy.profiles.values()].filter(
    (p) => p.contactIds.includes(c.email) || p.contactIds.includes(c.phone),
  );
  if (matches.length > 1) throw new Error(`customer ${index} has ${matches.length} Cognigy profiles`);
  return matches[0]?.profile;
}

/** Asserts-friendly: every customer's state on both targets, as plain objects. */
export function targetState(emu: Emulators) {
  const cxone = Object.fromEntries(cxoneFields(emu));
  const cognigy = Object.fromEntries(
    emu.seed.customers.map((c) => [c.index, { ...cognigyProfileOf(emu, c.index) }]),
  );
  return { cxone, cognigy };
}

export function expectedState(e: ExpectedBackfill) {
  return {
    cxone: Object.fromEntries(e.cxone),
    cognigy: Object.fromEntries([...e.cognigy].map(([i, p]) => [i, { ...p }])),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
