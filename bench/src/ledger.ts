/**
 * The sync ledger's back-fills (issue 11), in the same run and against the same emulators as the
 * other paths: one SQLite ledger (a temporary file) through a first back-fill, a second one of
 * unchanged data, one where 10% of the customers changed, and the same with `--verify`; then today's
 * back-fill (no ledger, CX_LEDGER=off) over 10% changed customers, beside the `cli` and `cli-again`
 * paths that are today's first and unchanged back-fills. Each runs the core's `backfill()` in a
 * child process (the CLI's), its ledger opened as `openSyncLedger` opens it with every store call and
 * digest timed. Then the table: requests a customer on each platform (per customer and per run),
 * customers an hour at the documented limits, the ledger's CPU a customer, and the issue's goals.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LedgerStore,
  openSqliteLedger,
  resilientLedger,
  type SyncLedger,
  type SyncServices,
  syncLedger,
  verifyAfterDays,
} from '@cx-profile-sync/core';
import { EMULATED_PLATFORMS, type EmulatedPlatformName, type Emulators } from '@cx-profile-sync/emulators';
import type { CliPathResult, CliPathSettings } from './child.js';
import { bucketRequests, bucketSettings, byPlatform } from './limits.js';
import { clearStats, measuredOfCli, measurePath, notRun } from './measure.js';
import { runChild } from './processes.js';
import type {
  BenchReport,
  Goal,
  LedgerCost,
  LedgerReport,
  LedgerRow,
  PathResult,
  TimeSpent,
} from './types.js';

export type { LedgerCost } from './types.js';

/** The issue's goals (checked and printed, never a timed test). */
export const LEDGER_TARGETS = {
  changedShare: 0.1,
  /** Target requests a changed customer the ledger knows, per target. */
  perChangedCustomer: 1.05,
  /** Target requests a customer, per target, in the 10%-changed back-fill. */
  changedBackfill: 0.12,
  /** Customers an hour (two targets) against today's, at the same limits. */
  speedUp: 1.9,
  /** CPU milliseconds a customer in the ledger (SQLite and digests). */
  cpuMsPerCustomer: 0.2,
};

const WORK = 'CXone + Cognigy';
export const LEDGER_PATHS = {
  first: { id: 'ledger-first', name: 'Ledger back-fill, first (fresh ledger)', work: WORK },
  again: { id: 'ledger-again', name: 'Ledger back-fill, again (unchanged)', work: WORK },
  changed: { id: 'ledger-changed', name: 'Ledger back-fill, 10% changed', work: WORK },
  verify: { id: 'ledger-changed-verify', name: 'Ledger back-fill, 10% changed, --verify', work: WORK },
  todayChanged: { id: 'cli-changed', name: 'CLI back-fill, no ledger, 10% changed', work: WORK },
} as const;

/** Today's back-fill (no ledger) beside each ledger back-fill of the same data. */
const PAIRS = [
  { what: 'first back-fill', ledger: 'ledger-first', today: 'cli' },
  { what: 'unchanged', ledger: 'ledger-again', today: 'cli-again' },
  { what: '10% changed', ledger: 'ledger-changed', today: 'cli-changed' },
] as const;

const ROWS = [
  'ledger-first',
  'ledger-again',
  'ledger-changed',
  'ledger-changed-verify',
  'cli',
  'cli-again',
  'cli-changed',
];
/** The paths this module adds (the chart leaves them out: it shows the throughput over time of the others). */
export const LEDGER_PATH_IDS: readonly string[] = Object.values(LEDGER_PATHS).map((p) => p.id);

// ---------------------------------------------------------------------------------------------
// In the child process: the ledger as the CLI opens it, its calls timed.

const spent = (): TimeSpent => ({ calls: 0, cpuMs: 0, systemMs: 0, wallMs: 0 });

