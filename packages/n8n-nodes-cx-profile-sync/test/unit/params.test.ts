import { ConfigurationError } from '@cx-profile-sync/core/pure';
import { describe, expect, it } from 'vitest';
import { customerFromItem } from '../../shared/customer-item';
import { isoInstant } from '../../shared/params';

describe('isoInstant', () => {
  it.each([
    ['2026-10-01T00:00:00', '2026-10-01T00:00:00.000Z'],
    ['2026-10-01', '2026-10-01T00:00:00.000Z'],
    ['2026-10-01T02:00:00+02:00', '2026-10-01T00:00:00.000Z'],
    ['2026-10-01T00:00:00Z', '2026-10-01T00:00:00.000Z'],
  ])('reads %s as %s (UTC without an offset)', (value, iso) => {
    expect(isoInstant(value, 'Start')).toBe(iso);
  });

  it('takes a Date or a Luxon-like DateTime, and refuses anything else', () => {
    expect(isoInstant(new Date('2026-01-02T03:04:05Z'), 'Start')).toBe('2026-01-02T03:04:05.000Z');
    expect(isoInstant({ toISO: () => '2026-01-02T03:04:05.000+01:00' }, 'Start')).toBe(
      '2026-01-02T02:04:05.000Z',
    );
    expect(() => isoInstant('yesterday', 'Start')).toThrow('Start is not a date and time');
    expect(() => isoInstant('', 'End')).toThrow(ConfigurationError);
  });
});

describe('customerFromItem', () => {
  it('reads the Genesys Cloud node output, keeping "__proto__" and "constructor" as plain attributes', () => {
    const json = JSON.parse(
      '{"source":{"kind":"conversation","id":"c1","participantId":"p1","at":"2026-10-01T00:00:00Z"},' +
        '"identity":{"phone":" +447900000001 ","email":"","name":"Ada"},' +
        '"attributes":{"loyalty_tier":"gold","__proto__":"proto-1","constructor":"ctor-1"}}',
    );
    const customer = customerFromItem(json);
    expect(customer.source).toEqual({
      kind: 'conversation',
      id: 'c1',
      participantId: 'p1',
      at: '2026-10-01T00:00:00Z',
    });
    expect(customer.identity).toEqual({ phone: '+447900000001', name: 'Ada' });
    expect(Object.keys(customer.attributes)).toEqual(['loyalty_tier', '__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(customer.attributes, '__proto__')?.value).toBe('proto-1');
    expect(Object.getPrototypeOf(customer.attributes)).toBeNull();
  });

  it.each([
    [{}, 'it has no "source" object'],
    [{ source: { kind: 'ticket', id: 'x' }, attributes: {} }, '"source.kind" is neither'],
    [{ source: { kind: 'conversation' }, attributes: {} }, '"source.id" is missing'],
    [
      { source: { kind: 'conversation', id: 'x' }, identity: 'x', attributes: {} },
      '"identity" is not an object',
    ],
    [{ source: { kind: 'conversation', id: 'x' } }, 'it has no "attributes" object'],
  ])('refuses an item that is not a customer: %j', (json, why) => {
    expect(() => customerFromItem(json as never)).toThrow(why);
    expect(() => customerFromItem(json as never)).toThrow(/connect a Genesys Cloud node/);
  });
});
