/**
 * The Cognigy profile directory of a back-fill, over HTTP against the emulators: it finds what
 * `findProfile` finds, and a back-fill that loads it costs about one Cognigy request a customer
 * (the write) plus one a hundred profiles, instead of a lookup and a write each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulators, emulatorEnv, type LoggedRequest, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncServices, type SyncServices } from '../../compose.js';
import { loadConfig } from '../../config.js';
import { openSqliteLedger } from '../../ledger/sqlite.js';
import type { LedgerStore } from '../../ledger/store.js';
import { syncLedger } from '../../ledger/sync.js';
import type { CustomerIdentity, SourceCustomer } from '../../sources/types.js';
import { type BackfillProgress, backfill } from '../../sync/backfill.js';
import { syncCustomer } from '../../sync/sync-customer.js';
import type { CognigyClient } from './client.js';
import { ProfileDirectory } from './directory.js';
import type { CognigyTarget } from './target.js';

/** Customers of the seed, one conversation each, 20 conversations a Genesys results page. */
const CUSTOMERS = 60;
const PAGE = 20;

let emu: Emulators;
let services: SyncServices;
let dir: string;
let ledger: LedgerStore;

beforeAll(async () => {
  emu = await startEmulators({
    customers: CUSTOMERS,
    limits: false,
    genesys: { jobDelayMs: 10, resultsPageSize: PAGE, watermark: 'none' },
  });
});
beforeEach(() => {
  emu.reset();
  emu.cognigy.log.clear();
  services = createSyncServices(loadConfig(emulatorEnv(emu.urls)));
  dir = mkdtempSync(join(tmpdir(), 'directory-'));
  ledger = openSqliteLedger(join(dir, 'ledger.sqlite'));
});
afterEach(async () => {
  services.close();
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
});
afterAll(async () => {
  await emu?.stop();
});

const seed = () => emu.seed;
const profiles = () => emu.state.cognigy.profiles;
const client = () => services.clients.cognigy as CognigyClient;
const target = () => services.targets('cognigy')[0] as CognigyTarget;

/** Profiles of other people, so that the directory spans pages (24-character ids, as the API's). */
function addProfiles(n: number): void {
  const state = emu.state.cognigy;
  const template = [...state.profiles.values()][0]!;
  for (let i = 0; i < n; i++) {
    const id = `f${String(i).padStart(23, '0')}`;
    const profile: Record<string, unknown> = Object.create(null);
    profile.firstname = `Other ${i}`;
    state.profiles.set(id, {
      ...template,
      _id: id,
      contactIds: [`other.${i}@example.net`, `+4420${String(i).padStart(8, '0')}`],
      profile,
    });
  }
}

// ---- the request log ----

const requests = () => emu.cognigy.log.list();
const isList = (r: LoggedRequest) => r.method === 'GET' && /\/profiles$/.test(r.path);
/** Listing pages of the whole project: the directory (and its first page, the count). */
const scans = () => requests().filter((r) => isList(r) && r.query.filter === undefined);
/** Listings by one contact id: `findProfile`'s per-customer lookups. */
const lookups = () => requests().filter((r) => isList(r) && r.query.filter !== undefined);
const schemaReads = () =>
  requests().filter((r) => r.method === 'GET' && r.path.includes('/profiles/schema/'));
const reads = () =>
  requests().filter((r) => r.method === 'GET' && !isList(r) && !r.path.includes('/profiles/schema/'));
const creates = () => requests().filter((r) => r.method === 'POST');
const patches = () => requests().filter((r) => r.method === 'PATCH');

const interval = () => {
  const { conversationsEnd, days } = seed().options;
  return {
    start: new Date(Date.parse(conversationsEnd) - days * 86_400_000).toISOString(),
    end: new Date(conversationsEnd).toISOString(),
  };
};

function run(withLedger = true): Promise<BackfillProgress> {
  return backfill(services, {
    interval: interval(),
    targets: 'cognigy',
    ...(withLedger
      ? {
          ledger: {
            store: ledger,
            sync: syncLedger(ledger, { ledgerTarget: services.ledgerTarget }),
          },
        }
      : {}),
  });
}

/** Customer `i` as the source reads them (their conversation). */
const fromGenesys = (i: number): Promise<SourceCustomer> =>
  services.genesys.customerFromConversation(seed().customers[i]!.conversationIds.at(-1)!);

const consentedOut = () =>
  seed().customers.filter(
    (c) => c.cognigyProfileId && profiles().get(c.cognigyProfileId)?.profile.prevent_data_collection === true,
  );

