/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: it runs a real n8n as a child process, it never runs inside n8n */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
      JSON.stringify([await sampleWorkflow(emu), failingItemWorkflow, badLoginWorkflow]),
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
});
