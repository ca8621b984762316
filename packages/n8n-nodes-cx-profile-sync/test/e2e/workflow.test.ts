/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: it runs a real n8n as a child process, it never runs inside n8n */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { SyncResult, TargetResult } from '@cx-profile-sync/core/pure';
import { type Emulators, latestAttributes, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type N8nHome, n8nHomeWithPackage, nodeItems, PACKAGE_DIR, parseExecution } from './n8n-cli';

/**
 * The package in a real n8n (2.40.7 on Node 24, installed by scripts/install.sh): installed as a
 * community package, credentials pointing at the emulators imported with `n8n import:credentials`,
 * workflows imported and run with `n8n execute`; the emulators' state is checked afterwards.
 */

const IDS = {
  genesys: 'CxE2eGenesys0001',
  genesysBadLogin: 'CxE2eGenesysBad1',
  cxone: 'CxE2eCxone000001',
  cognigy: 'CxE2eCognigy0001',
  sampleWorkflow: 'CxSyncSample0001',
  failingItemWorkflow: 'CxSyncFailing001',
  badLoginWorkflow: 'CxSyncBadLogin01',
  ledgerWorkflow: 'CxSyncLedger0001',
  noLedgerWorkflow: 'CxSyncNoLedger01',
  postgresLedgerWorkflow: 'CxSyncPgLedger01',
};
const PKG = 'n8n-nodes-cx-profile-sync';

let emu: Emulators;
let n8n: N8nHome;

function credentialsFor(e: Emulators) {
  const c = e.credentials;
  const genesys = (id: string, name: string, clientSecret: string) => ({
    id,
    name,
    type: 'genesysCloudApi',
    data: {
      region: 'custom',
      apiUrl: c.genesys.apiUrl,
      loginUrl: c.genesys.loginUrl,
      clientId: c.genesys.clientId,
      clientSecret,
      accessToken: '',
    },
  });
  return [
    genesys(IDS.genesys, 'Genesys Cloud (emulator)', c.genesys.clientSecret),
    genesys(IDS.genesysBadLogin, 'Genesys Cloud (wrong secret)', 'not-the-secret'),
    {
      id: IDS.cxone,
      name: 'NICE CXone (emulator)',
      type: 'niceCxoneApi',
      data: {
        issuer: 'custom',
        customIssuer: c.cxone.issuer,
        clientId: c.cxone.clientId,
        clientSecret: c.cxone.clientSecret,
        accessKeyId: c.cxone.accessKeyId,
        accessKeySecret: c.cxone.accessKeySecret,
        apiUrl: '',
        dfoUrl: '',
        accessToken: '',
        discoveredApiUrl: '',
        discoveredDfoUrl: '',
        tenantId: '',
      },
    },
    {
      id: IDS.cognigy,
      name: 'Cognigy.AI (emulator)',
      type: 'cognigyAiApi',
      data: { apiUrl: c.cognigy.apiUrl, apiKey: c.cognigy.apiKey },
    },
  ];
}

/** The README's sample workflow, with the emulators' credentials and project, reading 20 conversations. */
async function sampleWorkflow(e: Emulators) {
  const text = (await readFile(join(PACKAGE_DIR, 'examples', 'profile-sync.workflow.json'), 'utf8'))
    .replaceAll('REPLACE_GENESYS_CREDENTIAL_ID', IDS.genesys)
    .replaceAll('REPLACE_CXONE_CREDENTIAL_ID', IDS.cxone)
    .replaceAll('REPLACE_COGNIGY_CREDENTIAL_ID', IDS.cognigy)
    .replaceAll('REPLACE_COGNIGY_PROJECT_ID', e.credentials.cognigy.projectId);
  const workflow = JSON.parse(text) as {
    id?: string;
    nodes: { name: string; parameters: Record<string, unknown> }[];
  };
  workflow.id = IDS.sampleWorkflow;
  const genesys = workflow.nodes.find((n) => n.name === 'Genesys Cloud');
  if (!genesys) throw new Error('the sample workflow has no "Genesys Cloud" node');
  genesys.parameters.limit = 20;
  return workflow;
}