/**
 * The function, timed: the process's CPU and the wall clock of its synchronous part. Every
 * SQLite call is synchronous (node:sqlite) inside an async method, so it is all there by the time
 * the promise is returned; awaiting it would count the other customers' work in between.
 * `process.cpuUsage` (the process, every thread) rather than `threadCpuUsage`: Linux updates a
 * thread's own CPU time only at ticks and context switches, so a call that blocks (a commit's sync to
 * disk) would be charged the work done since the last one; the process's is brought up to date when
 * read. The price: a GC or compiler thread working during a call is counted too.
 */
function timed<A extends unknown[], R>(fn: (...args: A) => R, into: TimeSpent): (...args: A) => R {
  return (...args: A) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    try {
      return fn(...args);
    } finally {
      const d = process.cpuUsage(cpu);
      into.cpuMs += (d.user + d.system) / 1000;
      into.systemMs += d.system / 1000;
      into.wallMs += performance.now() - started;
      into.calls++;
    }
  };
}

function timedStore(s: LedgerStore, cost: Record<string, TimeSpent>): LedgerStore {
  const t = <A extends unknown[], R>(name: string, fn: (...args: A) => R) => {
    cost[name] = spent();
    return timed(fn, cost[name]);
  };
  return {
    get: t('get', s.get),
    recordSuccess: t('recordSuccess', s.recordSuccess),
    recordFailure: t('recordFailure', s.recordFailure),
    retryable: t('retryable', s.retryable),
    history: t('history', s.history),
    recordWindow: t('recordWindow', s.recordWindow),
    window: t('window', s.window),
    forgetRecordId: t('forgetRecordId', s.forgetRecordId),
    reset: t('reset', s.reset),
    inbox: s.inbox,
    close: () => s.close(),
  };
}

/**
 * The SQLite ledger in `file` as `openSyncLedger` opens it for the CLI (resilient store, the verify
 * policy of CX_LEDGER_VERIFY_DAYS and `--verify`, the tenants' target names), with every store call
 * timed. The digests the sync's plans make are a few microseconds each, too short to time one by
 * one against the other threads' work: they are kept, and `finish` makes them again in one timed loop.
 */
export function openTimedLedger(
  options: { file: string; verify: boolean },
  services: SyncServices,
  env: Record<string, string>,
): { store: LedgerStore; sync: SyncLedger; finish: () => LedgerCost } {
  const cost: LedgerCost = { store: {}, digests: spent() };
  // resilientLedger's methods are plain functions over the SQLite store (no `this`).
  const store = timedStore(resilientLedger(openSqliteLedger(options.file)), cost.store);
  const days = verifyAfterDays(env);
  const inner = syncLedger(store, {
    ledgerTarget: services.ledgerTarget,
    ...(days !== undefined ? { verifyAfterDays: days } : {}),
    ...(options.verify ? { verify: true } : {}),
  });
  const digests: (() => unknown)[] = [];
  const sync: SyncLedger = {
    async view(customer, target) {
      const view = await inner.view(customer, target);
      return {
        ...view,
        digestFields: (values) => {
          digests.push(() => view.digestFields(values));
          return view.digestFields(values);
        },
        digest: (value) => {
          digests.push(() => view.digest(value));
          return view.digest(value);
        },
      };
    },
    record: (customer, plan, result) => inner.record(customer, plan, result),
  };
  const finish = () => {
    timed(() => {
      for (const d of digests) d();
    }, cost.digests)();
    cost.digests.calls = digests.length;
    return cost;
  };
  return { store, sync, finish };
}

// ---------------------------------------------------------------------------------------------
// In the bench's process: the runs.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long the limits' buckets take to be full again after a path (they refill while it runs). */
function refillMs(p: PathResult): number {
  const s = Math.max(
    0,
    ...(p.limit?.buckets ?? []).map(
      (b) => Math.min(b.requests, b.capacity * b.keys) / (b.refillPerSecond * b.keys),
    ),
  );
  return Math.ceil(s * 1000) + 1000;
}

/**
 * Disjoint sets of `share` of the customers (by seed index), in a fixed pseudo-random order, so that
 * each set mixes customers that CXone does not know, new Cognigy profiles and consent as the whole
 * sample does.
 */
