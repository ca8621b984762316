// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected freely
import { describe, expect, it } from 'vitest';
import { pendingConversationCount, type SeedConversation } from '../seed/seed.js';
import { startEmulators } from '../start.js';
import { genesysToken, http, useEmulators } from '../test-helpers.js';

/** An own property's value (reading `x.__proto__` would give the prototype, not the data). */
const ownValue = (o: object, key: string) => Object.getOwnPropertyDescriptor(o, key)?.value;

// A long job delay: tests move a job through its states by moving its submission time back.
const DELAY = 60_000;
const emu = useEmulators({ genesys: { jobDelayMs: DELAY } });
const JOBS = '/api/v2/analytics/conversations/details/jobs';

async function call(method: string, path: string, json?: unknown) {
  const token = await genesysToken(emu());
  return http(method, `${emu().urls.genesys.apiUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    ...(json !== undefined ? { json } : {}),
  });
}

async function submit(body: Record<string, unknown>): Promise<string> {
  const res = await call('POST', JOBS, body);
  expect(res.status).toBe(202);
  return res.body.jobId;
}

/** Moves the job's submission back by `ms`, as if that much time had passed. */
function age(jobId: string, ms: number) {
  emu().state.genesys.jobs.get(jobId)!.submittedAt -= ms;
}

/** Reads every page of a fulfilled job. */
async function allPages(jobId: string, pageSize?: number) {
  const pages: any[] = [];
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams();
    if (cursor) q.set('cursor', cursor);
    if (pageSize) q.set('pageSize', String(pageSize));
    const res = await call('GET', `${JOBS}/${jobId}/results?${q}`);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.cursor;
  } while (cursor);
  return pages;
}

/** `count` small conversations, one a second from `startIso`. */
function conversations(count: number, startIso: string, prefix: string): SeedConversation[] {
  const t0 = Date.parse(startIso);
  return Array.from({ length: count }, (_, i) => {
    const start = new Date(t0 + i * 1000).toISOString();
    return {
      id: `${prefix}-${String(i).padStart(6, '0')}`,
      customerIndex: -1,
      startTime: start,
      endTime: start,
      participants: [
        {
          id: `${prefix}-p-${i}`,
          purpose: 'customer',
          mediaType: 'voice',
          ani: `tel:+1555${String(i).padStart(7, '0')}`,
          startTime: start,
          endTime: start,
          attributes: { n: String(i) },
        },
      ],
    };
  });
}

const idsOf = (pages: any[]) => pages.flatMap((p) => p.conversations.map((c: any) => c.conversationId));

describe('analytics conversation-detail jobs', () => {
  it('moves a job QUEUED → PENDING → FULFILLED and serves results only then', async () => {
    const jobId = await submit({ interval: '2026-10-01T00:00:00Z/2026-11-01T00:00:00Z' });
    const status = async () => (await call('GET', `${JOBS}/${jobId}`)).body;

    const queued = await status();
    expect(queued.state).toBe('QUEUED');
    expect(Date.parse(queued.submissionDate)).not.toBeNaN();
    expect(queued.expirationDate).toBeUndefined();
    const early = await call('GET', `${JOBS}/${jobId}/results`);
    expect(early.status).toBe(400);
    expect(early.body.message).toContain('QUEUED');

    age(jobId, DELAY / 2);
    expect((await status()).state).toBe('PENDING');
    expect((await call('GET', `${JOBS}/${jobId}/results`)).status).toBe(400);

    age(jobId, DELAY / 2);
    const done = await status();
    expect(done.state).toBe('FULFILLED');
    expect(Date.parse(done.expirationDate)).toBeGreaterThan(Date.parse(done.submissionDate));
    expect((await call('GET', `${JOBS}/${jobId}/results`)).status).toBe(200);
  });

  it('reports FAILED with the message when the state says the job fails', async () => {
    const jobId = await submit({ interval: '2026-10-01T00:00:00Z/2026-11-01T00:00:00Z' });
    emu().state.genesys.jobs.get(jobId)!.failWith = 'Query too large';
    age(jobId, DELAY);
    expect((await call('GET', `${JOBS}/${jobId}`)).body).toMatchObject({
      state: 'FAILED',
      errorMessage: 'Query too large',
    });
    expect((await call('GET', `${JOBS}/${jobId}/results`)).status).toBe(400);
  });

  it('answers an unknown job with 404', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const path of [`${JOBS}/${unknown}`, `${JOBS}/${unknown}/results`]) {
      const res = await call('GET', path);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not.found');
    }
  });

  it('refuses bad intervals and orders with 400', async () => {
    const bodies = [
      {},
      { interval: 42 },
      { interval: '2026-10-01T00:00:00Z' },
      { interval: 'yesterday/today' },
      { interval: '2026-11-01T00:00:00Z/2026-10-01T00:00:00Z' },
      { interval: '2026-10-01T00:00:00Z/2026-10-01T00:00:00Z' },
      { interval: '2026-10-01T00:00:00Z/2026-11-01T00:00:00Z/2026-12-01T00:00:00Z' },
      { interval: '2026-10-01T00:00:00Z/2026-11-01T00:00:00Z', order: 'sideways' },
      { interval: '2026-10-01T00:00:00Z/2026-11-01T00:00:00Z', orderBy: 'segmentEnd' },
      { interval: '2026-10-01T00:00:00Z/2026-11-01T00:00:00Z', conversationFilters: {} },
    ];
    for (const body of bodies) {
      const res = await call('POST', JOBS, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('bad.request');
    }
  });

  it('returns the seed conversations with customer attributes and sessions', async () => {
    const seed = emu().seed.genesys.conversations;
    const jobId = await submit({
      interval: '2026-01-01T00:00:00Z/2027-01-01T00:00:00Z',
      orderBy: 'conversationStart',
      conversationFilters: [],
    });
    age(jobId, DELAY);
    const pages = await allPages(jobId);
    expect(pages).toHaveLength(1);
    expect(pages[0].cursor).toBeUndefined();
    expect(idsOf(pages)).toEqual(seed.map((c) => c.id));
    const voice = seed.find((c) => c.participants[0]!.mediaType === 'voice')!;
    const row = pages[0].conversations.find((c: any) => c.conversationId === voice.id);
    const customer = row.participants.find((p: any) => p.purpose === 'customer');
    const seededCustomer = voice.participants[0]!;
    expect(row).toMatchObject({ conversationStart: voice.startTime, conversationEnd: voice.endTime });
    expect(customer).toMatchObject({
      participantId: seededCustomer.id,
      participantName: seededCustomer.name,
    });
    expect(customer.attributes.loyalty_tier).toBe(seededCustomer.attributes.loyalty_tier);
    expect(ownValue(customer.attributes, '__proto__')).toMatch(/^proto-\d+$/);
    expect(ownValue(customer.attributes, '__proto__')).toBe(ownValue(seededCustomer.attributes, '__proto__'));
    expect(customer.sessions[0]).toMatchObject({
      mediaType: 'voice',
      direction: 'inbound',
      ani: seededCustomer.ani,
      addressFrom: seededCustomer.ani,
      dnis: seededCustomer.dnis,
    });
    expect(customer.sessions[0].sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const chat = seed.find((c) => c.participants[0]!.mediaType === 'chat')!;
    const chatRow = pages[0].conversations.find((c: any) => c.conversationId === chat.id);
    expect(chatRow.participants[0].sessions[0]).toMatchObject({
      mediaType: 'chat',
      addressFrom: chat.participants[0]!.address,
    });
    expect(chatRow.participants[0].sessions[0].ani).toBeUndefined();
  });

  it('pages 2,500 conversations in pages of 1,000 with no duplicates or gaps', async () => {
    const added = conversations(2500, '2031-01-01T00:00:00Z', 'bulk');
    emu().state.genesys.addConversations(added);
    const jobId = await submit({ interval: '2031-01-01T00:00:00Z/2031-02-01T00:00:00Z' });
    age(jobId, DELAY);
    const pages = await allPages(jobId);
    expect(pages.map((p) => p.conversations.length)).toEqual([1000, 1000, 500]);
    expect(pages.map((p) => typeof p.cursor)).toEqual(['string', 'string', 'undefined']);
    const ids = idsOf(pages);
    expect(new Set(ids).size).toBe(2500);
    expect(ids).toEqual(added.map((c) => c.id));
  });

  it('orders newest first when asked', async () => {
    const added = conversations(30, '2031-01-01T00:00:00Z', 'desc');
    emu().state.genesys.addConversations(added);
    const jobId = await submit({ interval: '2031-01-01T00:00:00Z/2031-02-01T00:00:00Z', order: 'desc' });
    age(jobId, DELAY);
    expect(idsOf(await allPages(jobId, 7))).toEqual(added.map((c) => c.id).reverse());
  });

  it('caps the page size at 1,000 and refuses a bad page size or cursor', async () => {
    emu().state.genesys.addConversations(conversations(1200, '2031-01-01T00:00:00Z', 'cap'));
    const jobId = await submit({ interval: '2031-01-01T00:00:00Z/2031-02-01T00:00:00Z' });
    age(jobId, DELAY);
    const big = await call('GET', `${JOBS}/${jobId}/results?pageSize=5000`);
    expect(big.body.conversations).toHaveLength(1000);
    const small = await call('GET', `${JOBS}/${jobId}/results?pageSize=10`);
    expect(small.body.conversations).toHaveLength(10);
    for (const q of ['pageSize=0', 'pageSize=x', 'cursor=bogus']) {
      expect((await call('GET', `${JOBS}/${jobId}/results?${q}`)).status, q).toBe(400);
    }
  });

  it('takes conversations starting in [start, end): the start included, the end excluded', async () => {
    // One a second from 10:00:00: ids 0..9 start at 10:00:00 … 10:00:09.
    const added = conversations(10, '2031-03-01T10:00:00Z', 'edge');
    emu().state.genesys.addConversations(added);
    const jobId = await submit({ interval: '2031-03-01T10:00:02.000Z/2031-03-01T10:00:05.000Z' });
    age(jobId, DELAY);
    expect(idsOf(await allPages(jobId))).toEqual(['edge-000002', 'edge-000003', 'edge-000004']);
  });

  it('keeps the set of conversations fixed at submission but reads attributes when paging', async () => {
    const [a, b] = conversations(2, '2031-04-01T00:00:00Z', 'snap');
    emu().state.genesys.addConversations([a!]);
    const jobId = await submit({ interval: '2031-04-01T00:00:00Z/2031-05-01T00:00:00Z' });
    emu().state.genesys.addConversations([b!]);
    const patch = await call(
      'PATCH',
      `/api/v2/conversations/${a!.id}/participants/${a!.participants[0]!.id}/attributes`,
      {
        attributes: { n: 'changed' },
      },
    );
    expect(patch.status).toBe(202);
    age(jobId, DELAY);
    const pages = await allPages(jobId);
    expect(idsOf(pages)).toEqual([a!.id]);
    expect(pages[0].conversations[0].participants[0].attributes).toEqual({ n: 'changed' });
  });

  it('finds conversations added out of order (the start index is rebuilt)', async () => {
    const late = conversations(3, '2031-06-01T00:00:00Z', 'late');
    const early = conversations(3, '2031-05-01T00:00:00Z', 'early');
    emu().state.genesys.addConversations(late);
    emu().state.genesys.addConversations(early);
    const jobId = await submit({ interval: '2031-05-01T00:00:00Z/2031-07-01T00:00:00Z' });
    age(jobId, DELAY);
    expect(idsOf(await allPages(jobId))).toEqual([...early, ...late].map((c) => c.id));
  });

  it('pages 100,000 conversations', async () => {
    emu().state.genesys.addConversations(conversations(100_000, '2032-01-01T00:00:00Z', 'big'));
    const jobId = await submit({ interval: '2032-01-01T00:00:00Z/2033-01-01T00:00:00Z' });
    age(jobId, DELAY);
    const pages = await allPages(jobId);
    expect(pages).toHaveLength(100);
    const ids = idsOf(pages);
    expect(new Set(ids).size).toBe(100_000);
    expect(ids[0]).toBe('big-000000');
    expect(ids[99_999]).toBe('big-099999');
  });
});

describe('the analytics data watermark', () => {
  const WINDOW = { interval: '2031-03-01T00:00:00Z/2031-03-02T00:00:00Z' };

  it('serves the watermark, and jobs hold only the conversations that started before it', async () => {
    emu().state.genesys.addConversations(conversations(10, '2031-03-01T10:00:00Z', 'wm'));
    const set = await http('POST', `${emu().urls.genesys.apiUrl}/__admin/watermark`, {
      json: { date: '2031-03-01T10:00:04Z' },
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ dataAvailabilityDate: '2031-03-01T10:00:04.000Z' });
    expect((await call('GET', `${JOBS}/availability`)).body).toEqual({
      dataAvailabilityDate: '2031-03-01T10:00:04.000Z',
    });
    const jobId = await submit(WINDOW);
    // The job is fixed at submission: moving the watermark later changes nothing in it.
    emu().state.genesys.setWatermark('2031-03-02T00:00:00Z');
    age(jobId, DELAY);
    const pages = await allPages(jobId, 3);
    expect(idsOf(pages)).toEqual(['wm-000000', 'wm-000001', 'wm-000002', 'wm-000003']);
    for (const p of pages) expect(p.dataAvailabilityDate).toBe('2031-03-01T10:00:04.000Z');
    // A job submitted now sees the rest.
    const later = await submit(WINDOW);
    age(later, DELAY);
    expect(idsOf(await allPages(later))).toHaveLength(10);
  });

  it('starts at the seed watermark, which leaves the most recent seeded conversations out', async () => {
    const e = await startEmulators({
      customers: 30,
      conversationsPerCustomer: 2,
      genesys: { jobDelayMs: 0 },
    });
    try {
      const seeded = e.seed.genesys.conversations;
      expect(pendingConversationCount(seeded.length)).toBe(2);
      expect(e.seed.genesys.dataAvailabilityDate).toBe(seeded.at(-2)!.startTime);
      expect(e.state.genesys.toJSON().dataAvailabilityDate).toBe(seeded.at(-2)!.startTime);
      const token = await genesysToken(e);
      const headers = { authorization: `Bearer ${token}` };
      const sub = await http('POST', `${e.urls.genesys.apiUrl}${JOBS}`, {
        headers,
        json: { interval: '2026-01-01T00:00:00Z/2027-01-01T00:00:00Z' },
      });
      const res = await http('GET', `${e.urls.genesys.apiUrl}${JOBS}/${sub.body.jobId}/results`, { headers });
      expect(res.body.conversations).toHaveLength(seeded.length - 2);
      expect(res.body.dataAvailabilityDate).toBe(seeded.at(-2)!.startTime);
      // Back to the seed's watermark on reset; `{date: null}` lets it follow the clock.
      e.state.genesys.setWatermark('2027-01-01T00:00:00Z');
      e.reset();
      expect(e.state.genesys.dataAvailableMs()).toBe(Date.parse(seeded.at(-2)!.startTime));
      await http('POST', `${e.urls.genesys.apiUrl}/__admin/watermark`, { json: { date: null } });
      expect(e.state.genesys.dataAvailableMs()).toBeGreaterThan(Date.parse(seeded.at(-1)!.startTime));
    } finally {
      await e.stop();
    }
  });

  it('follows the clock at a configured lag', async () => {
    const e = await startEmulators({ customers: 2, genesys: { watermark: 3_600_000 } });
    try {
      const ms = e.state.genesys.dataAvailableMs();
      expect(Math.abs(ms - (Date.now() - 3_600_000))).toBeLessThan(5_000);
    } finally {
      await e.stop();
    }
  });

  it('refuses a watermark that is not a date', async () => {
    const res = await http('POST', `${emu().urls.genesys.apiUrl}/__admin/watermark`, {
      json: { date: 'soon' },
    });
    expect(res.status).toBe(400);
  });
});