/** Cognigy requests a customer, everything counted (the schema, the directory, the writes). */
const perCustomer = () => requests().length / CUSTOMERS;

describe('ProfileDirectory', () => {
  it('finds the same profile as findProfile: by phone, by e-mail in another case, by several contact ids', async () => {
    addProfiles(250);
    const total = profiles().size;
    const directory = await ProfileDirectory.load((next) =>
      client().listProfiles({ limit: 100, ...(next ? { next } : {}) }),
    );
    expect(directory.size).toBe(total);
    expect(directory.requests).toBe(Math.ceil(total / 100));
    expect(scans()).toHaveLength(Math.ceil(total / 100));

    const c = seed().customers;
    const withProfile = c.filter((x) => x.cognigyProfileId).slice(0, 6);
    const without = c.find((x) => !x.cognigyProfileId)!;
    const identities: CustomerIdentity[] = [
      ...withProfile.map((x) => ({ phone: x.phone })),
      ...withProfile.map((x) => ({ email: `  ${x.email.toUpperCase()} ` })),
      ...withProfile.map((x) => ({ email: x.email, phone: x.phone })),
      // E-mail of one profile, phone of another: found by the e-mail, as findProfile finds it.
      { email: withProfile[0]!.email, phone: withProfile[1]!.phone },
      // Unknown e-mail, known phone: found by the phone.
      { email: 'nobody@example.com', phone: withProfile[2]!.phone },
      { email: without.email, phone: without.phone },
      { phone: '+440000000000' },
      {},
    ];
    // Two profiles claim one phone number: ambiguous in both.
    profiles().get(withProfile[3]!.cognigyProfileId!)!.contactIds.push(withProfile[4]!.phone);
    const again = await ProfileDirectory.load((next) =>
      client().listProfiles({ limit: 100, ...(next ? { next } : {}) }),
    );
    identities.push({ phone: withProfile[4]!.phone });

    const kinds = new Set<string>();
    for (const identity of identities) {
      const expected = await client().findProfile(identity);
      expect(await again.pick(identity), JSON.stringify(identity)).toEqual(expected);
      kinds.add(expected.kind);
    }
    expect([...kinds].sort()).toEqual(['ambiguous', 'found', 'missing', 'no-identity']);
  });
});

