import { type ChartSeries, ratesFromProgress, throughputSvg } from './chart.js';
import { LEDGER_PATH_IDS, ledgerGoals, ledgerMarkdown, ledgerSummary } from './ledger.js';
import { liveGoals, liveMarkdown, liveNotes, liveSummary } from './live.js';
import type { BenchReport, Goal, PathResult } from './types.js';

/** The goals of issue 6 (never timed tests: numbers checked and printed). */
export const TARGETS = {
  shareOfLimit: 0.9,
  /** "Almost no 429s": at most one in a thousand requests. */
  max429PerRequest: 0.001,
  genesysReadsPerCustomer: 0.01,
  memoryGrowth: 0.2,
  mapsPerSecond: 200_000,
};

const OUR_PATHS = ['cli', 'cli-again', 'temporal-1', 'temporal-4'];
const BACKFILLS = ['cli-cxone', 'cli', 'cli-again', 'temporal-1', 'temporal-4'];

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
const num = (x: number, digits = 1) =>
  Number.isFinite(x) ? x.toLocaleString('en', { maximumFractionDigits: digits }) : '∞';

export function goalsOf(r: BenchReport): Goal[] {
  const goals: Goal[] = [];
  const ran = (ids: string[]) => r.paths.filter((p) => ids.includes(p.id) && p.ran);

  for (const p of r.paths.filter((x) => OUR_PATHS.includes(x.id))) {
    const goal = `${p.name}: ≥ ${pct(TARGETS.shareOfLimit)} of the binding limit, almost no 429s`;
    if (!p.ran || !p.limit) {
      goals.push({ goal, met: undefined, detail: p.notRun ?? 'not run' });
      continue;
    }
    if (p.limit.withinBursts) {
      goals.push({
        goal,
        met: undefined,
        detail: `the work fits in the limits' bursts at K=${r.settings.timeScale}: nothing binds (${num(p.rate)}/s reached)`,
      });
      continue;
    }
    const few429 = p.status429 <= Math.max(1, p.requests * TARGETS.max429PerRequest);
    const share = p.share ?? 0;
    goals.push({
      goal,
      met: share >= TARGETS.shareOfLimit && few429,
      detail: `${pct(share)} of ${num(p.limit.bestRate)}/s (${p.limit.binding}), ${p.status429} 429s in ${p.requests.toLocaleString('en')} requests`,
    });
  }

  const reads = ran(BACKFILLS);
  const worst = reads.reduce<PathResult | undefined>(
    (a, b) => (a && a.genesysReadsPerCustomer >= b.genesysReadsPerCustomer ? a : b),
    undefined,
  );
  goals.push({
    goal: `Genesys reads a customer in a back-fill ≤ ${TARGETS.genesysReadsPerCustomer}`,
    met: worst ? worst.genesysReadsPerCustomer <= TARGETS.genesysReadsPerCustomer : undefined,
    detail: worst
      ? reads.map((p) => `${p.id} ${p.genesysReadsPerCustomer.toFixed(4)}`).join(', ')
      : 'no back-fill ran',
  });

  const again = r.paths.find((p) => p.id === 'cli-again');
  goals.push({
    goal: 'A second back-fill of unchanged data writes nothing',
    met: again?.ran ? again.writes === 0 : undefined,
    detail: again?.ran
      ? `${again.writes} writes, ${again.outcomes.unchanged ?? 0} customers unchanged, ${again.outcomes.updated ?? 0} updated`
      : 'not run',
  });

  const m = r.memory;
  // The goal is for 10,000 vs 100,000 conversations; smaller runs (--quick) are reported, not judged.
  const judged = m?.ran && m.growth !== undefined && (m.runs[0]?.conversations ?? 0) >= 10_000;
  goals.push({
    goal: `Back-fill memory flat: 10,000 vs 100,000 conversations within ${pct(TARGETS.memoryGrowth)}`,
    met: judged ? m!.growth! <= TARGETS.memoryGrowth : undefined,
    detail:
      m?.ran && m.growth !== undefined
        ? `${m.runs.map((x) => `${x.conversations.toLocaleString('en')} conversations ${num(x.peakRssMb, 0)} MB`).join(' → ')} (${m.growth >= 0 ? '+' : ''}${pct(m.growth)}), ${m.subject}${judged ? '' : '; too small to judge (the heap has not reached its size yet): pnpm bench --memory'}`
        : (m?.notRun ?? 'not run: `pnpm bench --memory`'),
  });

  const c = r.conversion;
  goals.push({
    goal: `Conversion ≥ ${TARGETS.mapsPerSecond.toLocaleString('en')} attribute maps a second on one core`,
    met: c ? conversionRate(c) >= TARGETS.mapsPerSecond : undefined,
    detail: c
      ? `${c.cpuMedian !== undefined ? `${num(c.cpuMedian, 0)} maps per CPU-second (median); ` : ''}${num(c.median, 0)}/s by the wall clock (median, best ${num(c.best, 0)}) over ${c.passes.length} passes of ${c.maps.toLocaleString('en')} maps to both targets`
      : 'not run',
  });
  goals.push(...ledgerGoals(r));
  goals.push(...liveGoals(r));
  return goals;
}

