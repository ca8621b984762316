// biome-ignore-all lint/suspicious/noExplicitAny: parsed CLI output is inspected freely in tests
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversationOf, runCli, useEmulators } from '../test-helpers.js';

const { emu, env } = useEmulators();

const cxoneFields = (customerId: string) =>
  Object.fromEntries(
    [...emu().state.cxone.customers.get(customerId)!.customFields].map(([k, v]) => [k, v.value]),
  );
const cognigyProfile = (profileId: string) =>
  emu().state.cognigy.profiles.get(profileId)!.profile as Record<string, unknown>;
const writes = (platform: 'cxone' | 'cognigy') =>
  emu()
    [platform].log.list()
    .filter((r) => ['PUT', 'PATCH', 'POST', 'DELETE'].includes(r.method) && !r.path.startsWith('/auth/'));

describe('sync conversation', () => {
  it('writes the customer’s attributes to both targets, typed for each, and reports every attribute', async () => {
    const seed = emu().seed;
    const c = seed.customers[0]!;
    const run = await runCli(['sync', 'conversation', conversationOf(emu(), 0), '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    const attrs = seed.genesys.conversations
      .find((x) => x.id === conversationOf(emu(), 0))!
      .participants.find((p) => p.purpose === 'customer')!.attributes;

    const [cx, cg] = run.json.targets;
    expect(cx).toMatchObject({ target: 'cxone', customerId: c.cxoneCustomerId, outcome: 'updated' });
    expect(cg).toMatchObject({ target: 'cognigy', customerId: c.cognigyProfileId, outcome: 'updated' });
    // Every attribute ends written, unchanged or skipped, on each target.
    for (const t of run.json.targets) {
      const accounted = [...Object.keys(t.written), ...t.unchanged, ...t.skipped.map((s: any) => s.key)];
      expect(accounted.sort()).toEqual(Object.keys(attrs).sort());
    }

    const stored = cxoneFields(c.cxoneCustomerId!);
    // CXone takes strings exactly as Genesys had them (text fields).
    expect(stored.account_number).toBe(attrs.account_number);
    expect(stored.promo_code).toBe(attrs.promo_code);
    expect(stored.phone_ext).toBe(attrs.phone_ext);
    expect(stored.long_note).toBe(attrs.long_note);
    expect(stored.display_name).toBe(attrs.display_name);
    expect(stored.opted_in).toBe(attrs.opted_in!.toLowerCase());
    expect(stored).not.toHaveProperty('big_account_id');

    const profile = cognigyProfile(c.cognigyProfileId!);
    expect(profile.account_number).toBe(attrs.account_number);
    expect(profile.promo_code).toBe(attrs.promo_code);
    // Cognigy number fields take whole numbers only: a spend with cents is skipped, never rounded.
    expect(profile.annual_spend).toBe(
      Number.isInteger(Number(attrs.annual_spend)) ? Number(attrs.annual_spend) : undefined,
    );
    expect(typeof profile.opted_in).toBe('boolean');
    expect(profile.preferences).toEqual(JSON.parse(attrs.preferences!));
    expect(Object.keys(profile)).not.toContain('__proto__');
    expect(({} as any).polluted).toBeUndefined();
  });

  it('writes nothing the second time and says unchanged', async () => {
    const id = conversationOf(emu(), 1);
    expect((await runCli(['sync', 'conversation', id], env())).code).toBe(0);
    emu().cxone.log.clear();
    emu().cognigy.log.clear();
    const again = await runCli(['sync', 'conversation', id, '--json'], env());
    expect(again.code).toBe(0);
    expect(again.json.targets.map((t: any) => t.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(writes('cxone')).toEqual([]);
    expect(writes('cognigy')).toEqual([]);
  });

  it('with --dry-run shows the plan and writes nothing', async () => {
    const run = await runCli(
      ['sync', 'conversation', conversationOf(emu(), 2), '--dry-run', '--json'],
      env(),
    );
    expect(run.code).toBe(0);
    expect(run.json.targets.map((t: any) => t.outcome)).toEqual(['dry-run', 'dry-run']);
    expect(Object.keys(run.json.targets[0].written).length).toBeGreaterThan(5);
    expect(writes('cxone')).toEqual([]);
    expect(writes('cognigy')).toEqual([]);
  });

  it('creates a missing Cognigy profile with the customer’s contact ids, or refuses with --no-create', async () => {
    const index = emu().seed.customers.findIndex((c) => !c.cognigyProfileId);
    const c = emu().seed.customers[index]!;
    const refused = await runCli(
      ['sync', 'conversation', conversationOf(emu(), index), '--target', 'cognigy', '--no-create', '--json'],
      env(),
    );
    expect(refused.code).toBe(4);
    expect(refused.json.targets[0].outcome).toBe('customer-not-found');
    const run = await runCli(
      ['sync', 'conversation', conversationOf(emu(), index), '--target', 'cognigy', '--json'],
      env(),
    );
    expect(run.code).toBe(0);
    expect(run.json.targets[0]).toMatchObject({ outcome: 'updated', created: true });
    const created = emu().state.cognigy.profiles.get(run.json.targets[0].customerId)!;
    expect(created.contactIds).toContain(c.phone);
  });

  it('reports a customer CXone does not know as customer-not-found (exit 4) and never creates one', async () => {
    const index = emu().seed.customers.findIndex((c) => !c.cxoneCustomerId);
    const before = emu().state.cxone.customers.size;
    const run = await runCli(
      ['sync', 'conversation', conversationOf(emu(), index), '--target', 'cxone', '--json'],
      env(),
    );
    expect(run.code).toBe(4);
    expect(run.json.targets[0].outcome).toBe('customer-not-found');
    expect(run.json.targets[0].reason).toMatch(/no CXone customer/);
    expect(emu().state.cxone.customers.size).toBe(before);
  });

  it('writes to an explicit --cxone-customer and --cognigy-profile', async () => {
    const other = emu().seed.customers[3]!;
    const run = await runCli(
      [
        'sync',
        'conversation',
        conversationOf(emu(), 0),
        '--json',
        '--cxone-customer',
        other.cxoneCustomerId!,
        '--target',
        'cxone',
      ],
      env(),
    );
    expect(run.code).toBe(0);
    expect(run.json.targets[0].customerId).toBe(other.cxoneCustomerId);
    const missing = await runCli(
      [
        'sync',
        'conversation',
        conversationOf(emu(), 0),
        '--json',
        '--cognigy-profile',
        'aaaaaaaaaaaaaaaaaaaaaaaa',
        '--target',
        'cognigy',
      ],
      env(),
    );
    expect(missing.code).toBe(4);
    expect(missing.json.targets[0].reason).toMatch(/no profile with id aaaaaaaaaaaaaaaaaaaaaaaa/);
  });

  it('prints a readable report without --json', async () => {
    const run = await runCli(['sync', 'conversation', conversationOf(emu(), 0)], env());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/NICE CXone .*: updated/);
    expect(run.stdout).toMatch(/skipped +big_account_id: /);
  });
});

describe('sync contact', () => {
  it('syncs an external contact’s standard and custom fields', async () => {
    const c = emu().seed.customers[0]!;
    const run = await runCli(
      ['sync', 'contact', c.externalContactId, '--target', 'cognigy', '--json'],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.source).toMatchObject({ kind: 'external-contact', id: c.externalContactId });
    const profile = cognigyProfile(c.cognigyProfileId!);
    expect(profile.firstname).toBe(c.firstName);
    expect(profile.loyalty_tier).toBe(emu().seed.genesys.externalContacts[0]!.customFields.loyalty_tier_text);
  });

  it('exits 4 for a contact that does not exist', async () => {
    const run = await runCli(['sync', 'contact', 'f0000000-0000-4000-8000-000000000000', '--json'], env());
    expect(run.code).toBe(4);
    expect(run.json.error.kind).toBe('not-found');
  });
});

describe('mapping files', () => {
  it('renames, drops and defaults attributes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cx-map-'));
    const file = join(dir, 'mapping.json');
    await writeFile(
      file,
      JSON.stringify({
        attributes: {
          visits: { to: 'annual_spend' },
          annual_spend: { drop: true },
          promo_code: { drop: true },
        },
      }),
    );
    const c = emu().seed.customers[0]!;
    const run = await runCli(
      ['sync', 'conversation', conversationOf(emu(), 0), '--mapping', file, '--target', 'cognigy', '--json'],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    const t = run.json.targets[0];
    expect(t.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'promo_code', reason: expect.stringMatching(/mapping/) }),
      ]),
    );
    const attrs = emu().seed.genesys.conversations.find((x) => x.id === conversationOf(emu(), 0))!
      .participants[0]!.attributes;
    expect(cognigyProfile(c.cognigyProfileId!).annual_spend).toBe(Number(attrs.visits));
  });

  it('refuses a bad mapping file with exit 2 and the path of the problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cx-map-'));
    const file = join(dir, 'mapping.json');
    await writeFile(file, JSON.stringify({ attributes: { annual_spend: { type: 'money' } } }));
    const run = await runCli(['sync', 'conversation', conversationOf(emu(), 0), '--mapping', file], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/attributes\.annual_spend\.type/);
    const missing = await runCli(['sync', 'conversation', 'x', '--mapping', join(dir, 'nope.json')], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the mapping file/);
  });
});
