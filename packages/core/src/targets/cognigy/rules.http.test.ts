/**
 * Cognigy.AI's rules over HTTP against the emulator, through the composition root: consent
 * (`prevent_data_collection`), the profile size cap, whole numbers and case-insensitive field names.
 */
import { type Emulators, emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncServices, type SyncServices } from '../../compose.js';
import { loadConfig } from '../../config.js';
import { ValidationError } from '../../errors/errors.js';
import { attributeMap, type SourceCustomer } from '../../sources/types.js';
import { applyPlan, planTarget } from '../../sync/plan.js';
import { syncCustomer } from '../../sync/sync-customer.js';

let emu: Emulators;
let services: SyncServices;

/** Customer 6's Cognigy profile has `prevent_data_collection: true` in the seed. */
const CONSENTED_OUT = 6;

beforeAll(async () => {
  emu = await startEmulators({ customers: 12 });
});
beforeEach(() => {
  emu.reset();
  emu.cognigy.log.clear();
  services = createSyncServices(loadConfig(emulatorEnv(emu.urls)));
});
afterAll(async () => {
  services?.close();
  await emu.stop();
});

const seedCustomer = (i: number) => emu.seed.customers[i]!;
const profileOf = (i: number) => emu.state.cognigy.profiles.get(seedCustomer(i).cognigyProfileId!)!;
const writes = () => emu.cognigy.log.list().filter((r) => r.method !== 'GET');
const customerOf = (i: number, attributes: Record<string, string>): SourceCustomer => ({
  source: { kind: 'conversation', id: `test-${i}` },
  identity: { email: seedCustomer(i).email, phone: seedCustomer(i).phone },
  attributes: attributeMap(Object.entries(attributes)),
});
const fromGenesys = (i: number) =>
  services.genesys.customerFromConversation(seedCustomer(i).conversationIds.at(-1)!);

describe('Cognigy.AI consent (prevent_data_collection)', () => {
  it('writes nothing to a consented-out profile: skipped, reason consent, per target', async () => {
    const before = structuredClone({ ...profileOf(CONSENTED_OUT).profile });
    const result = await syncCustomer(await fromGenesys(CONSENTED_OUT), services.targets('all'));
    expect(result.targets.find((t) => t.target === 'cognigy')).toMatchObject({
      outcome: 'skipped',
      reason: 'consent',
      customerId: seedCustomer(CONSENTED_OUT).cognigyProfileId,
      written: {},
    });
    // The other target is synced as usual.
    expect(result.targets.find((t) => t.target === 'cxone')?.outcome).toBe('updated');
    expect(writes()).toEqual([]);
    expect({ ...profileOf(CONSENTED_OUT).profile }).toEqual(before);
  });

  it('skips it in a dry run and when the profile id is given', async () => {
    const customer = await fromGenesys(CONSENTED_OUT);
    const [target] = services.targets('cognigy');
    const dry = await syncCustomer(customer, [target!], { dryRun: true });
    expect(dry.targets[0]).toMatchObject({ outcome: 'skipped', reason: 'consent' });
    const byId = await syncCustomer(customer, [target!], {
      customerIds: { cognigy: seedCustomer(CONSENTED_OUT).cognigyProfileId! },
    });
    expect(byId.targets[0]).toMatchObject({ outcome: 'skipped', reason: 'consent' });
    expect(writes()).toEqual([]);
  });

  it('never creates a profile for a contact whose existing profile carries it', async () => {
    // Only the phone number matches the consented-out profile: no new profile, nothing written.
    const customer = customerOf(CONSENTED_OUT, { loyalty_tier: 'gold' });
    customer.identity.email = 'someone.else@example.com';
    const [target] = services.targets('cognigy');
    const result = await syncCustomer(customer, [target!]);
    expect(result.targets[0]).toMatchObject({ outcome: 'skipped', reason: 'consent' });
    expect(writes()).toEqual([]);
  });

  it('does not create one on a retried create once the profile is found to carry it', async () => {
    // Planned while no profile matched (a create), then the profile appears with consent set.
    const [target] = services.targets('cognigy');
    const customer = customerOf(3, { loyalty_tier: 'gold' });
    const plan = await planTarget(customer, target!);
    expect(plan.write).toBeDefined();
    expect(plan.write!.recordId).toBeUndefined();
    const created = await services.targets('cognigy')[0]!.write(customer, undefined, { accepted_gdpr: true });
    emu.state.cognigy.profiles.get(created.id)!.profile.prevent_data_collection = true;
    emu.cognigy.log.clear();
    const result = await applyPlan(customer, target!, plan, { retried: true });
    expect(result).toMatchObject({
      outcome: 'skipped',
      reason: 'consent',
      customerId: created.id,
      written: {},
    });
    expect(writes()).toEqual([]);
  });

  it('writes it when COGNIGY_IGNORE_CONSENT=true', async () => {
    const own = createSyncServices(loadConfig({ ...emulatorEnv(emu.urls), COGNIGY_IGNORE_CONSENT: 'true' }));
    try {
      const result = await syncCustomer(
        customerOf(CONSENTED_OUT, { loyalty_tier: 'platinum' }),
        own.targets('cognigy'),
      );
      expect(result.targets[0]).toMatchObject({ outcome: 'updated', written: { loyalty_tier: 'platinum' } });
      expect(profileOf(CONSENTED_OUT).profile.loyalty_tier).toBe('platinum');
    } finally {
      own.close();
    }
  });

  it('refuses a COGNIGY_IGNORE_CONSENT that is not true or false', () => {
    expect(() => loadConfig({ ...emulatorEnv(emu.urls), COGNIGY_IGNORE_CONSENT: 'yes' })).toThrow(
      /COGNIGY_IGNORE_CONSENT must be true or false/,
    );
  });
});

