import { describe, expect, it } from 'vitest';
import { generateSeed, latestAttributes } from './seed.js';
import { TRICKY_VALUES } from './tricky-values.js';

describe('seed data', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(generateSeed({ seed: 5, customers: 10 })).toEqual(generateSeed({ seed: 5, customers: 10 }));
    expect(generateSeed({ seed: 6, customers: 10 }).customers[0]!.externalContactId).not.toBe(
      generateSeed({ seed: 5, customers: 10 }).customers[0]!.externalContactId,
    );
  });

  it('holds every tricky value across 50 customers', () => {
    const seed = generateSeed({ customers: 50 });
    const values = new Set(
      seed.genesys.conversations.flatMap((c) => c.participants.flatMap((p) => Object.values(p.attributes))),
    );
    for (const group of Object.values(TRICKY_VALUES)) {
      for (const v of group)
        if (v !== 'yes') expect(values.has(v), `missing ${JSON.stringify(v)}`).toBe(true);
    }
    expect([...values].some((v) => v.length === 1000)).toBe(true);
  });

  it('stores __proto__ and constructor as own attribute keys', () => {
    const seed = generateSeed({ customers: 2 });
    const attrs = seed.genesys.conversations[0]!.participants.find(
      (p) => p.purpose === 'customer',
    )!.attributes;
    expect(Object.keys(attrs)).toContain('__proto__');
    expect(Object.keys(attrs)).toContain('constructor');
    expect(Object.getOwnPropertyDescriptor(JSON.parse(JSON.stringify(attrs)), '__proto__')?.value).toMatch(
      /^proto-/,
    );
  });

  it('has customers on both sides by phone and email, some missing on each target', () => {
    const seed = generateSeed({ customers: 20 });
    const c = seed.customers[0]!;
    const cx = seed.cxone.customers.find((x) => x.id === c.cxoneCustomerId)!;
    expect(cx.identities.map((i) => i.idOnExternalPlatform)).toEqual([c.phone, c.email]);
    expect(seed.customers.some((x) => !x.cxoneCustomerId)).toBe(true);
    expect(seed.customers.some((x) => !x.cognigyProfileId)).toBe(true);
    expect(c.phone).toMatch(/^\+[1-9]\d{6,14}$/);
  });

  it('orders each customer’s conversations and merges the latest attributes last', () => {
    const seed = generateSeed({ customers: 3, conversationsPerCustomer: 3 });
    expect(seed.genesys.conversations).toHaveLength(9);
    const merged = latestAttributes(seed, 1);
    const lastId = seed.customers[1]!.conversationIds.at(-1)!;
    const last = seed.genesys.conversations.find((c) => c.id === lastId)!;
    expect(merged.loyalty_tier).toBe(last.participants[0]!.attributes.loyalty_tier);
  });

  it('scales to 10,000 customers quickly enough for benchmarks', () => {
    const seed = generateSeed({ customers: 10_000 });
    expect(seed.genesys.conversations).toHaveLength(10_000);
  });
});

describe('seed participants', () => {
  it('gives some conversations participants of other purposes beside the customer, who comes first', () => {
    const seed = generateSeed({ customers: 50 });
    const purposes = new Set(seed.genesys.conversations.flatMap((c) => c.participants.map((p) => p.purpose)));
    expect([...purposes].sort()).toEqual(
      [
        'acd',
        'agent',
        'api',
        'customer',
        'dialer',
        'external',
        'ivr',
        'user',
        'voicemail',
        'workflow',
      ].sort(),
    );
    for (const c of seed.genesys.conversations) {
      expect(c.participants[0]!.purpose).toBe('customer');
      expect(c.participants.filter((p) => p.purpose === 'customer')).toHaveLength(1);
    }
    const withWorkflow = seed.genesys.conversations.find((c) =>
      c.participants.some((p) => p.purpose === 'workflow'),
    )!;
    expect(withWorkflow.participants.find((p) => p.purpose === 'workflow')!.attributes.loyalty_tier).toBe(
      'workflow-guess',
    );
  });

  it('adds conversations without a customer only when asked, leaving everything else as it was', () => {
    const plain = generateSeed({ customers: 10 });
    const seed = generateSeed({ customers: 10, conversationsWithoutCustomer: 2 });
    const without = seed.genesys.conversations.filter((c) => c.customerIndex === -1);
    expect(without).toHaveLength(2);
    for (const c of without) expect(c.participants.map((p) => p.purpose)).toEqual(['agent', 'external']);
    expect(seed.genesys.conversations.filter((c) => c.customerIndex !== -1)).toEqual(
      plain.genesys.conversations,
    );
    expect(plain.genesys.conversations.every((c) => c.customerIndex >= 0)).toBe(true);
    expect(seed.customers).toEqual(plain.customers);
  });
});
