import type { SeededRandom } from './random.js';

/** What an injected fault does instead of (or before) the real handler. */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string | number; code?: string; message?: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' }
  | { kind: 'malformed-json' };

/** Which requests a fault applies to, and how many of them. */
export interface FaultRule {
  /** HTTP method to match; any when absent. */
  method?: string;
  /**
   * Path to match (without the query). `*` matches one path segment, a trailing `**` anything;
   * a plain string without wildcards is matched as a prefix.
   */
  path?: string;
  /** Apply to the next `count` matching requests, then stop. */
  count?: number;
  /** Apply to this share (0..1) of matching requests, drawn from the seeded random source. */
  probability?: number;
  fault: Fault;
}

export interface ActiveFault extends FaultRule {
  id: number;
  hits: number;
}

// 401 and 403 too: a revoked role or key, as a platform would answer it.
const VALID_STATUSES = new Set([401, 403, 408, 413, 429, 500, 502, 503, 504]);

/** Checks a rule received over HTTP or from code, and says what is wrong with it. */
export function validateFaultRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null) throw new Error('fault rule must be an object');
  const r = input as Record<string, unknown>;
  const f = r.fault as Record<string, unknown> | undefined;
  if (typeof f !== 'object' || f === null) throw new Error('fault rule needs a "fault" object');
  switch (f.kind) {
    case 'status':
      if (typeof f.status !== 'number' || !VALID_STATUSES.has(f.status))
        throw new Error(`fault.status must be one of ${[...VALID_STATUSES].join(', ')}`);
      break;
    case 'delay':
      if (typeof f.ms !== 'number' || f.ms < 0) throw new Error('fault.ms must be a number >= 0');
      break;
    case 'drop':
    case 'malformed-json':
      break;
    default:
      throw new Error('fault.kind must be status, delay, drop or malformed-json');
  }
  if (r.count !== undefined && (!Number.isInteger(r.count) || (r.count as number) < 1))
    throw new Error('count must be a positive integer');
  if (
    r.probability !== undefined &&
    (typeof r.probability !== 'number' || r.probability < 0 || r.probability > 1)
  )
    throw new Error('probability must be between 0 and 1');
  if (r.path !== undefined && typeof r.path !== 'string') throw new Error('path must be a string');
  if (r.method !== undefined && typeof r.method !== 'string') throw new Error('method must be a string');
  return r as unknown as FaultRule;
}

function pathMatches(pattern: string, path: string): boolean {
  if (!pattern.includes('*')) return path.startsWith(pattern);
  const p = pattern.split('/');
  const s = path.split('/');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '**') return true;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

export class FaultInjector {
  private rules: ActiveFault[] = [];
  private nextId = 1;
  constructor(private readonly random: SeededRandom) {}

  add(rule: FaultRule): ActiveFault {
    const active = { ...validateFaultRule(rule), id: this.nextId++, hits: 0 };
    this.rules.push(active);
    return active;
  }

  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault to apply to this request, if any; counts it against its rule. */
  match(method: string, path: string): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.path && !pathMatches(rule.path, path)) continue;
      if (rule.probability !== undefined && this.random.next() >= rule.probability) continue;
      rule.hits++;
      if (rule.count !== undefined && rule.hits >= rule.count) {
        this.rules = this.rules.filter((r) => r !== rule);
      }
      return rule.fault;
    }
    return undefined;
  }
}
