import { describe, expect, it } from 'vitest';
import type { GenesysAnalyticsConversation } from '../sources/genesys/types.js';
import { customerKey, customersOfConversations } from './group.js';

const conv = (
  id: string,
  start: string,
  ani: string | undefined,
  attributes: Record<string, string>,
  purpose = 'customer',
): GenesysAnalyticsConversation => ({
  conversationId: id,
  conversationStart: start,
  participants: [
    { participantId: `${id}-ivr`, purpose: 'ivr', attributes: { loyalty_tier: 'ivr' }, sessions: [] },
    {
      participantId: `${id}-p`,
      purpose,
      attributes,
      sessions: [{ mediaType: 'voice', direction: 'inbound', ...(ani ? { ani } : {}) }],
    },
  ],
});

describe('customersOfConversations', () => {
  it('syncs a customer once per page with the latest value of each attribute', () => {
    const { customers } = customersOfConversations([
      conv('c2', '2026-10-02T00:00:00Z', 'tel:+447900000001', { tier: 'gold', spend: '2' }),
      conv('c1', '2026-10-01T00:00:00Z', 'tel:+447900000001', { tier: 'silver', only_old: 'x', spend: '1' }),
      conv('c3', '2026-10-01T12:00:00Z', 'tel:+447900000002', { tier: 'bronze' }),
    ]);
    expect(customers).toHaveLength(2);
    const first = customers.find((c) => c.identity.phone === '+447900000001')!;
    expect({ ...first.attributes }).toEqual({ tier: 'gold', spend: '2', only_old: 'x' });
    expect(first.source.id).toBe('c2');
  });

  it('keeps __proto__ as data when merging', () => {
    const a: Record<string, string> = {};
    Object.defineProperty(a, '__proto__', { value: 'p1', enumerable: true });
    const b: Record<string, string> = {};
    Object.defineProperty(b, '__proto__', { value: 'p2', enumerable: true });
    const { customers } = customersOfConversations([
      conv('c1', '2026-10-01T00:00:00Z', 'tel:+447900000001', a),
      conv('c2', '2026-10-02T00:00:00Z', 'tel:+447900000001', b),
    ]);
    expect(Object.keys(customers[0]!.attributes)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(customers[0]!.attributes, '__proto__')?.value).toBe('p2');
  });

  it('reports conversations without a customer participant', () => {
    const r = customersOfConversations([conv('c1', '2026-10-01T00:00:00Z', undefined, {}, 'agent')]);
    expect(r.customers).toEqual([]);
    expect(r.withoutCustomer[0]!.conversationId).toBe('c1');
  });

  it('keys customers by external contact, then phone, then e-mail', () => {
    const base = { source: { kind: 'conversation' as const, id: 'c' }, attributes: {} };
    expect(customerKey({ ...base, identity: { externalContactId: 'x', phone: '+1' } })).toBe('contact:x');
    expect(customerKey({ ...base, identity: { phone: '+1', email: 'A@b.c' } })).toBe('phone:+1');
    expect(customerKey({ ...base, identity: { email: 'A@b.c' } })).toBe('email:a@b.c');
    expect(customerKey({ ...base, identity: {} })).toBe('conversation:c');
  });
});