/**
 * Why goals were missed, as far as the numbers tell: a path below its limit that got no 429s was
 * held back by itself (latency × concurrency, CPU, orchestration), not by the platforms.
 */
export function closingNotes(r: BenchReport): string[] {
  const notes: string[] = [];
  // The load before the run is other people's; after it, it includes the benchmark's own processes.
  const busy = r.machine.loadBefore[0] ?? 0;
  if (busy > r.machine.cpus * 0.75)
    notes.push(
      `The machine was busy when the run started (load average ${busy.toFixed(1)} on ${r.machine.cpus} cores; other engineers' builds and tests share it): the CPU-bound numbers (Temporal, conversion, the second back-fill) are lower than on a quiet machine.`,
    );
  for (const p of r.paths.filter((x) => x.ran && x.limit && OUR_PATHS.includes(x.id))) {
    const share = p.share ?? 0;
    const limit = p.limit!;
    if (limit.withinBursts || share >= TARGETS.shareOfLimit) {
      if (p.status429 > Math.max(1, p.requests * TARGETS.max429PerRequest))
        notes.push(
          `${p.name}: ${p.status429} 429s. ${p.id.startsWith('temporal') ? 'The worker can only be told CX_RATE_LIMIT_SCALE=K, which multiplies the bursts as well as the rates: its client-side limiter believes in bursts K times larger than the time-scaled emulators allow, so the first requests past the real burst are refused (then Retry-After is obeyed and the limiter drained).' : 'The client-side limiter and the emulators disagreed about the bucket.'}`,
        );
      continue;
    }
    const heldBy =
      p.status429 <= Math.max(1, p.requests * TARGETS.max429PerRequest)
        ? 'the platforms never refused it, so the limits did not hold it back: the path itself did'
        : `it also got ${p.status429} 429s`;
    const c = p.cpuMsPerCustomer;
    const cpuMs = c ? (c.path ?? 0) + (c.temporalServer ?? 0) + c.emulators : undefined;
    const cpuNote = () => {
      if (cpuMs === undefined || !c) return '';
      const cpuMax = (r.machine.cpus * 1000) / cpuMs;
      const used = ` It used ${num(cpuMs)} ms of CPU a customer in all (workers ${num(c.path ?? 0)}, Temporal server ${num(c.temporalServer ?? 0)}, emulators ${num(c.emulators)})`;
      if (cpuMax < limit.sustainedRate)
        return `${used}: at most ${num(cpuMax)} customers/s on ${r.machine.cpus} cores, below the limits' ${num(limit.sustainedRate)}/s.`;
      const perCustomer = r.settings.concurrency / p.rate;
      const plateau =
        p.plateauRate !== undefined
          ? ` On its plateau it made ${num(p.plateauRate)}/s, ${pct(p.plateauRate / limit.sustainedRate)} of the ${num(limit.sustainedRate)}/s the binding limit sustains once its burst is spent.`
          : '';
      return `${used}: ${num(cpuMax)} customers/s if it had the ${r.machine.cpus} cores to itself. With ${r.settings.concurrency} customers at a time, each customer took ${num(perCustomer, 2)} s (activity round trips through the Temporal server, workflow tasks, CPU shared with the emulators and any other process), which caps it at ${r.settings.concurrency} / ${num(perCustomer, 2)} s ≈ ${num(p.rate)}/s: too slow to use the burst the limits allow at the start.${plateau}`;
    };
    const why = p.id.startsWith('temporal')
      ? `Every customer is two to four activities (a plan and a push for each target), each a round trip through the Temporal server plus a workflow task.${cpuNote()}`
      : `It syncs ${r.settings.concurrency} customers at a time at ${r.settings.latencyMs.min}–${r.settings.latencyMs.max} ms a request, with two processes sharing ${r.machine.cpus} cores.`;
    notes.push(
      `${p.name}: ${pct(share)} of the ${num(limit.bestRate)}/s the limits allow; ${heldBy}. ${why}`,
    );
  }
  const c = r.conversion;
  if (c && conversionRate(c) < TARGETS.mapsPerSecond)
    notes.push(
      `Conversion: ${num(conversionRate(c), 0)} maps/s, ${num(1e6 / conversionRate(c), 1)} µs a map for both targets (CXone alone ${num(1e6 / c.cxoneOnly, 1)} µs, Cognigy alone ${num(1e6 / c.cognigyOnly, 1)} µs); ${num(TARGETS.mapsPerSecond, 0)}/s needs ${num(1e6 / TARGETS.mapsPerSecond, 1)} µs. It is far from binding a sync (the limits allow tens of customers a second), but the goal is missed.`,
    );
  notes.push(...liveNotes(r));
  const m = r.memory;
  if (m?.ran && m.growth !== undefined && m.growth > TARGETS.memoryGrowth)
    notes.push(
      `Memory grew ${pct(m.growth)} from ${m.runs[0]?.conversations} to ${m.runs[m.runs.length - 1]?.conversations} conversations.`,
    );
  return notes;
}