describe('Cognigy.AI profile size cap', () => {
  it('refuses before sending a write that would take the stored profile past 65,536 bytes, naming the attribute', async () => {
    // 40,000 bytes stored, then 30,000 more: each body fits the 60 kB limit, the profile would not fit.
    profileOf(0).profile.display_name = 'a'.repeat(40_000);
    const [target] = services.targets('cognigy');
    const result = await syncCustomer(
      customerOf(0, { loyalty_tier: 'gold', promo_code: 'b'.repeat(30_000) }),
      [target!],
    );
    expect(result.targets[0]).toMatchObject({
      outcome: 'failed',
      error: {
        kind: 'validation',
        message: expect.stringMatching(
          /^Cognigy\.AI: profile field promo_code would make the stored profile/,
        ),
      },
    });
    expect(writes()).toEqual([]);
    expect(profileOf(0).profile.loyalty_tier).not.toBe('gold');
  });

  it('throws a ValidationError with the field from planTarget (what the worker retries or records)', async () => {
    profileOf(0).profile.display_name = 'a'.repeat(40_000);
    const [target] = services.targets('cognigy');
    const plan = planTarget(customerOf(0, { promo_code: 'b'.repeat(30_000) }), target!);
    await expect(plan).rejects.toBeInstanceOf(ValidationError);
    await expect(plan).rejects.toMatchObject({
      kind: 'validation',
      platform: 'cognigy',
      fields: [{ field: 'profile.promo_code', message: expect.stringMatching(/more than the 65536/) }],
    });
    expect(writes()).toEqual([]);
  });

  it('writes what fits', async () => {
    profileOf(0).profile.display_name = 'a'.repeat(40_000);
    const [target] = services.targets('cognigy');
    const result = await syncCustomer(customerOf(0, { promo_code: 'b'.repeat(20_000) }), [target!]);
    expect(result.targets[0]?.outcome).toBe('updated');
    expect(writes()).toHaveLength(1);
  });
});

describe('Cognigy.AI numbers and field names', () => {
  it('writes "21481.00" as 21481 and skips "1234.56" with a reason, never rounded', async () => {
    const [target] = services.targets('cognigy');
    const whole = await syncCustomer(customerOf(0, { annual_spend: '21481.00' }), [target!]);
    expect(whole.targets[0]).toMatchObject({ outcome: 'updated', written: { annual_spend: 21481 } });
    const cents = await syncCustomer(customerOf(1, { annual_spend: '1234.56', visits: '3' }), [target!]);
    expect(cents.targets[0]).toMatchObject({
      outcome: 'updated',
      written: { visits: 3 },
      skipped: [{ key: 'annual_spend', reason: expect.stringMatching(/not a whole number/) }],
    });
    expect(profileOf(1).profile.annual_spend).toBeUndefined();
  });

  it('treats Loyalty_Tier and loyalty_tier as one field, written in the schema spelling', async () => {
    const p = profileOf(0).profile;
    delete p.loyalty_tier;
    p.Loyalty_Tier = 'gold';
    const [target] = services.targets('cognigy');
    // The stored value in another spelling is the same field: unchanged, nothing written.
    const same = await syncCustomer(customerOf(0, { LOYALTY_TIER: 'gold' }), [target!]);
    expect(same.targets[0]).toMatchObject({ outcome: 'unchanged', unchanged: ['loyalty_tier'] });
    expect(writes()).toEqual([]);
    const changed = await syncCustomer(customerOf(0, { LOYALTY_TIER: 'silver' }), [target!]);
    expect(changed.targets[0]).toMatchObject({ outcome: 'updated', written: { loyalty_tier: 'silver' } });
    expect(profileOf(0).profile.loyalty_tier).toBe('silver');
    expect(Object.keys(profileOf(0).profile)).not.toContain('Loyalty_Tier');
  });
});
