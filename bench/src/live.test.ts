import { describe, expect, it } from 'vitest';
import { LIVE_RUNS, liveGoals, liveMarkdown, liveNotes, summarize } from './live.js';
import type { BenchReport, LiveReport, LiveRun } from './types.js';

describe('latency percentiles', () => {
  it('are nearest-rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarize(xs)).toEqual({ samples: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(summarize([7])).toEqual({ samples: 1, p50: 7, p95: 7, p99: 7, max: 7 });
    expect(summarize([])).toBeUndefined();
  });
});

const run = (
  spec: { id: string; name: string; path: 'cli' | 'temporal'; fault: LiveRun['fault'] },
  over: Partial<LiveRun> = {},
): LiveRun => ({
  ...spec,
  ran: true,
  ratePerSecond: 100,
  conversations: 40,
  events: 220,
  generationS: 2.2,
  elapsedS: 4.5,
  delivery: { delivered: 220, attempts: 220, retried: 0, failed: 0, duplicates: 0 },
  eventsSynced: 220,
  syncs: 40,
  syncsPerEvent: 40 / 220,
  latencyMs: { samples: 40, p50: 2300, p95: 2600, p99: 2800, max: 2800 },
  genesysReadsPerConversation: 1,
  genesysRoutes: { 'GET /api/v2/conversations/:id': 1 },
  targetRequestsPerSync: { cxone: 1.9, cognigy: 2 },
  perRunRequests: { genesys: 1, cxone: 5, cognigy: 1 },
  targetWrites: { cxone: 36, cognigy: 39 },
  status429: 0,
  limits: { withinLimits: true, binding: 'Cognigy', sustainableEventsPerSecond: 185, buckets: [] },
  outcomes: { 'cxone updated': 36 },
  lost: { conversations: 0, fields: 0, checked: { cxone: 36, cognigy: 39 }, notChecked: {}, examples: [] },
  doubleWrites: { writes: 0, identical: 0, conversations: 0, examples: [] },
  unexpectedWrites: 0,
  notes: [],
  ...over,
});

function report(runs: LiveRun[], intakePerSecond = 2500): BenchReport {
  const live: LiveReport = {
    ran: true,
    settings: {
      conversations: 40,
      ratePerSecond: 100,
      burstMin: 3,
      burstMax: 8,
      quietMs: 2000,
      maxWaitMs: 10_000,
      concurrency: 8,
      deliveryLatencyMs: { min: 30, max: 60 },
      intakeConnections: 32,
      intakeSeconds: 2,
      rateLimitScale: 20,
    },
    intake: {
      ran: true,
      accepted: intakePerSecond * 2,
      seconds: 2,
      eventsPerSecond: intakePerSecond,
      connections: 32,
      refused: {},
      cpu: { serveMsPerEvent: 0.7, serveShareOfCore: 0.9, senderShareOfCore: 0.5 },
      notes: [],
    },
    runs,
  };
  return { live, machine: { cpus: 2 } } as unknown as BenchReport;
}

const verdicts = (r: BenchReport) =>
  Object.fromEntries(liveGoals(r).map((g) => [g.goal.split(':')[0], g.met]));

describe('the live goals', () => {
  it('are met by a fast intake, a p99 within the quiet period + 1.5 s, and no loss or double write', () => {
    const r = report([
      run(LIVE_RUNS.cli),
      run(LIVE_RUNS.cliCrash),
      run(LIVE_RUNS.cliDuplicates),
      run(LIVE_RUNS.temporal),
      run(LIVE_RUNS.temporalCrash),
    ]);
    expect(Object.values(verdicts(r))).toEqual([true, true, true, true, true, true]);
    expect(liveNotes(r)).toEqual([]);
    expect(liveMarkdown(r).join('\n')).toMatch(
      /\| cli serve \| 40 conversations at 100\/s \| 220 \(220\) \|/,
    );
  });

  it('are missed by a slow intake, a late value, a double write; not judged when the limits do not allow the load', () => {
    const r = report(
      [
        run(LIVE_RUNS.cli, { latencyMs: { samples: 40, p50: 2300, p95: 2600, p99: 3400, max: 3400 } }),
        run(LIVE_RUNS.cliCrash, {
          lost: {
            conversations: 1,
            fields: 2,
            checked: { cxone: 36, cognigy: 39 },
            notChecked: {},
            examples: [],
          },
          crash: {
            killedAfterS: 5,
            eventsEmittedBefore: 110,
            writesBefore: 8,
            lateAfterKillMs: [60_100, 60_400],
            downMs: 500,
            what: 'SIGKILL',
          },
        }),
        run(LIVE_RUNS.cliDuplicates, {
          doubleWrites: { writes: 1, identical: 1, conversations: 1, examples: [] },
        }),
        run(LIVE_RUNS.temporal, {
          limits: { withinLimits: false, binding: 'Cognigy', sustainableEventsPerSecond: 50, buckets: [] },
        }),
      ],
      900,
    );
    const v = verdicts(r);
    expect(v.Live).toBe(false);
    expect(v['Live (cli serve)']).toBe(true);
    expect(v['Live (cli serve, SIGKILLed mid-run and restarted)']).toBe(false);
    expect(v['Live (cli serve, every event delivered twice)']).toBe(false);
    expect(v['Live (Temporal (intake + 1 worker))']).toBeUndefined();
    expect(`Live (${LIVE_RUNS.temporalCrash.name})` in v).toBe(true);
    expect(v[`Live (${LIVE_RUNS.temporalCrash.name})`]).toBeUndefined();
    expect(liveNotes(r).join('\n')).toMatch(/group commit/);
    expect(liveNotes(r).join('\n')).toMatch(
      /2 conversations had their targets written only 60.10 s–60.40 s after the kill.*lease/,
    );
  });

  it('count a value still missing at the end as a latency beyond the run', () => {
    const r = report([
      run(LIVE_RUNS.cli, {
        lost: {
          conversations: 2,
          fields: 3,
          checked: { cxone: 36, cognigy: 39 },
          notChecked: {},
          examples: [],
        },
      }),
    ]);
    const g = liveGoals(r).find((x) => x.goal.startsWith('Live (cli serve)'))!;
    expect(g.met).toBe(false);
    expect(g.detail).toMatch(/2 conversations' values were still missing/);
  });
});