describe('a back-fill with the profile directory', () => {
  it('costs about one Cognigy request a first-seen customer, plus one a hundred profiles', async () => {
    addProfiles(250);
    const total = profiles().size;
    const pages = Math.ceil(total / 100);
    const consent = consentedOut();
    expect(consent.length).toBeGreaterThan(0);
    const before = new Map(
      consent.map((c) => [
        c.cognigyProfileId!,
        structuredClone({ ...profiles().get(c.cognigyProfileId!)!.profile }),
      ]),
    );

    const progress = await run();
    expect(progress.pages).toBe(CUSTOMERS / PAGE);
    expect(progress.customers).toBe(CUSTOMERS);
    expect(progress.outcomes.failed).toBe(0);
    expect(progress.outcomes.skipped).toBe(consent.length);

    // Loaded once, on the first page, and reused by the later pages; no lookup, no read by id.
    expect(scans()).toHaveLength(pages);
    expect(lookups()).toEqual([]);
    expect(reads()).toEqual([]);
    expect(schemaReads()).toHaveLength(1);
    const missing = seed().customers.filter((c) => !c.cognigyProfileId).length;
    expect(creates()).toHaveLength(missing);
    expect(profiles().size).toBe(total + missing);
    const writes = creates().length + patches().length;
    expect(requests()).toHaveLength(1 + pages + writes);
    expect(requests().length).toBeLessThanOrEqual(CUSTOMERS + pages + 1);
    // 62 requests for 60 customers, 295 profiles: 1.03 a customer (2.00 without, see below).
    expect(perCustomer()).toBeLessThan(1.05);

    // Consent: skipped, never written.
    for (const [id, profile] of before) {
      expect(patches().some((r) => r.path.endsWith(`/${id}`))).toBe(false);
      expect({ ...profiles().get(id)!.profile }).toEqual(profile);
    }

    // The directory served that back-fill only: a find after it asks the platform.
    emu.cognigy.log.clear();
    await target().find(await fromGenesys(0));
    expect(lookups()).toHaveLength(1);
  });

  it('is not loaded for a back-fill of fewer customers than its pages: per-customer lookups as today', async () => {
    // 2,145 profiles: 22 pages, more than the 20 customers of each back-fill page.
    addProfiles(2100);
    const progress = await run();
    expect(progress.outcomes.failed).toBe(0);
    // The first page's listing said the count; the later pages decided on it with no request.
    expect(scans()).toHaveLength(1);
    // One a contact id looked for: the first finds a customer with a profile; one without costs each.
    expect(lookups().length).toBeGreaterThanOrEqual(CUSTOMERS);
    const missing = seed().customers.filter((c) => !c.cognigyProfileId).length;
    expect(creates()).toHaveLength(missing);
    // 120 requests for 60 customers: a lookup and a write each (two consented-out: no write), the
    // schema, and the count.
    expect(perCustomer()).toBeGreaterThanOrEqual(2);
  });

  it('then writes a changed customer the ledger knows with one request, the PATCH', async () => {
    addProfiles(250);
    await run();
    const changed = seed()
      .customers.filter((c) => c.cognigyProfileId && !consentedOut().includes(c))
      .slice(0, 3);
    for (const c of changed) {
      const conversation = emu.state.genesys.conversations.get(c.conversationIds.at(-1)!)!;
      conversation.participants.find((p) => p.purpose === 'customer')!.attributes.loyalty_tier = 'changed';
    }
    emu.cognigy.log.clear();

    const progress = await run();
    expect(progress.outcomes).toMatchObject({ updated: changed.length, failed: 0 });
    const pages = Math.ceil(profiles().size / 100);
    expect(scans()).toHaveLength(pages);
    expect(reads()).toEqual([]);
    expect(lookups()).toEqual([]);
    expect(creates()).toEqual([]);
    expect(
      patches()
        .map((r) => r.path.split('/').at(-1))
        .sort(),
    ).toEqual(changed.map((c) => c.cognigyProfileId).sort());
    expect(patches().map((r) => r.body)).toEqual(
      changed.map(() => ({ profile: { loyalty_tier: 'changed' } })),
    );
    // The schema is read once per client: the directory and the writes are all there is.
    expect(requests()).toHaveLength(pages + changed.length);
  });

  it('goes on with per-customer lookups when the directory cannot be read', async () => {
    emu.cognigy.faults.add({
      method: 'GET',
      path: '/new/*/profiles',
      count: 1,
      fault: { kind: 'malformed-json' },
    });
    const progress = await run(false);
    expect(progress.outcomes.failed).toBe(0);
    expect(progress.customers).toBe(CUSTOMERS);
    // The first page's customers are looked up one by one; the second page's listing loads it.
    expect(lookups().length).toBeGreaterThanOrEqual(PAGE);
    expect(lookups().every((r) => r.at < scans()[1]!.at)).toBe(true);
    expect(scans()).toHaveLength(2);
    expect(creates()).toHaveLength(seed().customers.filter((c) => !c.cognigyProfileId).length);
  });

  it('fails the customers whose lookup waited on it with an authentication error, as their own lookup would', async () => {
    emu.cognigy.faults.add({
      method: 'GET',
      path: '/new/*/profiles',
      count: 1,
      fault: { kind: 'status', status: 401 },
    });
    const progress = await run(false);
    const failed = progress.failures.filter((f) => f.kind === 'authentication');
    expect(failed.length).toBeGreaterThan(0);
    expect(progress.outcomes.failed).toBe(failed.length);
    // The next lookup loads it: the rest are synced.
    expect(scans().length).toBeGreaterThan(1);
  });

  it('is not read at all by a back-fill the ledger settles whole', async () => {
    expect((await run()).outcomes.failed).toBe(0);
    emu.cognigy.log.clear();
    const again = await run();
    expect(again.outcomes.updated).toBe(0);
    // Only the consented-out profiles are read again (by id): no listing of the project.
    expect(scans()).toEqual([]);
    expect(lookups()).toEqual([]);
  });
});

describe('CognigyTarget while its directory loads', () => {
  it('makes the lookups that come meanwhile wait for it, not read one by one', async () => {
    addProfiles(450); // several listing pages: the load takes a while
    const bulk = new AbortController();
    const known = seed()
      .customers.filter((c) => c.cognigyProfileId)
      .slice(0, 20);
    const customers = await Promise.all(known.map((c) => fromGenesys(c.index)));
    await client().schema();
    await target().prepare(customers, bulk.signal);
    emu.cognigy.log.clear();
    // The first lookup starts the load; the others come once it reads its second page (by the
    // profile id the ledger knows: what a changed customer's sync asks).
    const first = target().find(customers[0]!, known[0]!.cognigyProfileId);
    while (scans().length < 2) await new Promise((r) => setTimeout(r, 2));
    await Promise.all([
      first,
      ...customers.slice(1).map((c, i) => target().find(c, known[i + 1]!.cognigyProfileId)),
    ]);
    expect(scans().length).toBeGreaterThan(1);
    expect(reads()).toEqual([]);
    bulk.abort();
  });
});