/** Maps a second on one core: per CPU-second when measured (robust on a shared machine), else wall clock. */
export const conversionRate = (c: NonNullable<BenchReport['conversion']>) => c.cpuMedian ?? c.median;

const verdict = (g: Goal) => (g.met === undefined ? 'not checked' : g.met ? 'met' : 'MISSED');

/** CPU milliseconds a customer: the path's processes (+ the Temporal server) / the emulators. */
function cpuCell(p: PathResult): string {
  const c = p.cpuMsPerCustomer;
  if (!c) return '–';
  const own = c.path !== undefined ? `${num(c.path)} ms` : '?';
  const server = c.temporalServer !== undefined ? ` + server ${num(c.temporalServer)} ms` : '';
  return `${own}${server} (emulators ${num(c.emulators)} ms)`;
}

/** The share over the whole run, and on the plateau against the sustained limit. */
function shareCell(p: PathResult): string {
  if (p.share === undefined) return '–';
  if (!p.limit || p.limit.withinBursts || p.plateauRate === undefined) return pct(p.share);
  const plateau = p.plateauRate / p.limit.sustainedRate;
  // Above the sustained rate the burst was not spent yet in the second half: no plateau to compare.
  return plateau > 1.05 ? pct(p.share) : `${pct(p.share)} (plateau ${pct(plateau)})`;
}

function limitCell(p: PathResult): string {
  if (!p.limit) return '–';
  return p.limit.withinBursts
    ? `fits in bursts; ${num(p.limit.sustainedRate)}/s sustained (${p.limit.binding})`
    : `${num(p.limit.bestRate)}/s (${p.limit.binding})`;
}

