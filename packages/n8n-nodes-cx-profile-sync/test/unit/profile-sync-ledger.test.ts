/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: temporary files and the ledger file read directly */
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createSyncServices, loadConfig, type SyncResult } from '@cx-profile-sync/core';
import * as ledgerModule from '@cx-profile-sync/core/ledger-sqlite';
import { type Emulators, emulatorEnv } from '@cx-profile-sync/emulators';
import { NodeOperationError } from 'n8n-workflow';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GenesysCloud } from '../../nodes/GenesysCloud/GenesysCloud.node';
import { ledgerTargetNames } from '../../nodes/ProfileSync/ledger';
import { ProfileSync } from '../../nodes/ProfileSync/ProfileSync.node';
import { runNode, useEmulators } from './emulators';
import { emulatorCredentials, type FakeOptions, fakeN8n } from './fake-n8n';

// The core's ledger module as the node loads it, with openSqliteLedger counted.
vi.mock('@cx-profile-sync/core/ledger-sqlite', async (importOriginal) => {
  const original = await importOriginal<typeof import('@cx-profile-sync/core/ledger-sqlite')>();
  return { ...original, openSqliteLedger: vi.fn(original.openSqliteLedger) };
});
const opened = vi.mocked(ledgerModule.openSqliteLedger);

const emu = useEmulators();
const node = new ProfileSync();

/** Once a run, not a customer: login, discovery, the field definitions and the profile schema. */
const PER_RUN = /token|oauth|\.well-known|jwks|custom-field-definitions|profiles\/schema|__admin/;
const customerRequests = (e: Emulators) =>
  [...e.cxone.log.list(), ...e.cognigy.log.list()]
    .filter((r) => !PER_RUN.test(r.path))
    .map((r) => `${r.method} ${r.path}`);
const clearLogs = (e: Emulators) => {
  e.cxone.log.clear();
  e.cognigy.log.clear();
};

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cx-n8n-ledger-'));
  file = join(dir, 'state', 'ledger.sqlite');
  opened.mockClear();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fake = (options: Record<string, unknown>, more: Omit<FakeOptions, 'parameters'> = {}) =>
  fakeN8n({
    credentials: emulatorCredentials(emu()),
    parameters: {
      source: 'input',
      syncToCxone: true,
      syncToCognigy: true,
      cognigyProjectId: emu().credentials.cognigy.projectId,
      options,
    },
    ...more,
  });

/** What the Genesys Cloud node outputs for these seed customers' latest conversations. */
async function genesysItems(indexes: number[]) {
  const ids = indexes.map((i) => emu().seed.customers[i]!.conversationIds.at(-1)!);
  const items = await runNode(
    new GenesysCloud(),
    fakeN8n({
      credentials: emulatorCredentials(emu()),
      parameters: (i) => ({ resource: 'conversation', operation: 'getCustomer', conversationId: ids[i] }),
      items: ids.map(() => ({})),
    }).execute,
  );
  return items.map((i) => i.json);
}

const outcomes = (items: { json: unknown }[]) =>
  items.map((i) => (i.json as SyncResult).targets.map((t) => `${t.target}:${t.outcome}`));

/** The descriptors this process has open on a file (and its -wal and -shm companions). */
const openDescriptors = (path: string) =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(path);
    } catch {
      return false;
    }
  });

