/**
 * The live section (issue 12): Genesys Cloud events in, the customer's profiles updated within
 * seconds. Against the same emulators as the other paths (latency, limits on, K):
 *
 * 1. the intake alone: `cli serve` taking EventBridge events POSTed from this process over keep-alive
 *    connections, its processor running with a quiet period longer than the measurement (so that no
 *    sync competes with the intake for the CPU);
 * 2. live sync end to end: an EventBridge API destination on the Genesys emulator (latency 30–60 ms,
 *    its default) pointing at the intake, and the emulator's generator setting attributes on N
 *    conversations at R events a second in bursts of 3–8; through `cli serve`, then with the serve
 *    SIGKILLed mid-run and restarted on the same port and ledger file, then with every event
 *    delivered twice; and through Temporal (`worker intake` + one `worker start`), normally and with
 *    both processes SIGKILLed mid-run and restarted.
 *
 * Each run has conversations of its own (customers k·N … (k+1)·N − 1) and starts from the emulators'
 * seed state (reset: counters cleared, buckets full). What is measured comes from the emulators, not
 * from what the path says about itself: the newest event's `eventTime` of each conversation (the
 * Genesys emulator's events, as published) and the moment each target write was answered (the
 * CXone and Cognigy emulators' request logs); the path's own numbers (the serve's `lagMs` lines, the
 * live workflows' status) are shown beside them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attributeMap, toCognigyProfile, toCxoneCustomFields } from '@cx-profile-sync/core';
import {
  COGNIGY_SCHEMA,
  CXONE_FIELD_DEFINITIONS,
  type Emulators,
  emulatorEnv,
  type GeneratedConversation,
  type GenesysEvent,
  type LoggedRequest,
} from '@cx-profile-sync/emulators';
import { connectClient, type TemporalClient } from '@cx-profile-sync/temporal-worker/client';
import { loadWorkerConfig } from '@cx-profile-sync/temporal-worker/config';
import { type LiveStatus, liveWorkflowId } from '@cx-profile-sync/temporal-worker/shared';
import { type DevServer, startDevServer } from '@cx-profile-sync/temporal-worker/temporal-server';
import {
  spawnWorkerProcess,
  WORKER_MAIN,
  type WorkerProcess,
} from '@cx-profile-sync/temporal-worker/worker-process';
import { perRunRoute } from './ledger.js';
import { bucketKeys, bucketRequests, bucketSettings, total429 } from './limits.js';
import { snapshot } from './measure.js';
import { cpuMsOf } from './processes.js';
import type { BenchReport, Goal, LatencySummary, LiveReport, LiveRun } from './types.js';

/** The issue's goals (checked and printed, never a timed test). */
export const LIVE_TARGETS = {
  intakeEventsPerSecond: 2000,
  /** p99 latency ≤ the quiet period + this. */
  latencyMarginMs: 1500,
};

/** The built command line (`pnpm --silent cli`). */
const CLI_MAIN = fileURLToPath(new URL('../../apps/cli/dist/main.js', import.meta.url));
const KEY = 'bench-intake-key';

export interface LivePlan {
  conversations: number;
  ratePerSecond: number;
  burstMin: number;
  burstMax: number;
  quietMs: number;
  maxWaitMs: number;
  /** The serve's syncs at once (its default). */
  concurrency: number;
  intakeConnections: number;
  intakeSeconds: number;
  /** Longest wait for the values to reach the targets once the generator is done. */
  settleTimeoutMs: number;
  temporal: boolean;
  /** Conversations of the Temporal runs (at ratePerSecond; fewer in --quick: a smoke run). */
  temporalConversations: number;
  /** Temporal's crash run too (the normal run only, when false). */
  temporalCrash: boolean;
  /** One more Temporal run, at a rate its CPU keeps up with on this machine (full run only). */
  temporalSlow?: { conversations: number; ratePerSecond: number };
  /**
   * When the crash runs kill: once half the events are out, before the first sync ('delivery'), or
   * once syncs are under way too ('syncing': a sync in flight is held by the killed process's lease,
   * 60 s, so the settle time must be longer than that).
   */
  crashAt: 'delivery' | 'syncing';
}

export interface LiveOptions {
  emu: Emulators;
  timeScale: number;
  plan: LivePlan;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Numbers.

/** Nearest-rank percentiles, in the unit given. */
export function summarize(values: readonly number[]): LatencySummary | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { samples: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1]! };
}

// ---------------------------------------------------------------------------------------------
// Processes: `cli serve`, `worker intake`.

interface IntakeProcess {
  child: ChildProcess;
  urls: { intakeUrl: string; healthUrl: string; metricsUrl: string };
  /** The JSON lines printed after the first (the serve's: one a sync). */
  lines: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Runs an intake command from `/` (no .env read) with only this environment; resolves once it listens. */
function spawnIntake(main: string, args: string[], env: Record<string, string>): Promise<IntakeProcess> {
  const child = spawn(process.execPath, [main, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd: '/',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    stderr = (stderr + d).slice(-20_000);
  });
  const lines: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffer = '';
    let urls: IntakeProcess['urls'] | undefined;
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      buffer += d;
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const text = buffer.slice(0, i).trim();
        buffer = buffer.slice(i + 1);
        if (!text) continue;
        let line: Record<string, unknown>;
        try {
          line = JSON.parse(text) as Record<string, unknown>;
        } catch {
          continue;
        }
        if (!urls && typeof line.intakeUrl === 'string') {
          urls = line as unknown as IntakeProcess['urls'];
          resolve({ child, urls, lines, stderr: () => stderr, exited });
        } else lines.push(line);
      }
    });
    void exited.then((code) => {
      if (!urls)
        reject(new Error(`${args[0]} exited (${code}) before it listened: ${stderr.trim().slice(-400)}`));
    });
  });
}

const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

/** SIGTERM (it finishes what it accepted), SIGKILL after `graceMs`. */
async function stopGracefully(p: { child: ChildProcess; exited: Promise<number | null> }, graceMs = 15_000) {
  if (!alive(p.child)) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(timer);
}

async function kill(p: { child: ChildProcess; exited: Promise<number | null> }) {
  if (!alive(p.child)) return;
  p.child.kill('SIGKILL');
  await p.exited;
}

const portOf = (url: string) => new URL(url).port;

// ---------------------------------------------------------------------------------------------
// The intake alone.

/** An EventBridge event of Genesys Cloud for a conversation's attributes, as an API destination posts it. */
function eventTemplate(emu: Emulators, conversationId: string): (id: string) => string {
  const participant = emu.state.genesys.conversations
    .get(conversationId)
    ?.participants.find((p) => p.purpose === 'customer');
  if (!participant) throw new Error(`conversation ${conversationId} has no customer participant`);
  const topicName = `v2.detail.events.conversation.${conversationId}.attributes`;
  return (id) => {
    const now = new Date();
    return JSON.stringify({
      version: '0',
      id,
      'detail-type': 'v2.detail.events.conversation.{id}.attributes',
      source: 'aws.partner/genesys.com/cloud/bench-org/cx-profile-sync',
      account: '123456789012',
      time: now.toISOString(),
      region: 'us-east-1',
      resources: [],
      detail: {
        topicName,
        version: '2',
        eventBody: {
          eventTime: now.getTime(),
          conversationId,
          participantId: participant.id,
          attributes: participant.attributes,
          conversationExternalContactIds: [],
          conversationExternalOrganizationIds: [],
          communications: [],
        },
        metadata: { CorrelationId: `corr-${id}` },
        timestamp: now.toISOString(),
      },
    });
  };
}