describe('CognigyTarget with a loaded directory', () => {
  /** Prepares the target for a bulk sync of every seed customer; returns the end of it. */
  async function prepared(): Promise<AbortController> {
    const bulk = new AbortController();
    const customers = await Promise.all(
      seed()
        .customers.slice(0, PAGE)
        .map((_, i) => fromGenesys(i)),
    );
    await client().schema();
    await target().prepare(customers, bulk.signal);
    // The first lookup that needs a request loads it.
    await target().find(customers[0]!);
    expect(scans()).toHaveLength(1);
    emu.cognigy.log.clear();
    return bulk;
  }

  it('keeps it up to date with its own writes: a created profile is found, a patched one compared', async () => {
    const bulk = await prepared();
    const missing = seed().customers.findIndex((c) => !c.cognigyProfileId);
    const customer = await fromGenesys(missing);
    const first = await syncCustomer(customer, [target()]);
    expect(first.targets[0]).toMatchObject({ outcome: 'updated', created: true });
    expect(requests().map((r) => r.method)).toEqual(['POST']);

    emu.cognigy.log.clear();
    customer.attributes.loyalty_tier = 'changed';
    const second = await syncCustomer(customer, [target()]);
    expect(second.targets[0]).toMatchObject({ outcome: 'updated', written: { loyalty_tier: 'changed' } });
    expect(requests().map((r) => r.method)).toEqual(['PATCH']);

    emu.cognigy.log.clear();
    const third = await syncCustomer(customer, [target()]);
    expect(third.targets[0]).toMatchObject({ outcome: 'unchanged' });
    expect(requests()).toEqual([]);

    // By the profile id too (what the ledger's known id asks), with no request.
    expect(await target().find(customer, first.targets[0]!.customerId)).toMatchObject({
      found: { id: first.targets[0]!.customerId, current: { loyalty_tier: 'changed' } },
    });
    expect(requests()).toEqual([]);

    bulk.abort();
    await target().find(customer, first.targets[0]!.customerId);
    expect(reads()).toHaveLength(1);
  });

  it('writes to a profile made since the snapshot instead of creating a second one', async () => {
    const bulk = await prepared();
    const i = seed().customers.findIndex((c) => !c.cognigyProfileId);
    const c = seed().customers[i]!;
    // Someone else creates the customer's profile after the directory was loaded.
    const id = 'e00000000000000000000001';
    const template = [...profiles().values()][0]!;
    profiles().set(id, {
      ...template,
      _id: id,
      contactIds: [c.email, c.phone],
      profile: Object.create(null),
    });
    const result = await syncCustomer(await fromGenesys(i), [target()]);
    expect(result.targets[0]).toMatchObject({ outcome: 'updated', customerId: id });
    expect(requests().map((r) => r.method)).toEqual(['POST', 'GET', 'PATCH']);
    expect(profiles().get(id)!.profile.loyalty_tier).toBeDefined();
    expect([...profiles().values()].filter((p) => p.contactIds.includes(c.phone))).toHaveLength(1);
    bulk.abort();
  });

  it('never writes to such a profile when it asks that no data be collected', async () => {
    const bulk = await prepared();
    const i = seed().customers.findIndex((c) => !c.cognigyProfileId);
    const c = seed().customers[i]!;
    const id = 'e00000000000000000000002';
    const template = [...profiles().values()][0]!;
    const profile: Record<string, unknown> = Object.create(null);
    profile.prevent_data_collection = true;
    profiles().set(id, { ...template, _id: id, contactIds: [c.email, c.phone], profile });
    const result = await syncCustomer(await fromGenesys(i), [target()]);
    expect(result.targets[0]).toMatchObject({ outcome: 'failed', error: { kind: 'validation' } });
    expect(patches()).toEqual([]);
    expect({ ...profiles().get(id)!.profile }).toEqual({ prevent_data_collection: true });
    bulk.abort();
  });

  it('skips a consented-out profile it holds, with no request', async () => {
    const bulk = await prepared();
    const [c] = consentedOut();
    const customer = await fromGenesys(c!.index);
    const result = await syncCustomer(customer, [target()]);
    expect(result.targets[0]).toMatchObject({ outcome: 'skipped', reason: 'consent', written: {} });
    expect(await target().find(customer, c!.cognigyProfileId)).toMatchObject({ skip: 'consent' });
    expect(requests()).toEqual([]);
    bulk.abort();
  });
});