export function changeSets(customers: number, share: number, sets: number): number[][] {
  const order = Array.from({ length: customers }, (_, i) => i);
  let x = 20_261_129;
  for (let i = order.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    const j = x % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const size = Math.max(1, Math.round(customers * share));
  return Array.from({ length: sets }, (_, k) => order.slice(k * size, (k + 1) * size));
}

/** Changes one attribute of these customers' latest conversation on the Genesys emulator. */
function changeCustomers(emu: Emulators, indices: number[], tag: string): void {
  for (const i of indices) {
    const c = emu.seed.customers[i]!;
    const id = c.conversationIds[c.conversationIds.length - 1]!;
    const participant = emu.state.genesys.conversations
      .get(id)
      ?.participants.find((p) => p.purpose === 'customer');
    if (!participant) throw new Error(`customer ${i}'s conversation ${id} has no customer participant`);
    participant.attributes.promo_code = `${tag}-${i}`;
  }
}

export interface LedgerRunOptions {
  emu: Emulators;
  timeScale: number;
  /** The CLI path's settings (both targets). */
  settings: CliPathSettings;
  log: (line: string) => void;
}

/** What a row needs beyond the path's result. */
export interface RowExtra {
  changed?: number;
  cost?: LedgerCost;
}

/**
 * The ledger's back-fills, one after the other over one ledger file, from the seed state (the
 * emulators are reset first; between two runs the limits' buckets are let refill and the counters
 * cleared, as before `cli-again`).
 */
export async function runLedgerPaths(
  o: LedgerRunOptions,
): Promise<{ paths: PathResult[]; extras: Record<string, RowExtra> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cx-bench-ledger-'));
  const file = join(dir, 'ledger.sqlite');
  const paths: PathResult[] = [];
  const extras: Record<string, RowExtra> = {};
  const [changed, verified, today] = changeSets(
    o.emu.seed.customers.length,
    LEDGER_TARGETS.changedShare,
    3,
  ) as [number[], number[], number[]];
  const run = async (
    path: { id: string; name: string; work: string },
    ledger: { verify: boolean } | undefined,
    change?: number[],
  ) => {
    const previous = paths[paths.length - 1];
    if (previous) {
      const ms = refillMs(previous);
      o.log(`waiting ${(ms / 1000).toFixed(0)} s for the buckets to refill`);
      await sleep(ms);
      await clearStats(o.emu);
    } else o.emu.reset();
    if (change) changeCustomers(o.emu, change, path.id);
    o.log(`ledger: ${path.name}`);
    let cost: LedgerCost | undefined;
    const result = await measurePath(o.emu, o.timeScale, path, async () => {
      const out = await runChild<CliPathResult>('cli', {
        ...o.settings,
        ...(ledger ? { ledger: { file, verify: ledger.verify } } : {}),
      } satisfies CliPathSettings);
      cost = out.result.ledgerCost;
      return measuredOfCli(out);
    });
    if (change)
      result.notes.push(
        `${change.length} customers' latest conversation changed (promo_code) before the run`,
      );
    paths.push(result);
    extras[path.id] = { ...(change ? { changed: change.length } : {}), ...(cost ? { cost } : {}) };
  };
  try {
    await run(LEDGER_PATHS.first, { verify: false });
    await run(LEDGER_PATHS.again, { verify: false });
    await run(LEDGER_PATHS.changed, { verify: false }, changed);
    await run(LEDGER_PATHS.verify, { verify: true }, verified);
    await run(LEDGER_PATHS.todayChanged, undefined, today);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { paths, extras };
}

export function ledgerNotRun(reason: string): PathResult[] {
  return Object.values(LEDGER_PATHS).map((p) => notRun(p, reason));
}

// ---------------------------------------------------------------------------------------------
// The numbers.

/** Requests made once a run whatever the customers: logins, discovery, definitions, the analytics job. */
const PER_RUN =
  /oauth\/token|\/auth\/|\.well-known|custom-field-definitions|profiles\/schema|jobs\/availability|\/jobs(\/:jobId)?$/;
/** `route` as the emulators count it: "GET /dfo/3.0/customers/:customerId". */
export const perRunRoute = (route: string) => PER_RUN.test(route.slice(route.indexOf(' ') + 1));

/** A path's row from its emulator counters (in memory: the JSON leaves them out). */
export function ledgerRow(p: PathResult, extra: RowExtra = {}): LedgerRow | undefined {
  if (!p.ran || !p.stats) return undefined;
  const stats = p.stats;
  const n = p.customers || 1;
  const routes = byPlatform((name) =>
    Object.fromEntries(Object.entries(stats[name].byRoute).filter(([route]) => !perRunRoute(route))),
  );
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  // The per-customer requests as each limit counts them (a refused request took no token).
  const perCustomerStats = byPlatform((name) => ({
    ...stats[name],
    total: sum(routes[name]),
    byRoute: routes[name],
  }));
  const requests = bucketRequests(perCustomerStats);
  const documented = bucketSettings(1);
  let customersPerHour: number | null = null;
  let binding = 'none: no per-customer request';
  for (const [bucket, setting] of Object.entries(documented) as [
    keyof typeof documented,
    (typeof documented)[keyof typeof documented],
  ][]) {
    const per = requests[bucket] / n;
    if (per <= 0) continue;
    const rate = (setting.refillPerSecond * 3600) / per;
    if (customersPerHour === null || rate < customersPerHour) {
      customersPerHour = rate;
      binding = setting.label;
    }
  }
  return {
    id: p.id,
    withLedger: p.id.startsWith('ledger-'),
    customers: p.customers,
    ...(extra.changed !== undefined ? { changed: extra.changed } : {}),
    perCustomer: byPlatform((name) => sum(routes[name]) / n),
    perRun: byPlatform((name) => stats[name].total - sum(routes[name])),
    routes,
    customersPerHour,
    binding,
    ...(extra.cost ? { cost: extra.cost } : {}),
  };
}

export function buildLedgerReport(paths: PathResult[], extras: Record<string, RowExtra>): LedgerReport {
  const rows: LedgerRow[] = [];
  for (const id of ROWS) {
    const p = paths.find((x) => x.id === id);
    const row = p && ledgerRow(p, extras[id]);
    if (row) rows.push(row);
  }
  return { changedShare: LEDGER_TARGETS.changedShare, rows };
}

const sumSpent = (xs: TimeSpent[]): TimeSpent =>
  xs.reduce(
    (a, b) => ({
      calls: a.calls + b.calls,
      cpuMs: a.cpuMs + b.cpuMs,
      systemMs: a.systemMs + b.systemMs,
      wallMs: a.wallMs + b.wallMs,
    }),
    spent(),
  );

/** The ledger's CPU a customer: SQLite (every store call), the digests, both. */
function costPerCustomer(row: LedgerRow) {
  if (!row.cost || row.customers === 0) return undefined;
  const store = sumSpent(Object.values(row.cost.store));
  const n = row.customers;
  return {
    store: store.cpuMs / n,
    digests: row.cost.digests.cpuMs / n,
    total: (store.cpuMs + row.cost.digests.cpuMs) / n,
    wall: (store.wallMs + row.cost.digests.wallMs) / n,
    calls: (store.calls + row.cost.digests.calls) / n,
  };
}

const TARGETS = ['cxone', 'cognigy'] as const;
const label = (name: EmulatedPlatformName) => EMULATED_PLATFORMS.find((p) => p.name === name)?.label ?? name;
const fmt = (x: number, digits = 2) => x.toFixed(digits);
const perHour = (x: number | null) => (x === null ? 'unbounded' : Math.round(x).toLocaleString('en'));
const ratio = (a: number | null, b: number | null) =>
  a === null ? Number.POSITIVE_INFINITY : b === null ? 0 : a / b;
const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '∞×');

/**
 * What a changed customer cost on a target beyond an unchanged one, by route: the changed back-fill's
 * requests less the unchanged back-fill's (scaled to the same customers), over the customers changed.
 */
function perChanged(changed: LedgerRow, unchanged: LedgerRow, target: EmulatedPlatformName) {
  const k = changed.customers / (unchanged.customers || 1);
  const routes = new Set([...Object.keys(changed.routes[target]), ...Object.keys(unchanged.routes[target])]);
  const byRoute: [string, number][] = [];
  let total = 0;
  for (const route of routes) {
    const extra =
      ((changed.routes[target][route] ?? 0) - (unchanged.routes[target][route] ?? 0) * k) /
      (changed.changed || 1);
    total += extra;
    if (Math.abs(extra) >= 0.005) byRoute.push([route, extra]);
  }
  return { total, byRoute };
}

const routeList = (routes: [string, number][], digits = 2) =>
  routes.length ? routes.map(([r, n]) => `${r} ${n.toFixed(digits)}`).join(', ') : 'none';

/** Why a Cognigy GET of a profile by id is there, when it is (the plan's reasons, in its words). */
const COGNIGY_READ = /GET .*profiles\/:profileId$/;
const COGNIGY_LIST = /GET .*\/profiles$/;

/** What a target request of an unchanged back-fill is, when the numbers tell. */
function whyUnchanged(route: string, n: number, customers: number, skipped: number): string {
  if (COGNIGY_READ.test(route) && n === skipped)
    return ` (= the ${skipped} customers skipped for consent: a profile whose person asked that no data be collected is never written, so its entry is not settled, and it is read by id on every run to see whether consent changed)`;
  if (COGNIGY_LIST.test(route) && n * 50 <= customers)
    return ` (one for every ${Math.round(customers / n)} customers: pages of the Cognigy profile directory, the project's profiles listed 100 a page, read whether or not the ledger knows every customer)`;
  return '';
}

export function ledgerGoals(r: BenchReport): Goal[] {
  const l = r.ledger;
  if (!l) return [];
  const row = (id: string) => l.rows.find((x) => x.id === id);
  const path = (id: string) => r.paths.find((x) => x.id === id);
  const first = row('ledger-first');
  const again = row('ledger-again');
  const changed = row('ledger-changed');
  const goals: Goal[] = [];
  const notRun = (goal: string) => goals.push({ goal, met: undefined, detail: 'not run' });

  {
    const goal = `Ledger: a changed customer the ledger knows ≤ ${LEDGER_TARGETS.perChangedCustomer} requests per target`;
    if (!changed || !again || !changed.changed) notRun(goal);
    else {
      const per = TARGETS.map((t) => ({ t, ...perChanged(changed, again, t) }));
      const why = per
        .filter((x) => x.total > LEDGER_TARGETS.perChangedCustomer)
        .map((x) =>
          x.byRoute.some(([route]) => COGNIGY_READ.test(route))
            ? `${label(x.t)} reads a known profile by id before writing it (the consent check: the target says readsBeforeWrite unless COGNIGY_IGNORE_CONSENT=true, which leaves the PATCH alone)`
            : `${label(x.t)}: ${routeList(x.byRoute)}`,
        );
      goals.push({
        goal,
        met: per.every((x) => x.total <= LEDGER_TARGETS.perChangedCustomer),
        detail: `${changed.changed} customers changed; a changed customer cost, beyond an unchanged one: ${per.map((x) => `${label(x.t)} ${fmt(x.total)} (${routeList(x.byRoute)})`).join('; ')}${why.length ? `. Not met: ${why.join('; ')}` : ''}`,
      });
    }
  }
  {
    const goal = `Ledger: ${Math.round(l.changedShare * 100)}%-changed back-fill ≤ ${LEDGER_TARGETS.changedBackfill} target requests a customer per target`;
    if (!changed) notRun(goal);
    else {
      const over = TARGETS.filter((t) => changed.perCustomer[t] > LEDGER_TARGETS.changedBackfill);
      goals.push({
        goal,
        met: over.length === 0,
        detail: `${TARGETS.map((t) => `${label(t)} ${fmt(changed.perCustomer[t], 3)}`).join(', ')} a customer (+ ${TARGETS.map((t) => `${changed.perRun[t]}`).join(' and ')} requests once a run: ${TARGETS.map((t) => fmt((changed.perRun[t] + changed.perCustomer[t] * changed.customers) / (changed.customers || 1), 3)).join(' and ')} with them)${
          over.length
            ? `. Not met: ${over
                .map(
                  (t) =>
                    `${label(t)}: ${routeList(
                      Object.entries(changed.routes[t]).map(([route, n]) => [
                        route,
                        n / (changed.customers || 1),
                      ]),
                      3,
                    )} a customer`,
                )
                .join('; ')}`
            : ''
        }`,
      });
    }
  }
  {
    const goal = 'Ledger: an unchanged customer costs 0 target requests (0.00)';
    if (!again) notRun(goal);
    else {
      const p = path('ledger-again');
      const skipped = p?.outcomes.skipped ?? 0;
      const made = TARGETS.flatMap((t) =>
        Object.entries(again.routes[t]).map(([route, n]) => ({ t, route, n })),
      );
      const why = made.map(
        (x) => `${label(x.t)} ${x.route} × ${x.n}${whyUnchanged(x.route, x.n, again.customers, skipped)}`,
      );
      goals.push({
        goal,
        met: made.length === 0,
        detail: `${TARGETS.map((t) => `${label(t)} ${fmt(again.perCustomer[t], 3)}`).join(', ')} a customer${why.length ? `: ${why.join('; ')}` : ''}`,
      });
    }
  }
  {
    const goal = 'Ledger: a customer seen for the first time, as few as the platform allows (printed)';
    const today = row('cli');
    if (!first) notRun(goal);
    else
      goals.push({
        goal,
        met: undefined,
        detail: `${TARGETS.map((t) => `${label(t)} ${fmt(first.perCustomer[t])} (${routeList(Object.entries(first.routes[t]).map(([route, n]) => [route, n / (first.customers || 1)]))})`).join('; ')}${today ? `; today ${TARGETS.map((t) => `${label(t)} ${fmt(today.perCustomer[t])}`).join(', ')}` : ''}. A Cognigy profile listing page holds 100 profiles: read as a directory, a first-seen customer could cost one write plus 1/100 of a page`,
      });
  }
  {
    const goal = `Ledger: two-target back-fill ≥ ${LEDGER_TARGETS.speedUp}× today's customers an hour at the same limits`;
    const pairs = PAIRS.map((x) => ({ ...x, l: row(x.ledger), t: row(x.today) })).filter((x) => x.l && x.t);
    const judged = pairs.find((x) => x.what === '10% changed');
    if (!judged) notRun(goal);
    else {
      const by = (x: (typeof pairs)[number]) => ratio(x.l!.customersPerHour, x.t!.customersPerHour);
      const measured = (() => {
        const lp = path(judged.ledger);
        const tp = path(judged.today);
        if (!lp?.ran || !tp?.ran || !tp.limit) return '';
        const m = lp.rate / (tp.rate || 1);
        return tp.limit.withinBursts
          ? `; measured ${lp.rate.toFixed(1)} vs ${tp.rate.toFixed(1)} customers/s (${times(m)}), not the limits' ratio: today's run fit in the limits' bursts at K=${r.settings.timeScale} (too short for them to bind)`
          : `; measured ${lp.rate.toFixed(1)} vs ${tp.rate.toFixed(1)} customers/s = ${times(m)} (today's run bound by ${tp.limit.binding}${path(judged.ledger)?.limit?.withinBursts ? "; the ledger's fit in the bursts" : ''})`;
      })();
      goals.push({
        goal,
        met: by(judged) >= LEDGER_TARGETS.speedUp,
        detail: `judged on the recurring back-fill (10% changed): ${pairs.map((x) => `${x.what} ${perHour(x.l!.customersPerHour)} vs ${perHour(x.t!.customersPerHour)} customers/h = ${times(by(x))}`).join('; ')} (documented limits, per-run requests left out; 10% changed: the ledger's bound by ${judged.l!.binding} at ${TARGETS.map((t) => `${label(t)} ${fmt(judged.l!.perCustomer[t], 3)}`).join(', ')} a customer, today's by ${judged.t!.binding} at ${TARGETS.map((t) => `${label(t)} ${fmt(judged.t!.perCustomer[t], 3)}`).join(', ')})${measured}`,
      });
    }
  }
  {
    const goal = `Ledger overhead ≤ ${LEDGER_TARGETS.cpuMsPerCustomer} ms of CPU a customer (SQLite)`;
    const costs = l.rows.filter((x) => x.cost).map((x) => ({ id: x.id, c: costPerCustomer(x)! }));
    if (costs.length === 0) notRun(goal);
    else {
      const met = costs.every((x) => x.c.total <= LEDGER_TARGETS.cpuMsPerCustomer);
      // Why not: the costliest call of the costliest path, with its share in the kernel and its wall clock.
      const worst = l.rows
        .filter((x) => x.cost)
        .reduce((a, b) => (costPerCustomer(b)!.total > costPerCustomer(a)!.total ? b : a));
      const [call, s] = Object.entries(worst.cost!.store).reduce((a, b) => (b[1].cpuMs > a[1].cpuMs ? b : a));
      const n = worst.customers || 1;
      const sync =
        s.wallMs > 2 * s.cpuMs
          ? "; the wall clock far above the CPU is the wait for the disk (the ledger's commits use synchronous=NORMAL in WAL mode: no sync a commit, but the WAL is still written)"
          : '';
      const why = met
        ? ''
        : `. Not met: in ${worst.id}, ${call} (${fmt(s.calls / n, 2)} calls a customer) took ${fmt(s.cpuMs / n, 3)} ms of CPU a customer (${Math.round((100 * s.systemMs) / (s.cpuMs || 1))}% in the kernel) and ${fmt(s.wallMs / n, 3)} ms of wall clock, during which the event loop waits${call === 'recordSuccess' ? `: each is a write transaction of its own (BEGIN IMMEDIATE … COMMIT with an upsert and a history event), for every target of every customer the ledger did not settle alone${sync}` : ''}; the digests took ${fmt(worst.cost!.digests.cpuMs / n, 3)} ms`;
      goals.push({
        goal,
        met,
        detail: `${costs
          .map(
            (x) =>
              `${x.id} ${fmt(x.c.total, 3)} ms (SQLite ${fmt(x.c.store, 3)}, digests ${fmt(x.c.digests, 3)}; wall ${fmt(x.c.wall, 3)} ms)`,
          )
          .join(', ')}${why}`,
      });
    }
  }
  return goals;
}

function cell(row: LedgerRow, t: EmulatedPlatformName): string {
  return `${fmt(row.perCustomer[t], 3)} + ${row.perRun[t]} a run`;
}

/** The markdown section: the table, then what each path's target requests were and the ledger's time. */
export function ledgerMarkdown(r: BenchReport): string[] {
  const l = r.ledger;
  if (!l) return [];
  const out: string[] = [
    '## Sync ledger',
    '',
    `One SQLite ledger (a temporary file) through the core's back-fill, as the CLI runs it, in the same emulators as above (the same limits, K = ${r.settings.timeScale}): a first back-fill, a second one of unchanged data, one where ${Math.round(l.changedShare * 100)}% of the customers' latest conversation changed (one attribute, on the Genesys emulator), and another ${Math.round(l.changedShare * 100)}% with \`--verify\`; today's back-fill without a ledger is \`cli\` (first), \`cli-again\` (unchanged) and \`cli-changed\` (another ${Math.round(l.changedShare * 100)}% changed). Requests a customer are those that grow with the customers; "a run" are the ones made once (logins, discovery, CXone's field definitions, Cognigy's profile schema, the analytics job and its polls). Customers an hour: at the documented limits (Genesys 300/min per token, CXone 120,000 gets/h and 1,000,000 updates/h, Cognigy 1,000 per 5 min), each limit's requests an hour over the path's requests a customer on it, the lowest; the per-run requests left out. Ledger CPU, a customer: the back-fill process's CPU during the ledger's store calls (SQLite; each call's synchronous part, a GC or compiler thread busy meanwhile counted too), and the value digests of the run's plans (made again after the back-fill in one timed loop).`,
    '',
    '| path | ledger | customers | customers/s | CXone requests a customer | Cognigy requests a customer | Genesys requests a customer | 429s | customers an hour at the documented limits (binding) | ledger CPU a customer |',
    '| --- | --- | ---: | ---: | --- | --- | --- | ---: | --- | --- |',
  ];
  for (const row of l.rows) {
    const p = r.paths.find((x) => x.id === row.id);
    if (!p) continue;
    const c = costPerCustomer(row);
    out.push(
      `| ${p.name} | ${row.withLedger ? 'SQLite' : 'off'} | ${row.customers.toLocaleString('en')} | **${p.rate.toFixed(1)}** | ${cell(row, 'cxone')} | ${cell(row, 'cognigy')} | ${cell(row, 'genesys')} | ${p.status429} | ${perHour(row.customersPerHour)} (${row.binding}) | ${c ? `${fmt(c.total, 3)} ms (SQLite ${fmt(c.store, 3)}, digests ${fmt(c.digests, 3)})` : '–'} |`,
    );
  }
  out.push('', '### What the target requests were', '');
  for (const row of l.rows) {
    const p = r.paths.find((x) => x.id === row.id);
    const outcomes = Object.entries(p?.outcomes ?? {})
      .filter(([, v]) => v)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out.push(
      `- ${row.id}${row.changed !== undefined ? ` (${row.changed} changed)` : ''}: ${TARGETS.map(
        (t) =>
          `${label(t)} ${routeList(
            Object.entries(row.routes[t]).map(([route, n]) => [route, n]),
            0,
          )}`,
      ).join('; ')}; outcomes ${outcomes}`,
    );
  }
  const timedRows = l.rows.filter((x) => x.cost);
  if (timedRows.length) {
    out.push(
      '',
      '### Time in the ledger',
      '',
      "Each store call's synchronous part, timed in the back-fill's process (about 1 µs a call is the timing itself); the digests, made again after the back-fill in one loop.",
      '',
      '| path | call | calls a customer | CPU ms a customer | of which system | wall ms a customer |',
      '| --- | --- | ---: | ---: | ---: | ---: |',
    );
    for (const row of timedRows) {
      const n = row.customers || 1;
      const entries: [string, TimeSpent][] = [
        ...Object.entries(row.cost!.store),
        ['digests', row.cost!.digests],
      ];
      for (const [name, s] of entries.filter(([, s]) => s.calls > 0))
        out.push(
          `| ${row.id} | ${name} | ${fmt(s.calls / n, 3)} | ${fmt(s.cpuMs / n, 4)} | ${fmt(s.systemMs / n, 4)} | ${fmt(s.wallMs / n, 4)} |`,
        );
    }
  }
  out.push('');
  return out;
}

/** The console's lines. */
export function ledgerSummary(r: BenchReport): string[] {
  const l = r.ledger;
  if (!l) return [];
  const out = [
    '',
    'Sync ledger (requests a customer + once a run; customers an hour at the documented limits):',
  ];
  for (const row of l.rows) {
    const p = r.paths.find((x) => x.id === row.id);
    const c = costPerCustomer(row);
    out.push(
      `${row.id.padEnd(22)} ${(p?.rate ?? 0).toFixed(1).padStart(7)}/s  CXone ${cell(row, 'cxone')}  Cognigy ${cell(row, 'cognigy')}  Genesys ${cell(row, 'genesys')}  429s ${p?.status429 ?? 0}  ${perHour(row.customersPerHour)}/h (${row.binding})${c ? `  ledger ${fmt(c.total, 3)} ms CPU a customer` : ''}`,
    );
  }
  return out;
}
