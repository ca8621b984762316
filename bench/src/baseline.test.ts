import { type Emulators, startEmulators, TRICKY_VALUES } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CUSTOM_FIELD_IDENTS,
  parseRetryAfterSeconds,
  portedCustomFields,
  pythonFloat,
  pythonFloatRepr,
  pythonJsonText,
  runBaseline,
  transformAttributesForCxone,
  urllib3Backoff,
} from './baseline.js';

describe("Python's float()", () => {
  it.each([
    ['00123', 123],
    ['+4412', 4412],
    ['1e5', 100000],
    ['2E10', 2e10],
    [' 42', 42],
    ['\t7', 7],
    ['1_000', 1000],
    ['.5', 0.5],
    ['5.', 5],
    ['Infinity', Infinity],
    ['-inf', -Infinity],
    ['12345678901234567890', Number('12345678901234567890')],
  ])('reads %j as %d', (text, value) => {
    expect(pythonFloat(text)).toBe(value);
  });

  it('reads nan in any case', () => {
    expect(pythonFloat('NaN')).toBeNaN();
    expect(pythonFloat('-nAn')).toBeNaN();
  });

  it.each(['', 'yes', 'TRUE', '1__0', '_1', '1_', '0x10', '1e', '.', '2026-10-30', 'inf inity', '1 2'])(
    'refuses %j like Python (ValueError)',
    (text) => {
      expect(pythonFloat(text)).toBeUndefined();
    },
  );
});

describe("Python's float repr", () => {
  it.each([
    [123, '123.0'],
    [12500.5, '12500.5'],
    [100000, '100000.0'],
    [0.001, '0.001'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e16, '1e+16'],
    [1234567890123456, '1234567890123456.0'],
    [Number('9007199254740993'), '9007199254740992.0'],
    [Number('12345678901234567890'), '1.2345678901234567e+19'],
    [-0.5, '-0.5'],
    [-0, '-0.0'],
    [1.5e300, '1.5e+300'],
  ])('writes %d as %s', (x, text) => {
    expect(pythonFloatRepr(x)).toBe(text);
  });
});

describe("the tutorial's conversion, ported", () => {
  it('infers booleans before numbers, and numbers with float()', () => {
    expect(
      transformAttributesForCxone({ a: 'TRUE', b: '00123', c: 'gold', d: 'NaN', e: '12500.50' }),
    ).toEqual([
      { name: 'a', value: true, type: 'boolean' },
      { name: 'b', value: 123, type: 'number' },
      { name: 'c', value: 'gold', type: 'string' },
      { name: 'd', value: Number.NaN, type: 'number' },
      { name: 'e', value: 12500.5, type: 'number' },
    ]);
  });

  it("sends each value's JSON text, as the tutorial put it on the wire", () => {
    expect(pythonJsonText(true)).toBe('true');
    expect(pythonJsonText(123)).toBe('123.0');
    expect(pythonJsonText(Number.NaN)).toBe('NaN');
    expect(pythonJsonText(-Infinity)).toBe('-Infinity');
    expect(pythonJsonText('00123 ')).toBe('00123 ');
  });

  it('alters the tricky values the way the tutorial does', () => {
    const sent = Object.fromEntries(
      portedCustomFields(
        transformAttributesForCxone({
          account_number: TRICKY_VALUES.leadingZeros[0],
          phone_ext: TRICKY_VALUES.plusPrefixed[0],
          promo_code: TRICKY_VALUES.exponent[0],
          risk_score: TRICKY_VALUES.paddedNumber[0],
          opted_in: 'yes',
        }),
      ).map((f) => [f.ident, f.value]),
    );
    expect(sent).toEqual({
      account_number: '123.0',
      phone_ext: '4412.0',
      promo_code: '100000.0',
      risk_score: '42.0',
      opted_in: 'yes',
    });
  });

  it("sends only attributes named like the tenant's custom fields", () => {
    const fields = portedCustomFields(
      transformAttributesForCxone({ loyalty_tier: 'gold', visits: '3', constructor: 'x' }),
    );
    expect(fields).toEqual([{ ident: 'loyalty_tier', value: 'gold' }]);
    expect(CUSTOM_FIELD_IDENTS).not.toContain('visits');
  });
});