export function markdownReport(r: BenchReport): string {
  const s = r.settings;
  const m = r.machine;
  const lines: string[] = [];
  lines.push(
    '# Benchmark results',
    '',
    `Run ${r.startedAt} (${r.mode}, ${num(r.durationS / 60)} min) on ${m.cpus} × ${m.cpuModel}, ${num(m.memoryGb, 0)} GB, Node ${m.node}; load average (1, 5, 15 min) ${m.loadBefore.map((x) => x.toFixed(2)).join(' ')} before the run, ${m.loadAfter.map((x) => x.toFixed(2)).join(' ')} after it (the benchmark's own processes included; other engineers' builds and tests share the machine).`,
    '',
    `Emulators: ${s.customers.toLocaleString('en')} customers (one conversation each), latency ${s.latencyMs.min}–${s.latencyMs.max} ms a request, the documented limits with every window divided by K = ${s.timeScale} (Genesys 300/min per token, CXone 120,000 gets/h and 1,000,000 updates/h per tenant and a burst of 250 per customer, Cognigy 1,000 per 5 min per address; each a token bucket that starts full). Back-fills sync ${s.concurrency} customers at a time. The CLI path's client-side limiter is given the emulators' limits exactly (the same bursts, refilled ${s.timeScale} times faster); the worker, which takes only environment variables, is given CX_RATE_LIMIT_SCALE=${s.timeScale} (bursts × ${s.timeScale} as well) and its task-queue rates × ${s.timeScale}. The tutorial's script and the Temporal paths stop after a time box; their limits are computed for the whole sample at the requests a customer they made.`,
    '',
    '| path | writes to | customers | s | customers/s | best rate the limits allow (binding limit) | share | requests a customer (Genesys / CXone / Cognigy) | 429s | failures | peak RSS | CPU a customer | × baseline |',
    '| --- | --- | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | --- | ---: |',
  );
  for (const p of r.paths) {
    if (!p.ran) {
      lines.push(
        `| ${p.name} | ${p.work} | – | – | – | ${p.notRun ?? 'not run'} | – | – | – | – | – | – | – |`,
      );
      continue;
    }
    const q = p.requestsPerCustomer;
    lines.push(
      `| ${p.name} | ${p.work} | ${p.customers.toLocaleString('en')} | ${num(p.elapsedS)} | **${num(p.rate)}** | ${limitCell(p)} | ${shareCell(p)} | ${q.genesys.toFixed(3)} / ${q.cxone.toFixed(2)} / ${q.cognigy.toFixed(2)} | ${p.status429} | ${p.failures} | ${p.peakRssMb !== undefined ? `${num(p.peakRssMb, 0)} MB` : '–'} | ${cpuCell(p)} | ${p.ratioToBaseline !== undefined ? `${num(p.ratioToBaseline)}×` : '–'} |`,
    );
  }
  lines.push(
    '',
    '"share" is over the whole run, against the best rate for it (bursts included); "plateau" is the second half of the run against the rate the binding limit sustains once its burst is spent. "customers" counts every customer brought to an outcome (written, unchanged, not found or failed); "failures" are those that ended failed. "CPU a customer" is the CPU time of the path\'s processes (the Temporal workers, plus the Temporal server) and of the emulators, over the customers done. The best rate is computed from the emulators\' settings for the requests that path made (each limit a bucket that starts full, then refills).',
    '',
  );

  lines.push('## Goals', '', '| goal | result | numbers |', '| --- | --- | --- |');
  for (const g of r.goals) lines.push(`| ${g.goal} | ${verdict(g)} | ${g.detail} |`);
  lines.push('');
  if (r.notes.length) lines.push('### Closing note', '', ...r.notes.map((n) => `- ${n}`), '');
  lines.push(...ledgerMarkdown(r));
  lines.push(...liveMarkdown(r));

  if (r.conversion) {
    const c = r.conversion;
    lines.push(
      '## Conversion alone',
      '',
      `${c.maps.toLocaleString('en')} seed attribute maps (19 attributes each, tricky values included) converted to both targets (\`toCxoneCustomFields\` against the CXone field definitions, \`toCognigyProfile\` against the Cognigy schema) on one thread: ${c.cpuMedian !== undefined ? `**${num(c.cpuMedian, 0)} maps per CPU-second** (median; every thread of the process, GC included), ` : ''}${num(c.median, 0)} maps/s by the wall clock (median; best ${num(c.best, 0)}; passes: ${c.passes.map((x) => num(x, 0)).join(', ')}); by the wall clock CXone alone ${num(c.cxoneOnly, 0)}/s, Cognigy alone ${num(c.cognigyOnly, 0)}/s.`,
      '',
    );
  }
  if (r.memory) {
    const mem = r.memory;
    lines.push('## Memory as the back-fill grows', '');
    if (mem.ran) {
      lines.push(
        `Measured: ${mem.subject}, with the emulators' latency and limits off and the client's limits off (memory, not speed).`,
        '',
        '| conversations | customers | customer syncs | s | peak RSS |',
        '| ---: | ---: | ---: | ---: | ---: |',
      );
      for (const x of mem.runs)
        lines.push(
          `| ${x.conversations.toLocaleString('en')} | ${x.customers.toLocaleString('en')} | ${x.syncs.toLocaleString('en')} | ${num(x.elapsedS)} | ${num(x.peakRssMb, 0)} MB |`,
        );
      lines.push('');
    } else lines.push(mem.notRun ?? 'not run', '');
  }

  lines.push('## Per path', '');
  for (const p of r.paths) {
    lines.push(`### ${p.name}`, '');
    if (!p.ran) {
      lines.push(p.notRun ?? 'not run', '');
      continue;
    }
    const outcomes = Object.entries(p.outcomes)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    lines.push(`- outcomes: ${outcomes}; writes on the targets: ${p.writes}`);
    if (p.limit) {
      lines.push(
        `- limits for ${p.limit.customers !== undefined && p.limit.customers !== p.customers ? `the whole sample's work (${p.limit.customers.toLocaleString('en')} customers at this path's requests a customer)` : 'this work'}: ${p.limit.buckets
          .filter((b) => b.requests > 0)
          .map(
            (b) =>
              `${b.label}: ${b.requests.toLocaleString('en')} requests (${b.perCustomer.toFixed(3)} a customer${b.keys > 1 ? `, ${b.keys} keys` : ''}), ${num(b.sustainedRate)} customers/s sustained, ≥ ${num(b.minSeconds)} s`,
          )
          .join('; ')}`,
      );
    }
    for (const n of p.notes) lines.push(`- ${n}`);
    for (const f of p.failureExamples.slice(0, 4)) lines.push(`- failure: ${f}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

const COLORS: Record<string, string> = {
  baseline: '#d62728',
  'cli-cxone': '#9467bd',
  cli: '#1f77b4',
  'cli-again': '#17becf',
  'temporal-1': '#2ca02c',
  'temporal-4': '#ff7f0e',
};

export function throughputChart(r: BenchReport): string {
  // The ledger's back-fills are in their own table: the chart keeps to the paths it always showed.
  const series: ChartSeries[] = r.paths
    .filter((p) => p.ran && !LEDGER_PATH_IDS.includes(p.id))
    .map((p) => ({
      name: p.name,
      color: COLORS[p.id] ?? '#555',
      points: ratesFromProgress(p.progress, 2),
      // The plateau meets the sustained rate; the table's share is over the whole run, burst included.
      ...(p.limit && !p.limit.withinBursts
        ? {
            limit: p.limit.sustainedRate,
            note: `limit ${num(p.limit.sustainedRate, 0)}/s; ${num(p.limit.bestRate, 0)}/s over the whole run`,
          }
        : { note: 'the limits do not bind this work' }),
    }));
  return throughputSvg(series, {
    title: 'Customers a second over time',
    subtitle: `${r.settings.customers.toLocaleString('en')} customers; latency ${r.settings.latencyMs.min}–${r.settings.latencyMs.max} ms; limits × K=${r.settings.timeScale}, dashed: the binding limit once its burst is spent; 2 s window`,
  });
}

export function printSummary(r: BenchReport): void {
  const out: string[] = [''];
  for (const p of r.paths) {
    if (!p.ran) {
      out.push(`${p.name.padEnd(36)} ${p.notRun}`);
      continue;
    }
    out.push(
      `${p.name.padEnd(36)} ${num(p.rate).padStart(7)} customers/s  limit ${limitCell(p)}  share ${p.share !== undefined ? pct(p.share) : '–'}  429s ${p.status429}  failures ${p.failures}  ${p.ratioToBaseline !== undefined ? `${num(p.ratioToBaseline)}× baseline` : ''}`,
    );
  }
  out.push(...ledgerSummary(r), ...liveSummary(r), '');
  for (const g of r.goals) out.push(`${verdict(g).padEnd(12)} ${g.goal}: ${g.detail}`);
  console.log(out.join('\n'));
}
