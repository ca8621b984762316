/**
 * A small hand-written SVG line chart: customers a second over time, one line per path, and each
 * path's limit as a dashed line of the same colour when it fits on the chart.
 */

export interface ProgressSample {
  /** Seconds since the path started. */
  t: number;
  /** Customers done by then. */
  done: number;
}

export interface ChartSeries {
  name: string;
  color: string;
  points: { t: number; rate: number }[];
  /** The limit's rate for this path (customers a second), drawn dashed. */
  limit?: number;
  /** Said under the name (instead of "limit N/s"). */
  note?: string;
}

/**
 * Customers a second at each sample: the customers done over the trailing `windowS` seconds. The
 * first point is at t = 0 with rate 0, so the ramp shows.
 */
export function ratesFromProgress(samples: ProgressSample[], windowS = 2): { t: number; rate: number }[] {
  const out: { t: number; rate: number }[] = [{ t: 0, rate: 0 }];
  let from = 0;
  for (let i = 1; i < samples.length; i++) {
    const s = samples[i]!;
    while (from < i - 1 && s.t - samples[from + 1]!.t >= windowS) from++;
    const a = samples[from]!;
    const dt = s.t - a.t;
    if (dt > 0) out.push({ t: s.t, rate: Math.max(0, (s.done - a.done) / dt) });
  }
  return out;
}

/** Customers a second over the second half of a run (to 95% of it): the plateau, bursts spent. */
export function plateauRate(samples: ProgressSample[]): number | undefined {
  const last = samples[samples.length - 1];
  if (!last) return undefined;
  const from = samples.find((s) => s.t >= last.t * 0.5);
  const to = [...samples].reverse().find((s) => s.t <= last.t * 0.95);
  return from && to && to.t > from.t ? (to.done - from.done) / (to.t - from.t) : undefined;
}

/** A round step for about `count` ticks up to `max`: 1, 2 or 5 times a power of ten. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 1 : 0));

export interface ChartOptions {
  title: string;
  subtitle?: string;
  width?: number;
  height?: number;
}

/** The chart as an SVG document. */
export function throughputSvg(series: ChartSeries[], options: ChartOptions): string {
  const width = options.width ?? 860;
  const height = options.height ?? 420;
  const legendWidth = 270;
  const m = { left: 56, right: legendWidth + 16, top: 56, bottom: 44 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;

  const maxT = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.t)));
  const maxRate = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.rate)));
  const yStep = niceStep(maxRate * 1.1);
  const yMax = Math.ceil((maxRate * 1.1) / yStep) * yStep;
  const xStep = niceStep(maxT, 8);
  const xMax = Math.ceil(maxT / xStep) * xStep;
  const x = (t: number) => m.left + (t / xMax) * plotW;
  const y = (r: number) => m.top + plotH - (Math.min(r, yMax) / yMax) * plotH;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${m.left}" y="22" font-size="15" font-weight="bold" fill="#222">${escapeXml(options.title)}</text>`,
  );
  if (options.subtitle)
    parts.push(`<text x="${m.left}" y="40" fill="#555">${escapeXml(options.subtitle)}</text>`);

  // Grid and axes.
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    parts.push(
      `<line x1="${m.left}" y1="${y(v).toFixed(1)}" x2="${m.left + plotW}" y2="${y(v).toFixed(1)}" stroke="#e3e3e3"/>`,
      `<text x="${m.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#444">${fmt(v)}</text>`,
    );
  }
  for (let t = 0; t <= xMax + 1e-9; t += xStep) {
    parts.push(
      `<line x1="${x(t).toFixed(1)}" y1="${m.top + plotH}" x2="${x(t).toFixed(1)}" y2="${m.top + plotH + 4}" stroke="#444"/>`,
      `<text x="${x(t).toFixed(1)}" y="${m.top + plotH + 17}" text-anchor="middle" fill="#444">${fmt(t)}</text>`,
    );
  }
  parts.push(
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + plotH}" stroke="#444"/>`,
    `<line x1="${m.left}" y1="${m.top + plotH}" x2="${m.left + plotW}" y2="${m.top + plotH}" stroke="#444"/>`,
    `<text x="${m.left + plotW / 2}" y="${height - 8}" text-anchor="middle" fill="#222">seconds since the path started</text>`,
    `<text transform="translate(16 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#222">customers a second</text>`,
  );

  // Lines, then limits, then the legend.
  for (const s of series) {
    if (s.points.length === 0) continue;
    const d = s.points
      .map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)} ${y(p.rate).toFixed(1)}`)
      .join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2" stroke-linejoin="round"/>`);
    if (s.limit !== undefined && s.limit <= yMax) {
      const end = Math.max(...s.points.map((p) => p.t));
      parts.push(
        `<line x1="${x(0).toFixed(1)}" y1="${y(s.limit).toFixed(1)}" x2="${x(end).toFixed(1)}" y2="${y(s.limit).toFixed(1)}" stroke="${s.color}" stroke-width="1.2" stroke-dasharray="6 4" opacity="0.8"/>`,
      );
    }
  }
  const lx = width - legendWidth;
  series.forEach((s, i) => {
    const ly = m.top + 8 + i * 34;
    const limit =
      s.limit === undefined
        ? (s.note ?? '')
        : `${s.note ?? `limit ${fmt(Number(s.limit.toPrecision(3)))}/s`}${s.limit > yMax ? ' (above the chart)' : ''}`;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${s.color}" stroke-width="3"/>`,
      `<text x="${lx + 28}" y="${ly + 4}" fill="#222">${escapeXml(s.name)}</text>`,
      `<text x="${lx + 28}" y="${ly + 18}" fill="#666" font-size="11">${escapeXml(limit)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