describe("urllib3's retry timing", () => {
  it('backs off 0 s, 2 s, 4 s with backoff factor 1', () => {
    expect([1, 2, 3].map((n) => urllib3Backoff(n))).toEqual([0, 2, 4]);
    expect(urllib3Backoff(20)).toBe(120);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfterSeconds('3')).toBe(3);
    expect(parseRetryAfterSeconds(undefined)).toBeUndefined();
    expect(parseRetryAfterSeconds('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('2015-10-21T07:28:00Z'))).toBe(
      5,
    );
    expect(parseRetryAfterSeconds('soon')).toBeUndefined();
  });
});

describe('the baseline against the emulators', () => {
  let emu: Emulators;
  beforeAll(async () => {
    emu = await startEmulators({ customers: 20, limits: false, requestLogSize: 0 });
  });
  afterAll(async () => {
    await emu.stop();
  });

  const config = () => ({
    genesys: emu.urls.genesys,
    cxone: emu.urls.cxone,
    inputs: emu.seed.customers.map((c) => ({
      conversationId: c.conversationIds[0]!,
      ...(c.cxoneCustomerId ? { cxoneCustomerId: c.cxoneCustomerId } : {}),
    })),
  });

  it('reads each conversation, writes the accepted customers, and fails the refused ones', async () => {
    const report = await runBaseline(config());
    expect(report.customers).toBe(20);
    // Customers 9 and 19 are unknown to CXone; the tutorial has no id for them.
    expect(report.outcomes['not-found']).toBe(2);
    expect(report.outcomes.updated + report.outcomes.refused).toBe(18);
    expect(report.outcomes.refused).toBeGreaterThan(0);
    expect(report.outcomes.updated).toBeGreaterThan(0);
    expect(report.valuesAltered).toBeGreaterThan(0);
    // One read and one write per known customer, each on its own connection.
    expect(emu.genesys.server.stats.byRoute['GET /api/v2/conversations/:id']).toBe(18);
    expect(emu.cxone.server.stats.byRoute['PUT /dfo/3.0/customers/:customerId/custom-fields']).toBe(18);
    const written = emu.state.cxone.customers.get(emu.seed.customers[1]!.cxoneCustomerId!)!;
    expect(written.customFields.get('account_number')?.value).toMatch(/\.0$/);
  });

  const fault = (rule: unknown) =>
    fetch(`${emu.urls.cxone.apiUrl}/__admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    });

  it('retries a 429 on the write three times, 0 s, 2 s and 4 s apart, then gives up', async () => {
    emu.reset();
    await fault({ method: 'PUT', count: 4, fault: { kind: 'status', status: 429 } });
    const slept: number[] = [];
    const one = { ...config(), inputs: [config().inputs[1]!] };
    const report = await runBaseline(one, { sleep: async (ms) => void slept.push(ms) });
    expect(report.outcomes['write-failed']).toBe(1);
    expect(report.retries).toBe(3);
    expect(slept).toEqual([0, 2000, 4000]);
    expect(emu.cxone.server.stats.byStatus['429']).toBe(4);
  });

  it("sleeps a 503's Retry-After and succeeds on the next try", async () => {
    emu.reset();
    await fault({ method: 'PUT', count: 1, fault: { kind: 'status', status: 503, retryAfter: 7 } });
    const slept: number[] = [];
    const one = { ...config(), inputs: [config().inputs[0]!] };
    const report = await runBaseline(one, { sleep: async (ms) => void slept.push(ms) });
    expect(slept).toEqual([7000]);
    expect(report.retries).toBe(1);
    expect(report.outcomes.updated + report.outcomes.refused).toBe(1);
  });

  it('does not retry the read: a 429 from Genesys Cloud fails the customer', async () => {
    emu.reset();
    await fetch(`${emu.urls.genesys.apiUrl}/__admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        method: 'GET',
        count: 1,
        fault: { kind: 'status', status: 429, retryAfter: 1 },
      }),
    });
    const report = await runBaseline({ ...config(), inputs: [config().inputs[0]!] });
    expect(report.outcomes['read-failed']).toBe(1);
    expect(
      emu.cxone.server.stats.byRoute['PUT /dfo/3.0/customers/:customerId/custom-fields'],
    ).toBeUndefined();
  });
});