const trigger = {
  id: 'b7c1d2e3-0000-4000-8000-000000000001',
  name: 'Manual Trigger',
  type: 'n8n-nodes-base.manualTrigger',
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
};
const genesysList = (credentialId: string, limit: number) => ({
  id: 'b7c1d2e3-0000-4000-8000-000000000002',
  name: 'Genesys Cloud',
  type: `${PKG}.genesysCloud`,
  typeVersion: 1,
  position: [220, 0],
  parameters: {
    resource: 'conversation',
    operation: 'listByInterval',
    start: '2026-10-01T00:00:00Z',
    end: '2026-11-01T00:00:00Z',
    returnAll: false,
    limit,
    options: {},
  },
  credentials: { genesysCloudApi: { id: credentialId, name: 'Genesys Cloud' } },
  onError: 'continueRegularOutput',
});
const chain = (...names: string[]) =>
  Object.fromEntries(
    names.slice(0, -1).map((n, i) => [n, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
  );

/** A Profile Sync output item: the result, or under "continue on fail" the error. */
type SyncItem = Partial<SyncResult> & { error?: string; details?: Record<string, unknown> };

/** Three conversations; the second item asks for a conversation that does not exist. Continue on fail. */
const failingItemWorkflow = {
  id: IDS.failingItemWorkflow,
  name: 'Profile Sync with a failing item',
  nodes: [
    trigger,
    genesysList(IDS.genesys, 3),
    {
      id: 'b7c1d2e3-0000-4000-8000-000000000003',
      name: 'CX Profile Sync',
      type: `${PKG}.profileSync`,
      typeVersion: 1,
      position: [440, 0],
      parameters: {
        source: 'conversationId',
        conversationId: "={{ $itemIndex === 1 ? 'no-such-conversation' : $json.source.id }}",
        syncToCxone: true,
        syncToCognigy: false,
        options: { dryRun: true },
      },
      credentials: {
        genesysCloudApi: { id: IDS.genesys, name: 'Genesys Cloud' },
        niceCxoneApi: { id: IDS.cxone, name: 'NICE CXone' },
      },
      onError: 'continueRegularOutput',
    },
  ],
  connections: chain('Manual Trigger', 'Genesys Cloud', 'CX Profile Sync'),
  active: false,
  settings: { executionOrder: 'v1' },
};

/** A Genesys credential with a wrong client secret: the login's error, through n8n, continue on fail. */
const badLoginWorkflow = {
  id: IDS.badLoginWorkflow,
  name: 'Genesys Cloud with a wrong secret',
  nodes: [trigger, genesysList(IDS.genesysBadLogin, 1)],
  connections: chain('Manual Trigger', 'Genesys Cloud'),
  active: false,
  settings: { executionOrder: 'v1' },
};

/** Genesys Cloud's conversations → CX Profile Sync to both targets with these options. */
const syncWorkflow = (
  id: string,
  name: string,
  options: Record<string, unknown>,
  continueOnFail = false,
) => ({
  id,
  name,
  nodes: [
    trigger,
    genesysList(IDS.genesys, 12),
    {
      id: 'b7c1d2e3-0000-4000-8000-000000000004',
      name: 'CX Profile Sync',
      type: `${PKG}.profileSync`,
      typeVersion: 1,
      position: [440, 0],
      parameters: {
        source: 'input',
        syncToCxone: true,
        syncToCognigy: true,
        cognigyProjectId: emu.credentials.cognigy.projectId,
        options,
      },
      credentials: {
        niceCxoneApi: { id: IDS.cxone, name: 'NICE CXone' },
        cognigyAiApi: { id: IDS.cognigy, name: 'Cognigy.AI' },
      },
      ...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
    },
  ],
  connections: chain('Manual Trigger', 'Genesys Cloud', 'CX Profile Sync'),
  active: false,
  settings: { executionOrder: 'v1' },
});

/** Where the ledger workflow keeps its ledger: beside n8n's own files, as the option's placeholder says. */
const ledgerFile = () => join(n8n.userFolder, '.n8n', 'cx-profile-sync-ledger.sqlite');

/** Once a run, not a customer: login, discovery, the field definitions and the profile schema. */
const PER_RUN = /token|oauth|\.well-known|jwks|custom-field-definitions|profiles\/schema|__admin/;
const customerRequests = () =>
  [...emu.cxone.log.list(), ...emu.cognigy.log.list()]
    .filter((r) => !PER_RUN.test(r.path))
    .map((r) => `${r.method} ${r.path}`);

/** The SQLite files under n8n's home other than n8n's own database. */
async function sqliteFiles(): Promise<string[]> {
  const entries = await readdir(n8n.userFolder, { recursive: true });
  return entries.filter((f) => /\.sqlite/.test(f) && !/^\.n8n\/database\.sqlite/.test(f)).sort();
}

async function execute(workflowId: string) {
  const { stdout } = await n8n.run(['execute', `--id=${workflowId}`, '--rawOutput']);
  return parseExecution(stdout);
}

// Each `n8n` command starts n8n (a few seconds); the whole file takes about 20 s.
describe('the community package in a real n8n', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    emu = await startEmulators({ genesys: { jobDelayMs: 50 } });
    n8n = await n8nHomeWithPackage();
    const credentialsFile = join(n8n.userFolder, 'credentials.json');
    const workflowsFile = join(n8n.userFolder, 'workflows.json');
    await writeFile(credentialsFile, JSON.stringify(credentialsFor(emu)));
    await writeFile(
      workflowsFile,
      JSON.stringify([
        await sampleWorkflow(emu),
        failingItemWorkflow,
        badLoginWorkflow,
        syncWorkflow(IDS.ledgerWorkflow, 'Profile Sync with a ledger', { ledgerFile: ledgerFile() }),
        syncWorkflow(IDS.noLedgerWorkflow, 'Profile Sync without a ledger', {}),
        syncWorkflow(
          IDS.postgresLedgerWorkflow,
          'Profile Sync with a PostgreSQL ledger',
          { ledgerFile: 'postgres://sync:s3cret@db.example.com:5432/ledger' },
          true,
        ),
      ]),
    );
    await n8n.run(['import:credentials', `--input=${credentialsFile}`]);
    await n8n.run(['import:workflow', `--input=${workflowsFile}`]);
  }, 180_000);

  afterAll(async () => {
    await emu?.stop();
    await n8n?.remove();
  });

  it('runs the sample workflow: Genesys Cloud → Profile Sync → CXone and Cognigy nodes, and the emulators hold the values', async () => {
    const run = await execute(IDS.sampleWorkflow);
    expect(run.data.resultData.error).toBeUndefined();

    const conversations = nodeItems<{ source: { id: string } }>(run, 'Genesys Cloud');
    expect(conversations).toHaveLength(20);
    const results = nodeItems<SyncResult>(run, 'CX Profile Sync');
    expect(results).toHaveLength(20);
    const target = (r: SyncResult, name: TargetResult['target']) => {
      const t = r.targets.find((x) => x.target === name);
      if (!t) throw new Error(`no ${name} result`);
      return t;
    };

    const cxoneOutcomes = new Set<string>();
    let createdProfiles = 0;
    for (const [i, { json, pairedItem }] of results.entries()) {
      expect(pairedItem).toEqual({ item: i });
      expect(json.source.id).toBe(conversations[i]!.json.source.id);
      const seedCustomer = emu.seed.customers.find((c) => c.conversationIds.includes(json.source.id))!;
      const attributes = latestAttributes(emu.seed, seedCustomer.index);
      const cxone = target(json, 'cxone');
      const cognigy = target(json, 'cognigy');
      cxoneOutcomes.add(cxone.outcome);

      if (seedCustomer.cxoneCustomerId) {
        expect(cxone).toMatchObject({ outcome: 'updated', customerId: seedCustomer.cxoneCustomerId });
        const stored = emu.state.cxone.customers.get(seedCustomer.cxoneCustomerId)!.customFields;
        // What the sync wrote is there; promo_code was then set by the "Set CXone Promo Code" node.
        for (const [ident, value] of Object.entries(cxone.written)) {
          if (ident !== 'promo_code') expect(stored.get(ident)?.value).toBe(value);
        }
        expect(stored.get('account_number')?.value).toBe(attributes.account_number);
        expect(stored.get('promo_code')?.value).toBe('N8N-SAMPLE');
        expect(stored.get('crm_id')?.value).toBe(`CRM-${seedCustomer.index}`);
      } else {
        expect(cxone.outcome).toBe('customer-not-found');
      }

      expect(cognigy.outcome).toBe('updated');
      if (cognigy.created) createdProfiles++;
      expect(cognigy.created === true).toBe(seedCustomer.cognigyProfileId === undefined);
      const profile = emu.state.cognigy.profiles.get(cognigy.customerId ?? '')!;
      // Voice conversations carry the customer's phone number, chats their e-mail address.
      const { phone, email } = json.source.identity;
      expect(phone ?? email).toBeDefined();
      for (const id of [phone, email].filter(Boolean)) expect(profile.contactIds).toContain(id);
      for (const [field, value] of Object.entries(cognigy.written)) {
        if (field !== 'visits') expect(profile.profile[field]).toEqual(value);
      }
      expect(profile.profile.account_number).toBe(attributes.account_number);
      // The sync wrote the Genesys visits as a number; "Count Cognigy Visit" then added one.
      expect(profile.profile.visits).toBe(Number(attributes.visits) + 1);
    }
    expect([...cxoneOutcomes].sort()).toEqual(['customer-not-found', 'updated']);
    expect(createdProfiles).toBeGreaterThan(0);

    // The downstream nodes ran once per customer they could find.
    const found = results.filter(({ json }) => target(json, 'cxone').outcome === 'updated').length;
    expect(nodeItems(run, 'Find CXone Customer')).toHaveLength(found);
    expect(nodeItems(run, 'Set CXone Promo Code')).toHaveLength(found);
    expect(nodeItems(run, 'Count Cognigy Visit')).toHaveLength(20);
  });

  it('finishes a workflow with a failing item under "continue on fail", the item holding the error', async () => {
    // n8n stored the tokens of the first run with the credentials; revoked, they answer 401 and n8n
    // must log in again (preAuthentication) and repeat the request.
    const logins = () => emu.genesys.log.list().filter((r) => r.path === '/oauth/token').length;
    const before = logins();
    emu.genesys.revokeTokens();
    emu.cxone.revokeTokens();
    const run = await execute(IDS.failingItemWorkflow);
    expect(run.data.resultData.error).toBeUndefined();
    expect(logins()).toBe(before + 1);
    const items = nodeItems<SyncItem>(run, 'CX Profile Sync');
    expect(items).toHaveLength(3);
    expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);

    const failed = items[1]!.json;
    expect(failed.error).toMatch(/^Genesys Cloud get conversation: not found \(HTTP 404/);
    expect(failed.details).toMatchObject({ kind: 'not-found', platform: 'genesys', status: 404 });
    expect(failed.details?.correlationId).toEqual(expect.any(String));
    expect(failed.targets).toBeUndefined();

    for (const ok of [items[0]!.json, items[2]!.json]) {
      expect(ok.error).toBeUndefined();
      expect(ok.targets).toHaveLength(1);
      expect(['dry-run', 'unchanged', 'customer-not-found']).toContain(ok.targets?.[0]?.outcome);
    }
  });

  it("reports the Genesys login's own error through n8n when the client secret is wrong", async () => {
    const run = await execute(IDS.badLoginWorkflow);
    expect(run.data.resultData.error).toBeUndefined();
    const [item] = nodeItems<SyncItem>(run, 'Genesys Cloud');
    expect(item!.json.error).toMatch(
      /^Genesys Cloud login refused the credentials \(HTTP 401 invalid_client\)/,
    );
    expect(item!.json.error).not.toContain('not-the-secret');
    expect(item!.json.details).toMatchObject({ kind: 'authentication', platform: 'genesys', status: 401 });
  });
  it('without the Ledger File option keeps no ledger: a second run looks every customer up again, as before', async () => {
    emu.reset();
    const first = nodeItems<SyncResult>(await execute(IDS.noLedgerWorkflow), 'CX Profile Sync');
    expect(first).toHaveLength(12);
    expect(first.flatMap(({ json }) => json.targets.map((t) => t.outcome))).toContain('updated');
    emu.cxone.log.clear();
    emu.cognigy.log.clear();
    const second = nodeItems<SyncResult>(await execute(IDS.noLedgerWorkflow), 'CX Profile Sync');
    for (const { json } of second) {
      for (const t of json.targets)
        expect(['unchanged', 'customer-not-found', 'skipped']).toContain(t.outcome);
    }
    // Each customer is searched for on CXone and looked up on Cognigy again.
    expect(customerRequests().length).toBeGreaterThanOrEqual(2 * 12);
    expect(existsSync(ledgerFile())).toBe(false);
    expect(await sqliteFiles()).toEqual([]);
  });

  it('with a Ledger File, a second run of the same workflow reports the customers unchanged without a request about them', async () => {
    emu.reset();
    const first = nodeItems<SyncResult>(await execute(IDS.ledgerWorkflow), 'CX Profile Sync');
    expect(first).toHaveLength(12);
    const firstOutcomes = first.flatMap(({ json }) => json.targets.map((t) => `${t.target}:${t.outcome}`));
    expect(firstOutcomes).toContain('cxone:updated');
    expect(firstOutcomes).toContain('cognigy:updated');
    const written = customerRequests().filter((r) => /^(PUT|PATCH|POST) /.test(r));
    expect(written.length).toBeGreaterThan(0);
    expect(existsSync(ledgerFile())).toBe(true);

    emu.cxone.log.clear();
    emu.cognigy.log.clear();
    const second = nodeItems<SyncResult>(await execute(IDS.ledgerWorkflow), 'CX Profile Sync');
    expect(second).toHaveLength(12);
    const consent: string[] = [];
    for (const [i, { json }] of second.entries()) {
      expect(json.source.id).toBe(first[i]!.json.source.id);
      for (const t of json.targets) {
        const before = first[i]!.json.targets.find((x) => x.target === t.target)!;
        if (before.outcome === 'customer-not-found') expect(t.outcome).toBe('customer-not-found');
        else if (t.outcome === 'skipped') {
          // A profile whose person asked that no data be collected is read by id (consent may have
          // changed) and never written.
          expect(t.reason).toBe('consent');
          consent.push(`GET /new/v2.0/profiles/${t.customerId}`);
        } else expect(t).toMatchObject({ outcome: 'unchanged', customerId: before.customerId });
      }
    }
    expect(customerRequests()).toEqual(consent);

    // The entries are scoped to the tenants: `<target>@<host>/<access key id | project id>`.
    const db = new DatabaseSync(ledgerFile(), { readOnly: true });
    try {
      const targets = db.prepare('SELECT DISTINCT target FROM entries ORDER BY target').all();
      expect(targets.map((t) => t.target)).toEqual([
        `cognigy@${new URL(emu.credentials.cognigy.apiUrl).host}/${emu.credentials.cognigy.projectId}`,
        `cxone@${new URL(emu.credentials.cxone.issuer).host}/${emu.credentials.cxone.accessKeyId}`,
      ]);
    } finally {
      db.close();
    }
  });

  it('refuses a PostgreSQL URL as the Ledger File with a clear error, the password not repeated', async () => {
    emu.reset();
    const items = nodeItems<SyncItem>(await execute(IDS.postgresLedgerWorkflow), 'CX Profile Sync');
    expect(items).toHaveLength(12);
    for (const { json } of items) {
      expect(json.error).toBe(
        'Ledger File: PostgreSQL ledgers are for the command line and the Temporal worker (CX_LEDGER); this node keeps its ledger in an SQLite file',
      );
      expect(JSON.stringify(json)).not.toContain('s3cret');
    }
    expect(customerRequests()).toEqual([]);
  });
});
