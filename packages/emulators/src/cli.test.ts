import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function start(args: string[]) {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
  return { child, firstLine };
}

/** A Genesys token request with the credentials the command line printed. */
function requestGenesysToken(genesys: { loginUrl: string; clientId: string; clientSecret: string }) {
  return fetch(`${genesys.loginUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: genesys.clientId,
      client_secret: genesys.clientSecret,
    }),
  });
}

describe('emulators command line', () => {
  it('prints one JSON line with URLs and credentials, serves, and exits 0 on SIGTERM', async () => {
    const { child, firstLine } = start(['--port', '0', '--seed', '7', '--customers', '5']);
    const info = JSON.parse(await firstLine);
    expect(Object.keys(info.genesys).sort()).toEqual(['apiUrl', 'clientId', 'clientSecret', 'loginUrl']);
    expect(Object.keys(info.cxone).sort()).toEqual(
      [
        'accessKeyId',
        'accessKeySecret',
        'apiUrl',
        'clientId',
        'clientSecret',
        'dfoUrl',
        'issuer',
        'tenantId',
      ].sort(),
    );
    expect(Object.keys(info.cognigy).sort()).toEqual(['apiKey', 'apiUrl', 'projectId']);
    const res = await requestGenesysToken(info.genesys);
    expect(res.status).toBe(200);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('exits 0 on SIGINT too', async () => {
    const { child, firstLine } = start([]);
    await firstLine;
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('gives the same credentials for the same seed', async () => {
    const a = start(['--seed', '3']);
    const b = start(['--seed', '3']);
    const [la, lb] = await Promise.all([a.firstLine, b.firstLine]);
    expect(JSON.parse(la).cxone.accessKeySecret).toBe(JSON.parse(lb).cxone.accessKeySecret);
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    await Promise.all([once(a.child, 'exit'), once(b.child, 'exit')]);
  });

  it("passes a platform's own option to its emulator (--token-expires-in to Genesys)", async () => {
    const { child, firstLine } = start(['--token-expires-in', '7', '--job-delay-ms', '0']);
    const res = await requestGenesysToken(JSON.parse(await firstLine).genesys);
    expect(((await res.json()) as { expires_in: number }).expires_in).toBe(7);
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('adds Genesys conversations without a customer (--conversations-without-customer)', async () => {
    const { child, firstLine } = start(['--customers', '3', '--conversations-without-customer', '2']);
    const { genesys } = JSON.parse(await firstLine);
    const state = (await (await fetch(`${genesys.apiUrl}/__admin/state`)).json()) as {
      conversations: { customerIndex: number; participants: { purpose: string }[] }[];
    };
    const without = state.conversations.filter((c) => c.customerIndex === -1);
    expect(without.map((c) => c.participants.map((p) => p.purpose))).toEqual([
      ['agent', 'external'],
      ['agent', 'external'],
    ]);
    expect(state.conversations).toHaveLength(5);
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('refuses a bad option with exit 2 and says which', async () => {
    const child = spawn(process.execPath, [cli, '--customers', 'many'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toMatch(/--customers must be an integer/);
  });
});