describe('Profile Sync node: the Ledger File option', () => {
  it('a second run of unchanged customers sends no request about them, and reports them unchanged', async () => {
    // 0: known to both; 3: no Cognigy profile (created); 9: unknown to CXone.
    const input = await genesysItems([0, 3, 9]);
    const first = await runNode(node, fake({ ledgerFile: file }, { items: input }).execute);
    expect(outcomes(first)).toEqual([
      ['cxone:updated', 'cognigy:updated'],
      ['cxone:updated', 'cognigy:updated'],
      ['cxone:customer-not-found', 'cognigy:updated'],
    ]);
    expect(opened).toHaveBeenCalledTimes(1);

    clearLogs(emu());
    const second = await runNode(node, fake({ ledgerFile: file }, { items: input }).execute);
    expect(outcomes(second)).toEqual([
      ['cxone:unchanged', 'cognigy:unchanged'],
      ['cxone:unchanged', 'cognigy:unchanged'],
      ['cxone:customer-not-found', 'cognigy:unchanged'],
    ]);
    expect(customerRequests(emu())).toEqual([]);
    // The record ids are the ones the first run found or created.
    const ids = (items: { json: unknown }[]) =>
      items.map((i) => (i.json as SyncResult).targets.map((t) => t.customerId));
    expect(ids(second)).toEqual(ids(first));
    expect(openDescriptors(file)).toEqual([]);
  });

  it("scopes the entries to each target's tenant as the command line does, so that they can share the file", async () => {
    await runNode(node, fake({ ledgerFile: file }, { items: await genesysItems([0]) }).execute);
    const services = createSyncServices(loadConfig(emulatorEnv(emu().urls)));
    let cli: string[];
    try {
      cli = [services.ledgerTarget('cxone'), services.ledgerTarget('cognigy')];
    } finally {
      services.close();
    }
    expect(cli[0]).toMatch(/^cxone@127\.0\.0\.1:\d+\/.+/);
    expect(cli[1]).toMatch(/^cognigy@127\.0\.0\.1:\d+\/.+/);
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const targets = db.prepare('SELECT DISTINCT target FROM entries ORDER BY target').all();
      expect(targets.map((t) => t.target)).toEqual([...cli].sort());
    } finally {
      db.close();
    }
    // A credential's secrets never name the tenant.
    const c = emu().credentials;
    const names = ledgerTargetNames({
      cxone: {
        issuer: c.cxone.issuer,
        clientId: 'app',
        clientSecret: 'app-secret',
        accessKeyId: 'KEY-ID',
        accessKeySecret: 'key-secret',
      },
      cognigy: { apiUrl: c.cognigy.apiUrl, apiKey: 'api-key', projectId: 'project-1' },
    });
    expect(names).toEqual({
      cxone: `cxone@${new URL(c.cxone.issuer).host}/KEY-ID`,
      cognigy: `cognigy@${new URL(c.cognigy.apiUrl).host}/project-1`,
    });
  });

  it('is off by default: no ledger is opened and every run looks the customers up as before', async () => {
    const input = await genesysItems([0, 9]);
    const first = await runNode(node, fake({}, { items: input }).execute);
    expect(outcomes(first)).toEqual([
      ['cxone:updated', 'cognigy:updated'],
      ['cxone:customer-not-found', 'cognigy:updated'],
    ]);
    clearLogs(emu());
    const second = await runNode(node, fake({ ledgerFile: '  ' }, { items: input }).execute);
    expect(outcomes(second)).toEqual([
      ['cxone:unchanged', 'cognigy:unchanged'],
      ['cxone:customer-not-found', 'cognigy:unchanged'],
    ]);
    // Without the ledger an unchanged customer still costs its lookups on each target.
    expect(customerRequests(emu()).length).toBeGreaterThanOrEqual(4);
    expect(opened).not.toHaveBeenCalled();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('Verify reads the targets again and repairs a value edited there; without it the ledger is trusted', async () => {
    const input = await genesysItems([0]);
    await runNode(node, fake({ ledgerFile: file }, { items: input }).execute);
    const customerId = emu().seed.customers[0]!.cxoneCustomerId!;
    const field = emu().state.cxone.customers.get(customerId)!.customFields.get('account_number')!;
    const right = field.value;
    field.value = 'edited-by-an-agent';

    clearLogs(emu());
    const trusting = await runNode(node, fake({ ledgerFile: file }, { items: input }).execute);
    expect(outcomes(trusting)).toEqual([['cxone:unchanged', 'cognigy:unchanged']]);
    expect(customerRequests(emu())).toEqual([]);
    expect(field.value).toBe('edited-by-an-agent');

    const verifying = await runNode(node, fake({ ledgerFile: file, verify: true }, { items: input }).execute);
    expect(outcomes(verifying)).toEqual([['cxone:updated', 'cognigy:unchanged']]);
    expect((verifying[0]!.json as unknown as SyncResult).targets[0]!.written).toEqual({
      account_number: right,
    });
    expect(emu().state.cxone.customers.get(customerId)!.customFields.get('account_number')!.value).toBe(
      right,
    );
  });

  it('refuses a PostgreSQL URL: such ledgers are for the command line and the worker', async () => {
    const input = await genesysItems([0]);
    const failure = runNode(
      node,
      fake({ ledgerFile: 'postgres://sync:s3cret@db.example.com/ledger' }, { items: input }).execute,
    );
    await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
    await expect(failure).rejects.toThrow(
      'Ledger File: PostgreSQL ledgers are for the command line and the Temporal worker (CX_LEDGER); this node keeps its ledger in an SQLite file',
    );
    await expect(failure).rejects.not.toThrow(/s3cret/);
    expect(opened).not.toHaveBeenCalled();
    const [item] = await runNode(
      node,
      fake({ ledgerFile: 'postgresql://db.example.com/ledger' }, { items: input, continueOnFail: true })
        .execute,
    );
    expect(item!.json.error).toMatch(/^Ledger File: PostgreSQL ledgers are for the command line/);
  });

  it("refuses a file that is not a ledger with the core's message, naming the field, once for all items", async () => {
    writeFileSync(join(dir, 'notes.txt'), 'these are notes, not a database '.repeat(100));
    const notes = join(dir, 'notes.txt');
    const input = await genesysItems([0, 1]);
    const failure = runNode(node, fake({ ledgerFile: notes }, { items: input }).execute);
    await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
    await expect(failure).rejects.toThrow(
      `Ledger File: ${notes} is not a cx-profile-sync ledger (not an SQLite database). Move it away, or set another Ledger File.`,
    );

    const other = join(dir, 'other.sqlite');
    const db = new DatabaseSync(other);
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    db.close();
    opened.mockClear();
    const items = await runNode(
      node,
      fake({ ledgerFile: other }, { items: input, continueOnFail: true }).execute,
    );
    expect(items.map((i) => i.json.error)).toEqual([
      `Ledger File: ${other} is not a cx-profile-sync ledger (an SQLite database of something else). Move it away, or set another Ledger File.`,
      `Ledger File: ${other} is not a cx-profile-sync ledger (an SQLite database of something else). Move it away, or set another Ledger File.`,
    ]);
    expect(opened).toHaveBeenCalledTimes(1);
    expect(customerRequests(emu())).toEqual([]);
  });

  it('refuses a relative path (n8n has no working directory of your choosing)', async () => {
    const failure = runNode(
      node,
      fake({ ledgerFile: 'ledger.sqlite' }, { items: await genesysItems([0]) }).execute,
    );
    await expect(failure).rejects.toThrow('Ledger File: "ledger.sqlite" is not an absolute path');
    expect(opened).not.toHaveBeenCalled();
  });

  it('closes the file at the end of the run, also when an item failed', async () => {
    const input = [...(await genesysItems([0])), { hello: 'world' }];
    await expect(runNode(node, fake({ ledgerFile: file }, { items: input }).execute)).rejects.toThrow(
      /the input item is not a Genesys Cloud customer/,
    );
    expect(opened).toHaveBeenCalledTimes(1);
    expect(openDescriptors(file)).toEqual([]);
    // The first item was synced and recorded before the second failed.
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM entries').get()?.n).toBe(2);
    } finally {
      db.close();
    }
  });

  it('a dry run reads the ledger but never writes it', async () => {
    const input = await genesysItems([0]);
    const dry = await runNode(node, fake({ ledgerFile: file, dryRun: true }, { items: input }).execute);
    expect(outcomes(dry)).toEqual([['cxone:dry-run', 'cognigy:dry-run']]);
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM entries').get()?.n).toBe(0);
    } finally {
      db.close();
    }
  });
});
