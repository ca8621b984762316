import { describe, expect, it } from 'vitest';
import { niceStep, plateauRate, ratesFromProgress, throughputSvg } from './chart.js';

describe('customers a second from progress samples', () => {
  it('is the slope over the trailing window, starting from zero', () => {
    const samples = Array.from({ length: 21 }, (_, i) => ({ t: i * 0.5, done: i * 0.5 * 40 }));
    const rates = ratesFromProgress(samples, 2);
    expect(rates[0]).toEqual({ t: 0, rate: 0 });
    for (const r of rates.slice(1)) expect(r.rate).toBeCloseTo(40, 9);
    expect(rates).toHaveLength(21);
  });

  it('shows a plateau after a burst', () => {
    const samples = [
      { t: 0, done: 0 },
      { t: 1, done: 100 },
      { t: 2, done: 200 },
      { t: 3, done: 230 },
      { t: 4, done: 260 },
      { t: 5, done: 290 },
    ];
    const rates = ratesFromProgress(samples, 1);
    expect(rates.map((r) => r.rate)).toEqual([0, 100, 100, 30, 30, 30]);
  });
});

describe('the plateau', () => {
  it('is the rate over the second half of the run, after the burst', () => {
    // 100/s for 10 s, then 30/s for 30 s.
    const samples = Array.from({ length: 41 }, (_, t) => ({
      t,
      done: t <= 10 ? t * 100 : 1000 + (t - 10) * 30,
    }));
    expect(plateauRate(samples)).toBeCloseTo(30, 9);
    expect(plateauRate([])).toBeUndefined();
  });
});

describe('the chart', () => {
  it('picks round axis steps', () => {
    expect(niceStep(43)).toBe(10);
    expect(niceStep(180)).toBe(50);
    expect(niceStep(9, 8)).toBe(2);
    expect(niceStep(0)).toBe(1);
  });

  const svg = throughputSvg(
    [
      {
        name: 'CLI <back-fill>',
        color: '#1f77b4',
        points: [
          { t: 0, rate: 0 },
          { t: 10, rate: 40 },
        ],
        limit: 44,
      },
      {
        name: 'baseline',
        color: '#d62728',
        points: [{ t: 0, rate: 11 }],
        limit: 2000,
        note: 'limit 2000/s sustained',
      },
      {
        name: 'cxone',
        color: '#9467bd',
        points: [{ t: 0, rate: 5 }],
        note: 'the limits do not bind this work',
      },
    ],
    { title: 'Customers a second', subtitle: 'K=20 & co' },
  );

  it('is an SVG document with a line per path and escaped text', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<path d="M/g)).toHaveLength(3);
    expect(svg).toContain('CLI &lt;back-fill&gt;');
    expect(svg).toContain('K=20 &amp; co');
    expect(svg).not.toContain('<back-fill>');
  });

  it('draws a limit that fits as a dashed line, and names the others', () => {
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(1);
    expect(svg).toContain('>limit 44/s<');
    expect(svg).toContain('limit 2000/s sustained (above the chart)');
    expect(svg).toContain('the limits do not bind this work');
  });
});
