#!/usr/bin/env node
/**
 * How many simple requests a second the emulators answer with limits off: concurrent keep-alive
 * clients call GET /api/v2/conversations/{id} (Genesys) and GET /dfo/3.0/customers/{id} (CXone) for
 * a fixed time and print the rate. No assertion: a number for a person to read.
 */
import http from 'node:http';
import { startEmulators } from './start.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function get(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return res.text();
}

async function measure(name: string, url: (i: number) => string, headers: Record<string, string>) {
  let done = 0;
  let failed = 0;
  const end = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = w; Date.now() < end; i += concurrency) {
        const status = await get(url(i), headers);
        if (status === 200) done++;
        else failed++;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `${name.padEnd(34)} ${(done / elapsed).toFixed(0).padStart(7)} requests/s  (${done} ok, ${failed} not 200, ${concurrency} concurrent, ${elapsed.toFixed(1)} s)`,
  );
}

const emu = await startEmulators({ customers: 1000, limits: false, requestLogSize: 0 });
try {
  const g = emu.urls.genesys;
  const token = JSON.parse(
    await post(
      `${g.loginUrl}/oauth/token`,
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: g.clientId,
        client_secret: g.clientSecret,
      }).toString(),
      {
        'content-type': 'application/x-www-form-urlencoded',
      },
    ),
  ).access_token as string;
  const conversations = emu.seed.genesys.conversations.map((c) => c.id);
  await measure(
    'Genesys GET conversation',
    (i) => `${g.apiUrl}/api/v2/conversations/${conversations[i % conversations.length]}`,
    {
      authorization: `Bearer ${token}`,
    },
  );

  const c = emu.urls.cxone;
  const basic = Buffer.from(
    `${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`,
  ).toString('base64');
  const cxToken = JSON.parse(
    await post(
      `${c.issuer}/auth/token`,
      new URLSearchParams({
        grant_type: 'password',
        username: c.accessKeyId,
        password: c.accessKeySecret,
      }).toString(),
      {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${basic}`,
      },
    ),
  ).access_token as string;
  const customers = emu.seed.cxone.customers.map((x) => x.id);
  await measure(
    'CXone GET customer',
    (i) => `${c.dfoUrl}/dfo/3.0/customers/${customers[i % customers.length]}`,
    {
      authorization: `Bearer ${cxToken}`,
    },
  );
} finally {
  agent.destroy();
  await emu.stop();
}