function post(agent: http.Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        method: 'POST',
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-api-key': KEY,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function measureIntake(o: LiveOptions): Promise<NonNullable<LiveReport['intake']>> {
  const { emu, plan } = o;
  const dir = mkdtempSync(join(tmpdir(), 'cx-bench-intake-'));
  const env = {
    ...emulatorEnv(emu.urls),
    CX_LEDGER: join(dir, 'ledger.sqlite'),
    CX_INTAKE_KEY: KEY,
    CX_RATE_LIMIT_SCALE: String(o.timeScale),
  };
  // The processor runs (it polls the inbox), but no burst is over before the measurement is.
  const hour = String(3_600_000);
  const serve = await spawnIntake(CLI_MAIN, ['serve', '--quiet-ms', hour, '--max-wait-ms', hour], env);
  const agent = new http.Agent({ keepAlive: true, maxSockets: plan.intakeConnections });
  try {
    const url = new URL(serve.urls.intakeUrl);
    const templates = emu.seed.customers.map((c) => eventTemplate(emu, c.conversationIds.at(-1)!));
    let n = 0;
    const warmupMs = 500;
    const start = performance.now();
    const measureFrom = start + warmupMs;
    const end = measureFrom + plan.intakeSeconds * 1000;
    let accepted = 0;
    const refused: Record<string, number> = {};
    const latencies: number[] = [];
    let errors = 0;
    let firstError = '';
    let cpu: { serve?: number; bench: NodeJS.CpuUsage } | undefined;
    setTimeout(
      () => {
        cpu = { bench: process.cpuUsage() };
        const c = cpuMsOf(serve.child.pid);
        if (c !== undefined) cpu.serve = c;
      },
      Math.max(0, measureFrom - performance.now()),
    );
    const loop = async () => {
      while (performance.now() < end) {
        const i = n++;
        const body = templates[i % templates.length]!(`bench-intake-${i}`);
        const t = performance.now();
        let status = 0;
        try {
          status = await post(agent, url, body);
        } catch (e) {
          errors++;
          firstError ||= (e as Error).message;
        }
        const done = performance.now();
        if (t < measureFrom || done > end) continue;
        latencies.push(done - t);
        if (status === 202) accepted++;
        else if (status) refused[String(status)] = (refused[String(status)] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: plan.intakeConnections }, loop));
    const seconds = (end - measureFrom) / 1000;
    const serveCpu = cpu?.serve !== undefined ? (cpuMsOf(serve.child.pid) ?? 0) - cpu.serve : undefined;
    const benchCpu = cpu ? process.cpuUsage(cpu.bench) : undefined;
    const lat = summarize(latencies);
    const notes = [
      `one event a POST (as an API destination sends them), ${plan.intakeConnections} keep-alive connections from the bench's process; ${(warmupMs / 1000).toFixed(1)} s of warm-up left out`,
      "the processor running, with a quiet period longer than the measurement: no sync competes with the intake (each accepted event is a write transaction in the SQLite ledger's inbox)",
    ];
    const cpuUse =
      serveCpu !== undefined && benchCpu
        ? {
            serveMsPerEvent: serveCpu / (accepted || 1),
            serveShareOfCore: serveCpu / 1000 / seconds,
            senderShareOfCore: (benchCpu.user + benchCpu.system) / 1e6 / seconds,
          }
        : undefined;
    if (cpuUse)
      notes.push(
        `CPU meanwhile: the serve ${(cpuUse.serveShareOfCore * 100).toFixed(0)}% of a core (${cpuUse.serveMsPerEvent.toFixed(2)} ms an event), the bench's process sending them ${(cpuUse.senderShareOfCore * 100).toFixed(0)}%`,
      );
    if (errors) notes.push(`${errors} requests failed: ${firstError}`);
    return {
      ran: true,
      accepted,
      seconds,
      eventsPerSecond: accepted / seconds,
      connections: plan.intakeConnections,
      refused,
      ...(lat ? { latencyMs: lat } : {}),
      ...(cpuUse ? { cpu: cpuUse } : {}),
      notes,
    };
  } finally {
    agent.destroy();
    await stopGracefully(serve);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// What the emulators saw.

type TargetName = 'cxone' | 'cognigy';

interface TargetWrite {
  target: TargetName;
  /** When the emulator answered it (ms since the epoch). */
  at: number;
  entry: LoggedRequest;
}

interface Tracker {
  /** Per conversation: its newest event's eventTime, and how many events it had. */
  events: Map<string, { newest: number; count: number }>;
  writes: TargetWrite[];
  stop(): void;
}

const isWrite: Record<TargetName, (method: string, path: string) => boolean> = {
  // As the emulators count writes (countWrites): CXone PUT/DELETE of custom fields; Cognigy
  // POST/PATCH/DELETE of contact profiles (not of the schema).
  cxone: (method, path) => method !== 'GET' && path.startsWith('/dfo/'),
  cognigy: (method, path) => method !== 'GET' && path.includes('/profiles') && !path.includes('/schema'),
};

/**
 * Watches the emulators in this process: the Genesys events as they are published (eventTime by
 * conversation) and the target writes as they are answered (each request log's `record`, which the
 * platform server calls once a response is sent, with the status set on the entry right after).
 */
function track(emu: Emulators): Tracker {
  const events = new Map<string, { newest: number; count: number }>();
  const writes: TargetWrite[] = [];
  const hub = emu.state.genesys.events;
  const publish = hub.publish;
  const ownPublish = Object.hasOwn(hub, 'publish');
  hub.publish = (list: readonly GenesysEvent[]) => {
    for (const e of list) {
      const body = e.eventBody as { conversationId?: string; eventTime?: number };
      if (!e.topicName.endsWith('.attributes') || !body.conversationId || !body.eventTime) continue;
      const x = events.get(body.conversationId) ?? { newest: 0, count: 0 };
      x.newest = Math.max(x.newest, body.eventTime);
      x.count++;
      events.set(body.conversationId, x);
    }
    publish.call(hub, list);
  };
  const restore: (() => unknown)[] = [
    () => (ownPublish ? Object.assign(hub, { publish }) : Reflect.deleteProperty(hub, 'publish')),
  ];
  for (const target of ['cxone', 'cognigy'] as const) {
    const log = emu[target].log;
    const record = log.record;
    const own = Object.hasOwn(log, 'record');
    log.record = (...args: Parameters<typeof record>) => {
      const entry = record.apply(log, args);
      if (isWrite[target](entry.method, entry.path)) writes.push({ target, at: Date.now(), entry });
      return entry;
    };
    restore.push(() => (own ? Object.assign(log, { record }) : Reflect.deleteProperty(log, 'record')));
  }
  return {
    events,
    writes,
    stop: () => {
      for (const r of restore) r();
    },
  };
}

/** Which generated conversation a target write was for, by its customer. */
function writeOwners(emu: Emulators, convs: readonly GeneratedConversation[]) {
  const byCustomer = new Map<number, GeneratedConversation>();
  for (const g of convs) byCustomer.set(g.customerIndex, g);
  const byCxoneId = new Map<string, number>();
  const byContactId = new Map<string, number>();
  for (const c of emu.seed.customers) {
    if (c.cxoneCustomerId) byCxoneId.set(c.cxoneCustomerId, c.index);
    byContactId.set(c.email.trim().toLowerCase(), c.index);
    byContactId.set(c.phone.trim(), c.index);
  }
  const ofContactIds = (ids: unknown): number | undefined => {
    if (!Array.isArray(ids)) return undefined;
    for (const id of ids)
      if (typeof id === 'string') {
        const i = byContactId.get(id.trim().toLowerCase()) ?? byContactId.get(id.trim());
        if (i !== undefined) return i;
      }
    return undefined;
  };
  return (w: TargetWrite): GeneratedConversation | undefined => {
    let index: number | undefined;
    if (w.target === 'cxone') {
      const id = /^\/dfo\/[^/]+\/customers\/([^/]+)/.exec(w.entry.path)?.[1];
      index = id ? byCxoneId.get(decodeURIComponent(id)) : undefined;
    } else {
      // PATCH …/profiles/{id}: the profile's contact ids; POST …/profiles: the body's.
      const id = /\/profiles\/([^/]+)$/.exec(w.entry.path)?.[1];
      const stored = id ? emu.state.cognigy.profiles.get(decodeURIComponent(id)) : undefined;
      index = ofContactIds(stored?.contactIds ?? (w.entry.body as { contactIds?: unknown })?.contactIds);
    }
    return index === undefined ? undefined : byCustomer.get(index);
  };
}

/** The Cognigy profile of a seed customer, as the sync finds it (e-mail address first, then phone). */
function cognigyProfileOf(emu: Emulators, customerIndex: number) {
  const c = emu.seed.customers[customerIndex]!;
  const email = c.email.trim().toLowerCase();
  const phone = c.phone.trim();
  const profiles = [...emu.state.cognigy.profiles.values()];
  return (
    profiles.find((p) => p.contactIds.some((x) => x.trim().toLowerCase() === email)) ??
    profiles.find((p) => p.contactIds.some((x) => x.trim() === phone))
  );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface TargetCheck {
  /** Conversations with a value of theirs missing on a target. */
  lost: { conversationId: string; target: TargetName; field: string; expected: unknown; found: unknown }[];
  checked: Record<TargetName, number>;
  /** Why a conversation's target was not checked. */
  notChecked: Record<string, number>;
}

/**
 * Whether each generated conversation's final attribute values are on the targets: the Genesys
 * emulator's participant attributes (the keys the run set), converted as the sync converts them
 * (the core's `toCxoneCustomFields` and `toCognigyProfile`), against the CXone customer's custom
 * fields and the Cognigy profile. A customer CXone does not know, and a Cognigy profile whose
 * person asked that no data be collected, are not written by design: not checked.
 */
function checkTargets(emu: Emulators, convs: readonly GeneratedConversation[]): TargetCheck {
  const out: TargetCheck = { lost: [], checked: { cxone: 0, cognigy: 0 }, notChecked: {} };
  const skip = (why: string) => {
    out.notChecked[why] = (out.notChecked[why] ?? 0) + 1;
  };
  for (const g of convs) {
    const participant = emu.state.genesys.conversations
      .get(g.conversationId)
      ?.participants.find((p) => p.id === g.participantId);
    if (!participant) {
      skip('conversation gone from the Genesys emulator');
      continue;
    }
    const attrs = attributeMap(Object.keys(g.attributes).map((k) => [k, participant.attributes[k] ?? '']));
    const customer = emu.seed.customers[g.customerIndex]!;
    if (customer.cxoneCustomerId) {
      out.checked.cxone++;
      const stored = emu.state.cxone.customers.get(customer.cxoneCustomerId);
      for (const f of toCxoneCustomFields(attrs, CXONE_FIELD_DEFINITIONS).fields) {
        const found = stored?.customFields.get(f.ident)?.value;
        if (found !== f.value)
          out.lost.push({
            conversationId: g.conversationId,
            target: 'cxone',
            field: f.ident,
            expected: f.value,
            found,
          });
      }
    } else skip('CXone does not know the customer');
    const profile = cognigyProfileOf(emu, g.customerIndex);
    if (profile?.profile.prevent_data_collection === true) {
      skip('Cognigy profile asks that no data be collected');
      continue;
    }
    out.checked.cognigy++;
    for (const [field, expected] of Object.entries(toCognigyProfile(attrs, COGNIGY_SCHEMA).profile)) {
      const found = profile?.profile[field];
      if (!same(found, expected))
        out.lost.push({ conversationId: g.conversationId, target: 'cognigy', field, expected, found });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// One run.

/** What the path says it did. */
interface SelfReport {
  syncs: number;
  eventsSynced: number;
  duplicatesSeen?: number;
  lagMs: number[];
  source: string;
  outcomes: Record<string, number>;
  failures: string[];
  lagHistogram?: { le: string; count: number }[];
  notes: string[];
}

interface Driver {
  /** Starts what takes the events; the URL the destination posts to. */
  start(): Promise<string>;
  /** SIGKILLs, then starts again (the same port, the same ledger or Temporal); what it did. */
  crash(): Promise<{ downMs: number; what: string }>;
  /** Whether the path has nothing left to do for these conversations. */
  idle(convs: readonly GeneratedConversation[]): Promise<boolean>;
  /** Conversations whose sync the path reported finished so far, when it says so as they finish. */
  syncedSoFar?(): Set<string>;
  /** CPU milliseconds its processes used so far, by role (killed ones up to their kill). */
  cpuMs(): Record<string, number>;
  /** Stops it (gracefully) and says what it did. */
  finish(convs: readonly GeneratedConversation[]): Promise<SelfReport>;
  /** Kills whatever is left. */
  close(): Promise<void>;
}

interface RunSpec {
  id: string;
  name: string;
  path: LiveRun['path'];
  fault: LiveRun['fault'];
}

/** A run as planned: its load, and its customers (first … first + conversations − 1, its own). */
interface PlannedRun extends RunSpec {
  conversations: number;
  ratePerSecond: number;
  first: number;
  /** Seeds the generator's burst sizes, keys and values. */
  seed: number;
}

async function admin(emu: Emulators, method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await fetch(`${emu.urls.genesys.apiUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path} answered ${r.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

function notRunLive(spec: RunSpec, reason: string): LiveRun {
  return {
    id: spec.id,
    name: spec.name,
    path: spec.path,
    fault: spec.fault,
    ran: false,
    notRun: reason,
    ratePerSecond: 0,
    conversations: 0,
    events: 0,
    generationS: 0,
    elapsedS: 0,
    delivery: { delivered: 0, attempts: 0, retried: 0, failed: 0, duplicates: 0 },
    eventsSynced: 0,
    syncs: 0,
    syncsPerEvent: 0,
    genesysReadsPerConversation: 0,
    genesysRoutes: {},
    targetRequestsPerSync: { cxone: 0, cognigy: 0 },
    perRunRequests: { genesys: 0, cxone: 0, cognigy: 0 },
    targetWrites: { cxone: 0, cognigy: 0 },
    status429: 0,
    outcomes: {},
    lost: { conversations: 0, fields: 0, checked: { cxone: 0, cognigy: 0 }, notChecked: {}, examples: [] },
    doubleWrites: { writes: 0, identical: 0, conversations: 0, examples: [] },
    unexpectedWrites: 0,
    notes: [],
  };
}

async function liveRun(o: LiveOptions, spec: PlannedRun, driver: Driver): Promise<LiveRun> {
  const { emu, plan } = o;
  const ids = emu.seed.customers
    .slice(spec.first, spec.first + spec.conversations)
    .map((c) => c.conversationIds.at(-1)!);
  emu.reset();
  const tracker = track(emu);
  try {
    const url = await driver.start();
    await admin(emu, 'POST', '/__admin/event-destinations', {
      url,
      apiKey: KEY,
      ...(spec.fault === 'duplicates' ? { duplicates: true } : {}),
    });
    const startedAt = Date.now();
    const cpuBefore = driver.cpuMs();
    const run = emu.state.genesys.generateAttributeEvents({
      conversations: ids,
      ratePerSecond: spec.ratePerSecond,
      burstMin: plan.burstMin,
      burstMax: plan.burstMax,
      seed: spec.seed,
    });
    let crash: LiveRun['crash'];
    if (spec.fault === 'crash') {
      // Mid-run: half the events out and, for 'syncing', syncs under way (a tenth of the
      // conversations written on a target), so that the kill lands on syncs in flight too.
      const syncing = plan.crashAt === 'syncing';
      const started = () => tracker.writes.length >= Math.max(1, Math.floor(ids.length / 10));
      for (;;) {
        if (run.progress().emitted >= run.planned / 2 && (!syncing || started())) break;
        if (Date.now() - startedAt > plan.settleTimeoutMs) break;
        await sleep(5);
      }
      const emitted = run.progress().emitted;
      const owner = writeOwners(emu, run.conversations);
      const written = new Set(
        tracker.writes.flatMap((w) => {
          const g = owner(w);
          return g ? [g.conversationId] : [];
        }),
      );
      const synced = driver.syncedSoFar?.();
      const writesBefore = tracker.writes.length;
      const killedAfterS = (Date.now() - startedAt) / 1000;
      const c = await driver.crash();
      crash = {
        killedAfterS,
        eventsEmittedBefore: emitted,
        writesBefore,
        ...(synced ? { inFlight: [...written].filter((id) => !synced.has(id)) } : {}),
        downMs: c.downMs,
        what: c.what,
      };
    }
    const progress = await run.done;
    const convs = run.conversations;
    const deadline = Date.now() + plan.settleTimeoutMs;
    let settledAt: number | undefined;
    while (Date.now() < deadline) {
      if (
        emu.state.genesys.events.destinations.totals.pending === 0 &&
        checkTargets(emu, convs).lost.length === 0 &&
        (await driver.idle(convs))
      ) {
        settledAt = Date.now();
        break;
      }
      await sleep(100);
    }
    const cpuAfter = driver.cpuMs();
    // A late repeat would write now: watch for a quiet period and a half more.
    await sleep(plan.quietMs + 1500);
    const self = await driver.finish(convs);
    const check = checkTargets(emu, convs);
    const stats = snapshot(emu);
    const delivery = { ...emu.state.genesys.events.destinations.totals };
    return measureRun(o, spec, {
      convs,
      tracker,
      self,
      check,
      stats,
      delivery,
      events: progress.emitted,
      generationS: progress.elapsedMs / 1000,
      elapsedS: ((settledAt ?? Date.now()) - startedAt) / 1000,
      settled: settledAt !== undefined,
      startedAt,
      cpuMs: Object.fromEntries(Object.entries(cpuAfter).map(([k, v]) => [k, v - (cpuBefore[k] ?? 0)])),
      ...(crash ? { crash } : {}),
    });
  } catch (e) {
    return notRunLive(spec, `failed: ${(e as Error).message}`);
  } finally {
    tracker.stop();
    await driver.close();
  }
}

function measureRun(
  o: LiveOptions,
  spec: PlannedRun,
  m: {
    convs: readonly GeneratedConversation[];
    tracker: Tracker;
    self: SelfReport;
    check: TargetCheck;
    stats: ReturnType<typeof snapshot>;
    delivery: LiveRun['delivery'] & { pending?: number };
    events: number;
    generationS: number;
    elapsedS: number;
    settled: boolean;
    /** When the generator started (ms since the epoch). */
    startedAt: number;
    cpuMs: Record<string, number>;
    crash?: LiveRun['crash'];
  },
): LiveRun {
  const { emu, plan, timeScale } = o;
  const { convs, tracker, self, check, stats } = m;
  const owner = writeOwners(emu, convs);

  // Writes by conversation and target, in the order answered.
  const byConv = new Map<string, Record<TargetName, TargetWrite[]>>();
  let unexpectedWrites = 0;
  for (const w of tracker.writes) {
    if ((w.entry.status ?? 0) >= 300) continue;
    const g = owner(w);
    if (!g) {
      unexpectedWrites++;
      continue;
    }
    const x = byConv.get(g.conversationId) ?? { cxone: [], cognigy: [] };
    x[w.target].push(w);
    byConv.set(g.conversationId, x);
  }

  // Latency: the newest event's eventTime → the first write after it on each target; the
  // conversation's is its slowest target's.
  const latencyOf = new Map<string, number>();
  let noWrite = 0;
  // Double writes: a conversation is one burst (all its events within ~0.1 s, each a new value), so a
  // sync of it writes each target once; every write beyond the first is a double.
  const doubles = { writes: 0, identical: 0, conversations: 0, examples: [] as string[] };
  for (const g of convs) {
    const ev = tracker.events.get(g.conversationId);
    const writes = byConv.get(g.conversationId);
    if (!ev || !writes) {
      noWrite++;
      continue;
    }
    let slowest: number | undefined;
    let extra = 0;
    for (const target of ['cxone', 'cognigy'] as const) {
      const ws = writes[target];
      const after = ws.find((w) => w.at >= ev.newest);
      if (after) slowest = Math.max(slowest ?? 0, after.at - ev.newest);
      for (const [i, w] of ws.entries()) {
        if (i === 0) continue;
        extra++;
        doubles.writes++;
        if (same(w.entry.body, ws[i - 1]!.entry.body)) doubles.identical++;
        if (doubles.examples.length < 5)
          doubles.examples.push(
            `${g.conversationId} ${target}: ${ws.length} writes (${ws.map((x) => `${x.entry.method} at +${((x.at - ev.newest) / 1000).toFixed(2)} s`).join(', ')} from its newest event)`,
          );
      }
    }
    if (extra) doubles.conversations++;
    if (slowest !== undefined) latencyOf.set(g.conversationId, slowest);
    else noWrite++;
  }
  const latencies = [...latencyOf.values()];

  // Requests: once a run (logins, discovery, definitions, schema) and the rest.
  const perRun = { genesys: 0, cxone: 0, cognigy: 0 };
  const perSyncTotal = { genesys: 0, cxone: 0, cognigy: 0 };
  for (const name of ['genesys', 'cxone', 'cognigy'] as const)
    for (const [route, n] of Object.entries(stats[name].byRoute)) {
      if (perRunRoute(route)) perRun[name] += n;
      else perSyncTotal[name] += n;
    }
  const genesysRoutes = Object.fromEntries(
    Object.entries(stats.genesys.byRoute)
      .filter(([route]) => !perRunRoute(route))
      .map(([route, n]) => [route, n / (convs.length || 1)]),
  );
  const syncs = self.syncs;

  // The limits: what each bucket allowed over the run (its burst, and its refill meanwhile), and the
  // events a second it sustains at this run's requests an event once the burst is spent.
  const settings = bucketSettings(timeScale);
  const requests = bucketRequests(stats);
  const keys = bucketKeys(stats);
  const buckets = Object.entries(settings).map(([bucket, s]) => {
    const k = keys[bucket as keyof typeof keys] ?? 1;
    const n = requests[bucket as keyof typeof requests];
    const allowed = s.capacity * k + s.refillPerSecond * k * m.elapsedS;
    const perEvent = m.events ? n / m.events : 0;
    return {
      bucket,
      label: s.label,
      requests: n,
      allowed,
      use: allowed > 0 ? n / allowed : 0,
      sustainedEventsPerSecond: perEvent > 0 ? (s.refillPerSecond * k) / perEvent : Number.POSITIVE_INFINITY,
    };
  });
  const tightest = buckets.reduce((a, b) =>
    b.sustainedEventsPerSecond < a.sustainedEventsPerSecond ? b : a,
  );
  const status429 = total429(stats);
  const sustainable = tightest.sustainedEventsPerSecond;
  const notes = [...self.notes];
  if (!m.settled)
    notes.push(
      `not settled within ${(plan.settleTimeoutMs / 1000).toFixed(0)} s of the generator's end: the numbers are as they were then`,
    );
  if (noWrite)
    notes.push(
      `${noWrite} of ${convs.length} conversations had no target write after their newest event (no latency sample): their bursts set only attributes no target takes (ivr_menu, ivr_language, last_intent), or they were not synced`,
    );
  if (m.delivery.failed)
    notes.push(`${m.delivery.failed} deliveries given up by the emulated EventBridge (undeliverable)`);
  for (const f of self.failures.slice(0, 3)) notes.push(`failure: ${f}`);
  const cpuTotal = Object.values(m.cpuMs).reduce((a, b) => a + b, 0);
  if (cpuTotal > 0) {
    const perEvent = m.events ? cpuTotal / m.events : 0;
    const cores = os.cpus().length;
    notes.push(
      `CPU from the generator's start to settled: ${Object.entries(m.cpuMs)
        .map(([k, v]) => `${k} ${num(v, 0)} ms`)
        .join(
          ', ',
        )}${syncs ? ` (${num(cpuTotal / syncs, 1)} ms a sync, ${num(perEvent, 1)} ms an event in all: at most ${num((cores * 1000) / (perEvent || 1), 0)} events/s on this machine's ${cores} cores, the emulators and anything else aside)` : ''}`,
    );
  }
  let crash = m.crash;
  if (crash) {
    // Those written late: how long after the kill (a subject the killed process held waits for its lease).
    const killAt = m.startedAt + crash.killedAfterS * 1000;
    const lateAfterKillMs: number[] = [];
    for (const [id, latency] of latencyOf)
      if (latency > 30_000) lateAfterKillMs.push(tracker.events.get(id)!.newest + latency - killAt);
    const inFlight = crash.inFlight;
    crash = { ...crash, ...(lateAfterKillMs.length ? { lateAfterKillMs } : {}) };
    if (inFlight)
      notes.push(
        inFlight.length
          ? `${inFlight.length} syncs had written a target and not finished at the kill`
          : 'no sync had written a target without finishing at the kill',
      );
    if (lateAfterKillMs.length)
      notes.push(
        `${lateAfterKillMs.length} conversations had their targets written more than 30 s after their newest event: ${ms(Math.min(...lateAfterKillMs))}–${ms(Math.max(...lateAfterKillMs))} after the kill`,
      );
  }
  const lostConvs = new Set(check.lost.map((x) => x.conversationId));
  const latency = summarize(latencies);
  const selfLatency = summarize(self.lagMs);
  return {
    id: spec.id,
    name: spec.name,
    path: spec.path,
    fault: spec.fault,
    ran: true,
    ratePerSecond: spec.ratePerSecond,
    conversations: convs.length,
    events: m.events,
    generationS: m.generationS,
    elapsedS: m.elapsedS,
    delivery: {
      delivered: m.delivery.delivered,
      attempts: m.delivery.attempts,
      retried: m.delivery.retried,
      failed: m.delivery.failed,
      duplicates: m.delivery.duplicates,
    },
    eventsSynced: self.eventsSynced,
    ...(self.duplicatesSeen !== undefined ? { duplicatesSeen: self.duplicatesSeen } : {}),
    syncs,
    syncsPerEvent: m.events ? syncs / m.events : 0,
    ...(latency ? { latencyMs: latency } : {}),
    ...(selfLatency ? { selfReportedLatencyMs: { ...selfLatency, source: self.source } } : {}),
    ...(self.lagHistogram ? { lagHistogram: self.lagHistogram } : {}),
    genesysReadsPerConversation: perSyncTotal.genesys / (convs.length || 1),
    genesysRoutes,
    targetRequestsPerSync: {
      cxone: syncs ? perSyncTotal.cxone / syncs : 0,
      cognigy: syncs ? perSyncTotal.cognigy / syncs : 0,
    },
    perRunRequests: perRun,
    targetWrites: {
      cxone: tracker.writes.filter((w) => w.target === 'cxone').length,
      cognigy: tracker.writes.filter((w) => w.target === 'cognigy').length,
    },
    status429,
    limits: {
      withinLimits: status429 === 0 && spec.ratePerSecond <= sustainable && buckets.every((b) => b.use <= 1),
      binding: tightest.label,
      sustainableEventsPerSecond: sustainable,
      buckets: buckets.map(({ sustainedEventsPerSecond, ...b }) => ({
        ...b,
        sustainedEventsPerSecond: Number.isFinite(sustainedEventsPerSecond) ? sustainedEventsPerSecond : null,
      })),
    },
    outcomes: self.outcomes,
    lost: {
      conversations: lostConvs.size,
      fields: check.lost.length,
      checked: check.checked,
      notChecked: check.notChecked,
      examples: check.lost
        .slice(0, 5)
        .map(
          (x) =>
            `${x.conversationId} ${x.target} ${x.field}: expected ${JSON.stringify(x.expected)}, found ${JSON.stringify(x.found)}`,
        ),
    },
    doubleWrites: doubles,
    unexpectedWrites,
    ...(crash ? { crash } : {}),
    ...(cpuTotal > 0 ? { cpuMs: m.cpuMs } : {}),
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// The CLI path: `cli serve`.

/** The serve's Prometheus text: the lag histogram and a few counters. */
function readMetrics(text: string) {
  const value = (re: RegExp) => {
    let n = 0;
    for (const m of text.matchAll(re)) n += Number(m[1]);
    return n;
  };
  const histogram = [...text.matchAll(/^cx_intake_lag_seconds_bucket\{le="([^"]+)"\} (\S+)$/gm)].map((m) => ({
    le: m[1]!,
    count: Number(m[2]),
  }));
  return {
    histogram,
    duplicates: value(/^cx_intake_events_duplicate_total(?:\{[^}]*\})? (\S+)$/gm),
    received: value(/^cx_intake_events_received_total(?:\{[^}]*\})? (\S+)$/gm),
  };
}

function cliDriver(o: LiveOptions, runId: string): Driver {
  const { plan } = o;
  const dir = mkdtempSync(join(tmpdir(), `cx-bench-live-${runId}-`));
  const env = {
    ...emulatorEnv(o.emu.urls),
    CX_LEDGER: join(dir, 'ledger.sqlite'),
    CX_INTAKE_KEY: KEY,
    CX_RATE_LIMIT_SCALE: String(o.timeScale),
  };
  const args = [
    'serve',
    '--quiet-ms',
    String(plan.quietMs),
    '--max-wait-ms',
    String(plan.maxWaitMs),
    '--concurrency',
    String(plan.concurrency),
  ];
  const procs: IntakeProcess[] = [];
  const current = () => procs[procs.length - 1]!;
  let killedCpuMs = 0;
  return {
    async start() {
      procs.push(await spawnIntake(CLI_MAIN, [...args, '--port', '0'], env));
      return current().urls.intakeUrl;
    },
    syncedSoFar() {
      return new Set(
        procs
          .flatMap((p) => p.lines)
          .flatMap((l) => (typeof l.synced === 'string' ? [l.synced.replace(/^conversation:/, '')] : [])),
      );
    },
    cpuMs() {
      return { serve: killedCpuMs + (cpuMsOf(current().child.pid) ?? 0) };
    },
    async crash() {
      const port = portOf(current().urls.intakeUrl);
      const t = performance.now();
      killedCpuMs += cpuMsOf(current().child.pid) ?? 0;
      await kill(current());
      procs.push(await spawnIntake(CLI_MAIN, [...args, '--port', port], env));
      return {
        downMs: performance.now() - t,
        what: 'the serve process SIGKILLed, then started again on the same port and ledger file',
      };
    },
    async idle() {
      const r = await fetch(current().urls.healthUrl).catch(() => undefined);
      if (!r?.ok) return false;
      const h = (await r.json()) as { inbox?: { pendingEvents?: number; pendingSubjects?: number } };
      return h.inbox?.pendingEvents === 0 && h.inbox?.pendingSubjects === 0;
    },
    async finish() {
      const metrics = await fetch(current().urls.metricsUrl)
        .then((r) => r.text())
        .then(readMetrics)
        .catch(() => undefined);
      await stopGracefully(current());
      const lines = procs.flatMap((p) => p.lines).filter((l) => typeof l.synced === 'string');
      const outcomes: Record<string, number> = {};
      const failures: string[] = [];
      for (const l of lines)
        for (const t of (l.targets ?? []) as { target: string; outcome: string; error?: string }[]) {
          const k = `${t.target} ${t.outcome}`;
          outcomes[k] = (outcomes[k] ?? 0) + 1;
          if (t.error) failures.push(`${l.synced} ${t.target}: ${t.error}`);
        }
      const stderr = procs
        .map((p) => p.stderr())
        .join('\n')
        .split('\n')
        .filter((x) => x.trim());
      failures.push(...stderr.slice(0, 3));
      const notes: string[] = [];
      if (stderr.length) notes.push(`the serve wrote ${stderr.length} lines on stderr`);
      if (procs.length > 1 && metrics)
        notes.push(
          "the serve's metrics are the restarted process's only (counters start again at 0); its JSON lines cover both",
        );
      return {
        syncs: lines.length,
        eventsSynced: lines.reduce((n, l) => n + Number(l.events ?? 0), 0),
        ...(metrics ? { duplicatesSeen: metrics.duplicates } : {}),
        lagMs: lines.map((l) => Number(l.lagMs)).filter((x) => Number.isFinite(x)),
        source:
          "the serve's JSON lines (lagMs: the newest event's eventTime to the sync's end, every target written and the ledger recorded)",
        outcomes,
        failures,
        ...(metrics?.histogram.length ? { lagHistogram: metrics.histogram } : {}),
        notes,
      };
    },
    async close() {
      for (const p of procs) await kill(p);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The Temporal path: `worker intake` + one `worker start`.

function temporalDriver(o: LiveOptions, server: DevServer, runId: string): Driver {
  const { plan } = o;
  const dir = mkdtempSync(join(tmpdir(), `cx-bench-live-${runId}-`));
  const env: Record<string, string> = {
    ...emulatorEnv(o.emu.urls),
    TEMPORAL_ADDRESS: server.address,
    // A task queue a run: the previous run's live workflows (idle, waiting for events) stay on theirs.
    TEMPORAL_TASK_QUEUE: `cx-bench-live-${runId}`,
    CX_RATE_LIMIT_SCALE: String(o.timeScale),
    CX_LEDGER: join(dir, 'ledger.sqlite'),
    CX_INTAKE_KEY: KEY,
  };
  const args = ['intake', '--quiet-ms', String(plan.quietMs), '--max-wait-ms', String(plan.maxWaitMs)];
  const intakes: IntakeProcess[] = [];
  const workers: WorkerProcess[] = [];
  let client: TemporalClient | undefined;
  const intake = () => intakes[intakes.length - 1]!;
  const killed = { worker: 0, intake: 0 };
  const liveCpu = () => ({
    worker: cpuMsOf(workers[workers.length - 1]?.child.pid) ?? 0,
    intake: cpuMsOf(intake().child.pid) ?? 0,
  });
  const statuses = async (convs: readonly GeneratedConversation[]) =>
    Promise.all(
      convs.map((g) =>
        client!.client.workflow
          .getHandle(liveWorkflowId(`conversation:${g.conversationId}`))
          .query<LiveStatus>('status')
          .catch(() => undefined),
      ),
    );
  return {
    async start() {
      const w = spawnWorkerProcess(env);
      workers.push(w);
      await w.ready;
      intakes.push(await spawnIntake(WORKER_MAIN, [...args, '--port', '0'], env));
      client = await connectClient(loadWorkerConfig(env).temporal);
      return intake().urls.intakeUrl;
    },
    cpuMs() {
      const now = liveCpu();
      return {
        worker: killed.worker + now.worker,
        intake: killed.intake + now.intake,
        'Temporal server': cpuMsOf(server.process.pid) ?? 0,
      };
    },
    async crash() {
      const port = portOf(intake().urls.intakeUrl);
      const t = performance.now();
      const w = workers[workers.length - 1]!;
      const before = liveCpu();
      killed.worker += before.worker;
      killed.intake += before.intake;
      w.child.kill('SIGKILL');
      await Promise.all([kill(intake()), w.exited]);
      const next = spawnWorkerProcess(env);
      workers.push(next);
      intakes.push(await spawnIntake(WORKER_MAIN, [...args, '--port', port], env));
      const downMs = performance.now() - t;
      await next.ready;
      return {
        downMs,
        what: `the worker and the intake SIGKILLed together, then both started again (the intake on the same port, listening after ${(downMs / 1000).toFixed(1)} s; the worker polling after ${((performance.now() - t) / 1000).toFixed(1)} s)`,
      };
    },
    async idle(convs) {
      const s = await statuses(convs);
      return s.every((x, i) => x !== undefined && x.events >= convs[i]!.events && x.syncs > 0);
    },
    async finish(convs) {
      const s = await statuses(convs);
      await stopGracefully(intake());
      const outcomes: Record<string, number> = {};
      const failures: string[] = [];
      let missing = 0;
      for (const x of s) {
        if (!x) {
          missing++;
          continue;
        }
        for (const t of x.last?.targets ?? []) {
          const k = `${t.target} ${t.outcome}`;
          outcomes[k] = (outcomes[k] ?? 0) + 1;
        }
        for (const f of x.failures) failures.push(`${x.subjectKey}: ${f.message}`);
      }
      const notes: string[] = [];
      if (missing) notes.push(`${missing} live workflows did not answer the status query`);
      notes.push(
        "outcomes are each live workflow's last sync's (its status query keeps no more); the lag is the last sync's too",
      );
      return {
        syncs: s.reduce((n, x) => n + (x?.syncs ?? 0), 0),
        eventsSynced: s.reduce((n, x) => n + (x?.events ?? 0), 0),
        duplicatesSeen: s.reduce((n, x) => n + (x?.duplicates ?? 0), 0),
        lagMs: s.flatMap((x) => (x?.last ? [x.last.lagMs] : [])),
        source:
          "the live workflows' status query (last.lagMs: the newest event's eventTime to the sync's end, every target written)",
        outcomes,
        failures,
        notes,
      };
    },
    async close() {
      await client?.close().catch(() => undefined);
      for (const p of intakes) await kill(p);
      await Promise.all(workers.map((w) => w.stop(5_000)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The section.

export const LIVE_RUNS = {
  cli: { id: 'live-cli', name: 'cli serve', path: 'cli', fault: 'none' },
  cliCrash: {
    id: 'live-cli-crash',
    name: 'cli serve, SIGKILLed mid-run and restarted',
    path: 'cli',
    fault: 'crash',
  },
  cliDuplicates: {
    id: 'live-cli-duplicates',
    name: 'cli serve, every event delivered twice',
    path: 'cli',
    fault: 'duplicates',
  },
  temporal: { id: 'live-temporal', name: 'Temporal (intake + 1 worker)', path: 'temporal', fault: 'none' },
  temporalSlow: {
    id: 'live-temporal-slow',
    name: 'Temporal, at a rate it keeps up with',
    path: 'temporal',
    fault: 'none',
  },
  temporalCrash: {
    id: 'live-temporal-crash',
    name: 'Temporal, worker and intake SIGKILLed mid-run and restarted',
    path: 'temporal',
    fault: 'crash',
  },
} as const satisfies Record<string, RunSpec>;

/** The runs of the plan, in order, each with customers of its own. */
function planRuns(plan: LivePlan): (PlannedRun | { spec: RunSpec; notRun: string })[] {
  const out: (PlannedRun | { spec: RunSpec; notRun: string })[] = [];
  let first = 0;
  const add = (spec: RunSpec, conversations: number, ratePerSecond: number) => {
    out.push({ ...spec, conversations, ratePerSecond, first, seed: 12 + out.length });
    first += conversations;
  };
  add(LIVE_RUNS.cli, plan.conversations, plan.ratePerSecond);
  add(LIVE_RUNS.cliCrash, plan.conversations, plan.ratePerSecond);
  add(LIVE_RUNS.cliDuplicates, plan.conversations, plan.ratePerSecond);
  add(LIVE_RUNS.temporal, plan.temporalConversations, plan.ratePerSecond);
  if (plan.temporalSlow)
    add(LIVE_RUNS.temporalSlow, plan.temporalSlow.conversations, plan.temporalSlow.ratePerSecond);
  else out.push({ spec: LIVE_RUNS.temporalSlow, notRun: 'not run in --quick (the full run has it)' });
  if (plan.temporalCrash) add(LIVE_RUNS.temporalCrash, plan.temporalConversations, plan.ratePerSecond);
  else out.push({ spec: LIVE_RUNS.temporalCrash, notRun: 'not run in --quick (the full run has it)' });
  return out;
}

export function liveSettings(o: { plan: LivePlan; timeScale: number }): LiveReport['settings'] {
  const p = o.plan;
  return {
    conversations: p.conversations,
    ratePerSecond: p.ratePerSecond,
    burstMin: p.burstMin,
    burstMax: p.burstMax,
    quietMs: p.quietMs,
    maxWaitMs: p.maxWaitMs,
    concurrency: p.concurrency,
    deliveryLatencyMs: { min: 30, max: 60 },
    intakeConnections: p.intakeConnections,
    intakeSeconds: p.intakeSeconds,
    rateLimitScale: o.timeScale,
  };
}

export function liveNotRun(o: { plan: LivePlan; timeScale: number }, reason: string): LiveReport {
  return { ran: false, notRun: reason, settings: liveSettings(o), runs: [] };
}

export async function runLiveSection(o: LiveOptions): Promise<LiveReport> {
  const settings = liveSettings(o);
  if (!existsSync(CLI_MAIN)) return liveNotRun(o, 'not run: the CLI is not built (pnpm build)');
  const planned = planRuns(o.plan);
  const needed = planned.reduce((n, r) => n + ('first' in r ? r.conversations : 0), 0);
  if (o.emu.seed.customers.length < needed)
    return liveNotRun(
      o,
      `not run: its runs need ${needed} customers (a conversation of each), the emulators have ${o.emu.seed.customers.length} (--customers)`,
    );
  o.log(`live: the intake alone, ${o.plan.intakeSeconds} s over ${o.plan.intakeConnections} connections`);
  const intake = await measureIntake(o).catch(
    (e: unknown): NonNullable<LiveReport['intake']> => ({
      ran: false,
      notRun: `failed: ${(e as Error).message}`,
      accepted: 0,
      seconds: 0,
      eventsPerSecond: 0,
      connections: o.plan.intakeConnections,
      refused: {},
      notes: [],
    }),
  );
  o.log(`live: intake ${intake.eventsPerSecond.toFixed(0)} events/s`);
  const out: LiveRun[] = [];
  const announce = (r: PlannedRun) =>
    o.log(`live: ${r.name}, ${r.conversations} conversations at ${r.ratePerSecond} events/s`);
  for (const r of planned) {
    if (!('first' in r) || r.path !== 'cli') continue;
    announce(r);
    out.push(await liveRun(o, r, cliDriver(o, r.id)));
  }

  const temporal = planned.filter((x) => ('first' in x ? x.path : x.spec.path) === 'temporal');
  const skipTemporal = (reason: string) => {
    for (const r of temporal) out.push(notRunLive('first' in r ? r : r.spec, reason));
  };
  const cli = process.env.TEMPORAL_CLI_PATH;
  if (!o.plan.temporal) skipTemporal('not run: --no-temporal');
  else if (!existsSync(WORKER_MAIN)) skipTemporal('not run: the worker is not built (pnpm build)');
  else if (!cli || !existsSync(cli))
    skipTemporal('not run: no Temporal CLI (`source scripts/toolchain.sh` sets TEMPORAL_CLI_PATH)');
  else {
    o.log('live: starting a Temporal development server');
    let server: DevServer | undefined;
    try {
      server = await startDevServer({ cliPath: cli });
    } catch (e) {
      skipTemporal(`not run: ${(e as Error).message}`);
    }
    if (server)
      try {
        for (const r of temporal) {
          if (!('first' in r)) {
            out.push(notRunLive(r.spec, r.notRun));
            continue;
          }
          announce(r);
          out.push(await liveRun(o, r, temporalDriver(o, server, r.id)));
        }
      } finally {
        await server.stop();
      }
  }
  return { ran: true, settings, intake, runs: out };
}

// ---------------------------------------------------------------------------------------------
// The report.

const ms = (x: number) => `${(x / 1000).toFixed(2)} s`;
const lat = (l: LatencySummary | undefined) => (l ? `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)}` : '–');
const num = (x: number, digits = 1) =>
  Number.isFinite(x) ? x.toLocaleString('en', { maximumFractionDigits: digits }) : '∞';

const nameOf = (id: string) => Object.values(LIVE_RUNS).find((x) => x.id === id)?.name ?? id;

export function liveGoals(r: BenchReport): Goal[] {
  const l = r.live;
  if (!l) return [];
  const goals: Goal[] = [];
  const run = (id: string) => l.runs.find((x) => x.id === id);
  {
    const goal = `Live: intake ≥ ${num(LIVE_TARGETS.intakeEventsPerSecond, 0)} events a second (cli serve)`;
    const i = l.intake;
    goals.push(
      !l.ran || !i?.ran
        ? { goal, met: undefined, detail: i?.notRun ?? l.notRun ?? 'not run' }
        : {
            goal,
            met: i.eventsPerSecond >= LIVE_TARGETS.intakeEventsPerSecond,
            detail: `${num(i.eventsPerSecond, 0)} events/s accepted (202) over ${num(i.seconds)} s, ${i.connections} keep-alive connections, one event a POST${i.latencyMs ? `; a POST took ${num(i.latencyMs.p50, 1)} ms (p50), ${num(i.latencyMs.p99, 1)} ms (p99)` : ''}${
              Object.keys(i.refused).length
                ? `; refused: ${Object.entries(i.refused)
                    .map(([s, n]) => `${s} × ${n}`)
                    .join(', ')}`
                : ''
            }`,
          },
    );
  }
  const bound = l.settings.quietMs + LIVE_TARGETS.latencyMarginMs;
  for (const id of [LIVE_RUNS.cli.id, LIVE_RUNS.temporal.id]) {
    const x = run(id);
    const goal = `Live (${x?.name ?? nameOf(id)}): p99 latency eventTime → target written ≤ quiet period + ${LIVE_TARGETS.latencyMarginMs / 1000} s = ${ms(bound)}, the limits allowing the load`;
    if (!x?.ran || !x.latencyMs) {
      goals.push({ goal, met: undefined, detail: x?.notRun ?? l.notRun ?? 'not run' });
      continue;
    }
    const limits = x.limits!;
    const loadNote = limits.withinLimits
      ? `the limits allow the load (${num(x.ratePerSecond, 0)} events/s ≤ the ${num(limits.sustainableEventsPerSecond, 0)} events/s ${limits.binding} sustains at this run's requests an event; ${x.status429} 429s)`
      : `the limits did NOT allow the load (${num(x.ratePerSecond, 0)} events/s vs ${num(limits.sustainableEventsPerSecond, 0)} events/s sustained by ${limits.binding}; ${x.status429} 429s): not judged`;
    const missing = x.lost.conversations
      ? `; ${x.lost.conversations} conversations' values were still missing on a target when the run stopped waiting (${num(x.elapsedS)} s after the first event): their latency is beyond that`
      : '';
    const slow = id === LIVE_RUNS.temporal.id ? run(LIVE_RUNS.temporalSlow.id) : undefined;
    const slowNote =
      slow?.ran && slow.latencyMs
        ? `; at ${num(slow.ratePerSecond, 0)} events/s (${slow.conversations} conversations) p50 ${ms(slow.latencyMs.p50)}, p99 ${ms(slow.latencyMs.p99)}${slow.lost.conversations ? `, ${slow.lost.conversations} not arrived` : ''}`
        : '';
    goals.push({
      goal,
      met: limits.withinLimits ? x.latencyMs.p99 <= bound && x.lost.conversations === 0 : undefined,
      detail: `${x.conversations} conversations at ${num(x.ratePerSecond, 0)} events/s: p50 ${ms(x.latencyMs.p50)}, p95 ${ms(x.latencyMs.p95)}, p99 ${ms(x.latencyMs.p99)}, max ${ms(x.latencyMs.max)} over ${x.latencyMs.samples} conversations (measured on the emulators)${x.selfReportedLatencyMs ? `; as the path reports it p99 ${ms(x.selfReportedLatencyMs.p99)}` : ''}${missing}; ${loadNote}${slowNote}`,
    });
  }
  for (const id of [LIVE_RUNS.cliCrash.id, LIVE_RUNS.cliDuplicates.id, LIVE_RUNS.temporalCrash.id]) {
    const x = run(id);
    const goal = `Live (${x?.name ?? nameOf(id)}): 0 events lost, 0 double writes`;
    if (!x?.ran) {
      goals.push({ goal, met: undefined, detail: x?.notRun ?? l.notRun ?? 'not run' });
      continue;
    }
    goals.push({
      goal,
      met: x.lost.conversations === 0 && x.doubleWrites.writes === 0,
      detail: `${x.lost.conversations} of ${x.conversations} conversations with a value missing on a target (${x.lost.fields} fields; CXone checked for ${x.lost.checked.cxone}, Cognigy for ${x.lost.checked.cognigy})${x.lost.examples.length ? `: ${x.lost.examples.join('; ')}` : ''}; ${x.doubleWrites.writes} double writes (${x.doubleWrites.identical} the same body again)${x.doubleWrites.examples.length ? `: ${x.doubleWrites.examples.join('; ')}` : ''}; ${x.eventsSynced} of ${x.events} events reached a sync${x.crash ? `; ${x.crash.what}, ${x.crash.eventsEmittedBefore} events emitted before the kill, down ${ms(x.crash.downMs)}` : ''}${x.fault === 'duplicates' ? `; ${x.delivery.duplicates} extra copies delivered, ${x.duplicatesSeen ?? '?'} recognised as repeats` : ''}`,
    });
  }
  return goals;
}

/** Why live goals were missed, as far as the numbers tell (the report's closing notes). */
export function liveNotes(r: BenchReport): string[] {
  const l = r.live;
  if (!l?.ran) return [];
  const notes: string[] = [];
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const i = l.intake;
  if (i?.ran && i.eventsPerSecond < LIVE_TARGETS.intakeEventsPerSecond) {
    const c = i.cpu;
    notes.push(
      `Live intake: ${num(i.eventsPerSecond, 0)} events/s, below ${num(LIVE_TARGETS.intakeEventsPerSecond, 0)}.${c ? ` The serve used ${pct(c.serveShareOfCore)} of a core meanwhile, ${num(c.serveMsPerEvent, 2)} ms of CPU an event (one core at that cost: ${num(1000 / c.serveMsPerEvent, 0)} events/s), the bench's process sending them ${pct(c.senderShareOfCore)}.` : ''} Each accepted event is a write transaction of its own in the SQLite ledger's inbox, committed with synchronous=FULL (a sync to disk before the 202) on the serve's event loop (node:sqlite is synchronous): requests that arrive together wait for each other's sync, and the loop waits for the disk. One transaction for the events that arrive together (a group commit) would pay one sync for many.`,
    );
  }
  const bound = l.settings.quietMs + LIVE_TARGETS.latencyMarginMs;
  for (const x of l.runs.filter((y) => y.ran)) {
    const late = x.crash?.lateAfterKillMs ?? [];
    if (x.path === 'cli' && late.length)
      notes.push(
        `${x.name}: ${late.length} conversations had their targets written only ${ms(Math.min(...late))}–${ms(Math.max(...late))} after the kill (the rest within seconds of the restart). The processor leases a subject for 60 s (leaseMs) to an owner id drawn at each start (intake-<uuid>), and the restarted serve cannot take back what the killed one had claimed before that lease runs out${x.lost.conversations === 0 && x.doubleWrites.writes === 0 ? ' (nothing lost, no double write: the repeated syncs found the targets already written or wrote them once)' : ''}. An owner id that stays the same for the ledger file (a serve is alone on its SQLite ledger), releasing the leases of a dead owner at start, or a short lease renewed while the sync runs would make it seconds.`,
      );
    if (x.path === 'temporal' && x.fault === 'none' && x.latencyMs && x.latencyMs.p99 > bound) {
      const cpu = x.cpuMs ?? {};
      const total = Object.values(cpu).reduce((a, b) => a + b, 0);
      const perEvent = x.events ? total / x.events : 0;
      const most = perEvent ? (r.machine.cpus * 1000) / perEvent : Number.POSITIVE_INFINITY;
      notes.push(
        `${x.name}: p99 ${ms(x.latencyMs.p99)} at ${num(x.ratePerSecond, 0)} events/s, above ${ms(bound)}; the platforms' limits were not what held it (${x.status429} 429s). ${
          perEvent
            ? `Its processes used ${num(perEvent, 1)} ms of CPU an event (${Object.entries(cpu)
                .map(([k, v]) => `${k} ${num(v / (x.events || 1), 1)}`)
                .join(
                  ', ',
                )}): at most ${num(most, 0)} events/s on the ${r.machine.cpus} cores with nothing else running${most < x.ratePerSecond ? `, below the ${num(x.ratePerSecond, 0)}/s asked, so the events queue up` : ''}. `
            : ''
        }Each event is a signal-with-start (a history write and a workflow task on the server); the quiet period starts when the workflow task that takes the signal runs, so any wait for a workflow task adds to the latency; then each sync is three activities (the read, one push a target), each with its workflow task.${x.delivery.retried ? ` ${x.delivery.retried} deliveries were tried again by the emulated EventBridge (no 2xx within its 5 s attempt timeout, or a refusal), ${x.duplicatesSeen ?? 0} of them recognised as repeats: the intake answers once the server has the signal.` : ''}`,
      );
    }
  }
  return notes;
}

const routeList = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([route, n]) => `${route} ${n.toFixed(2)}`)
    .join(', ') || 'none';

export function liveMarkdown(r: BenchReport): string[] {
  const l = r.live;
  if (!l) return [];
  const s = l.settings;
  const out = ['## Live sync', ''];
  if (!l.ran) return [...out, l.notRun ?? 'not run', ''];
  out.push(
    `The same emulators and limits (K = ${s.rateLimitScale}). **Intake alone**: \`cli serve\` taking EventBridge events POSTed from the bench's process, one event a request over ${s.intakeConnections} keep-alive connections, for ${s.intakeSeconds} s; its processor runs with a quiet period longer than that, so no sync competes. **End to end**: an EventBridge API destination on the Genesys emulator (delivery latency ${s.deliveryLatencyMs.min}–${s.deliveryLatencyMs.max} ms) pointing at the intake, and the emulator's generator setting attributes on N conversations (one a customer, new ones each run) at R events a second (the "load" column; ${s.conversations} at ${s.ratePerSecond}/s unless it says otherwise) in bursts of ${s.burstMin}–${s.burstMax} events (one attribute each, one burst a conversation); quiet period ${ms(s.quietMs)}, maximum wait ${ms(s.maxWaitMs)}, ${s.concurrency} syncs at once (the serve's default); the serve and the worker are told CX_RATE_LIMIT_SCALE=${s.rateLimitScale}. The emulators are reset before each run (counters, buckets full).`,
    '',
    "**How it is measured.** Latency: for each conversation, from its newest event's `eventTime` (as the Genesys emulator published it) to the first write answered by each target after it (the CXone and Cognigy emulators' request logs, watched in the bench's process), the slowest target's; a conversation whose burst set no attribute a target takes has no sample. \"As reported\": the path's own figure (the serve's JSON lines `lagMs`, the live workflows' last `lagMs`), taken when the sync ends (targets written and the ledger recorded); the serve's `cx_intake_lag_seconds` histogram has buckets too coarse (2, 3, 5 s) for a p99 against 3.5 s. Lost: at the end (once every value arrived or the settle time ran out, then a quiet period and 1.5 s more), each conversation's final Genesys participant attributes (the keys the run set) converted as the sync converts them, against the CXone custom fields and the Cognigy profile (a customer CXone does not know, and a profile that asks that no data be collected, are not written by design and not checked). Double writes: each conversation is one burst, so each target should be written once for it; every further write to that customer's record (CXone PUT of custom fields, Cognigy POST/PATCH of the profile) is counted, and whether it carried the same body again. Syncs an event: syncs (serve lines; the workflows' sync counts) over events published. Requests a sync leave out the once-a-run ones (logins, discovery, definitions, schema).",
    '',
  );
  const i = l.intake;
  if (i)
    out.push(
      i.ran
        ? `Intake alone: **${num(i.eventsPerSecond, 0)} events/s** accepted (${i.accepted.toLocaleString('en')} in ${num(i.seconds)} s)${i.latencyMs ? `; a POST took ${num(i.latencyMs.p50, 1)} ms (p50), ${num(i.latencyMs.p95, 1)} ms (p95), ${num(i.latencyMs.p99, 1)} ms (p99)` : ''}${
            Object.keys(i.refused).length
              ? `; refused ${Object.entries(i.refused)
                  .map(([st, n]) => `${st} × ${n}`)
                  .join(', ')}`
              : ''
          }. ${i.notes.join('; ')}.`
        : `Intake alone: ${i.notRun ?? 'not run'}`,
      '',
    );
  out.push(
    '| run | load | events (delivered) | syncs an event | latency p50 / p95 / p99 (emulators) | as reported p50 / p95 / p99 | Genesys reads a conversation | target requests a sync (CXone / Cognigy) | 429s | limits: events/s sustained (binding) | lost | double writes |',
    '| --- | --- | ---: | ---: | --- | --- | ---: | --- | ---: | --- | ---: | ---: |',
  );
  for (const x of l.runs) {
    if (!x.ran) {
      out.push(`| ${x.name} | ${x.notRun ?? 'not run'} | – | – | – | – | – | – | – | – | – | – |`);
      continue;
    }
    out.push(
      `| ${x.name} | ${x.conversations} conversations at ${num(x.ratePerSecond, 0)}/s | ${x.events.toLocaleString('en')} (${x.delivery.delivered.toLocaleString('en')}) | ${x.syncsPerEvent.toFixed(3)} | **${lat(x.latencyMs)}** | ${lat(x.selfReportedLatencyMs)} | ${x.genesysReadsPerConversation.toFixed(2)} | ${x.targetRequestsPerSync.cxone.toFixed(2)} / ${x.targetRequestsPerSync.cognigy.toFixed(2)} | ${x.status429} | ${x.limits ? `${num(x.limits.sustainableEventsPerSecond, 0)} (${x.limits.binding})` : '–'} | ${x.lost.conversations} | ${x.doubleWrites.writes} |`,
    );
  }
  out.push('');
  for (const x of l.runs.filter((y) => y.ran)) {
    const outcomes = Object.entries(x.outcomes)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    out.push(
      `- ${x.id}: ${x.conversations} conversations, ${x.events} events published in ${num(x.generationS)} s, settled ${num(x.elapsedS)} s after the first; delivered ${x.delivery.delivered} (attempts ${x.delivery.attempts}, retried ${x.delivery.retried}, extra copies ${x.delivery.duplicates}, given up ${x.delivery.failed}); ${x.eventsSynced} events reached a sync${x.duplicatesSeen !== undefined ? `, ${x.duplicatesSeen} repeats recognised` : ''}; ${x.syncs} syncs; outcomes ${outcomes || 'none'}; target writes CXone ${x.targetWrites.cxone}, Cognigy ${x.targetWrites.cognigy}${x.unexpectedWrites ? ` (${x.unexpectedWrites} to customers of no generated conversation)` : ''}; Genesys a conversation: ${routeList(x.genesysRoutes)}; once a run: Genesys ${x.perRunRequests.genesys}, CXone ${x.perRunRequests.cxone}, Cognigy ${x.perRunRequests.cognigy}${x.limits ? `; limits used over the run: ${x.limits.buckets.map((b) => `${b.label} ${(b.use * 100).toFixed(1)}%`).join(', ')}` : ''}${x.lagHistogram ? `; serve's lag histogram (cumulative): ${x.lagHistogram.map((h) => `≤${h.le} s ${h.count}`).join(', ')}` : ''}${x.crash ? `; crash: ${x.crash.what}, after ${num(x.crash.killedAfterS, 2)} s (${x.crash.eventsEmittedBefore} events emitted), down ${ms(x.crash.downMs)}` : ''}${
        Object.keys(x.lost.notChecked).length
          ? `; not checked: ${Object.entries(x.lost.notChecked)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')}`
          : ''
      }`,
    );
    for (const e of x.lost.examples) out.push(`  - lost: ${e}`);
    for (const e of x.doubleWrites.examples) out.push(`  - double write: ${e}`);
    for (const n of x.notes) out.push(`  - ${n}`);
  }
  out.push('');
  return out;
}

export function liveSummary(r: BenchReport): string[] {
  const l = r.live;
  if (!l) return [];
  if (!l.ran) return ['', `Live sync: ${l.notRun ?? 'not run'}`];
  const out = ['', 'Live sync (latency eventTime → target written, p50/p95/p99, from the emulators):'];
  if (l.intake?.ran) out.push(`intake alone ${num(l.intake.eventsPerSecond, 0)} events/s`);
  for (const x of l.runs) {
    if (!x.ran) {
      out.push(`${x.id.padEnd(22)} ${x.notRun}`);
      continue;
    }
    out.push(
      `${x.id.padEnd(22)} ${lat(x.latencyMs)} (reported ${lat(x.selfReportedLatencyMs)})  syncs/event ${x.syncsPerEvent.toFixed(3)}  Genesys ${x.genesysReadsPerConversation.toFixed(2)}/conversation  CXone ${x.targetRequestsPerSync.cxone.toFixed(2)} Cognigy ${x.targetRequestsPerSync.cognigy.toFixed(2)} a sync  429s ${x.status429}  lost ${x.lost.conversations}  double writes ${x.doubleWrites.writes}`,
    );
  }
  return out;
}
