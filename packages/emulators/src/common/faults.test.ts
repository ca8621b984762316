import { describe, expect, it } from 'vitest';
import { FaultInjector, validateFaultRule } from './faults.js';
import { SeededRandom } from './random.js';

describe('FaultInjector', () => {
  it('applies a counted fault to the next N matching requests only', () => {
    const f = new FaultInjector(new SeededRandom(1));
    f.add({ path: '/api/v2/conversations/*', count: 2, fault: { kind: 'status', status: 503 } });
    expect(f.match('GET', '/api/v2/conversations/abc')).toEqual({ kind: 'status', status: 503 });
    expect(f.match('GET', '/api/v2/tokens/me')).toBeUndefined();
    expect(f.match('GET', '/api/v2/conversations/def')).toBeDefined();
    expect(f.match('GET', '/api/v2/conversations/ghi')).toBeUndefined();
  });

  it('matches by method and by prefix', () => {
    const f = new FaultInjector(new SeededRandom(1));
    f.add({ method: 'put', path: '/dfo/3.0/customers', fault: { kind: 'drop' } });
    expect(f.match('GET', '/dfo/3.0/customers/1')).toBeUndefined();
    expect(f.match('PUT', '/dfo/3.0/customers/1/custom-fields')).toEqual({ kind: 'drop' });
  });

  it('applies a probabilistic fault to about that share, repeatably for a seed', () => {
    const run = () => {
      const f = new FaultInjector(new SeededRandom(7));
      f.add({ probability: 0.3, fault: { kind: 'status', status: 500 } });
      return Array.from({ length: 1000 }, () => (f.match('GET', '/x') ? 1 : 0)).join('');
    };
    const a = run();
    expect(a).toBe(run());
    const hits = [...a].filter((c) => c === '1').length;
    expect(hits).toBeGreaterThan(240);
    expect(hits).toBeLessThan(360);
  });

  it('rejects malformed rules with the reason', () => {
    expect(() => validateFaultRule({ fault: { kind: 'status', status: 200 } })).toThrow(/fault.status/);
    expect(() => validateFaultRule({ fault: { kind: 'boom' } })).toThrow(/fault.kind/);
    expect(() => validateFaultRule({ probability: 2, fault: { kind: 'drop' } })).toThrow(/probability/);
  });
});
