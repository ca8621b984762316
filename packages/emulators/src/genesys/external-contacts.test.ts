// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected freely
import { describe, expect, it } from 'vitest';
import { genesysToken, http, useEmulators } from '../test-helpers.js';

const emu = useEmulators({ customers: 45 });

async function get(path: string) {
  const token = await genesysToken(emu());
  return http('GET', `${emu().urls.genesys.apiUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

describe('GET /api/v2/externalcontacts/contacts/{contactId}', () => {
  it('returns the full contact: phones, e-mails, address, schema and typed custom fields', async () => {
    const seeded = emu().seed.genesys.externalContacts[3]!;
    const res = await get(`/api/v2/externalcontacts/contacts/${seeded.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: seeded.id,
      firstName: seeded.firstName,
      lastName: seeded.lastName,
      personalEmail: seeded.personalEmail,
      cellPhone: { display: seeded.cellPhone.display, e164: seeded.cellPhone.e164, countryCode: 'GB' },
      address: { city: 'London', countryCode: 'GB' },
      schema: { id: emu().seed.genesys.contactSchema.id, version: 1 },
      selfUri: `/api/v2/externalcontacts/contacts/${seeded.id}`,
      createDate: seeded.createDate,
      modifyDate: seeded.modifyDate,
    });
    expect(res.body.customFields).toEqual(seeded.customFields);
    expect(typeof res.body.customFields.visits_integer).toBe('number');
    expect(typeof res.body.customFields.opted_in_checkbox).toBe('boolean');
  });

  it('answers a missing contact with 404 entity.not.found', async () => {
    const res = await get('/api/v2/externalcontacts/contacts/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, code: 'entity.not.found' });
  });
});

describe('GET /api/v2/externalcontacts/contacts (search)', () => {
  const ids = (res: { body: any }) => res.body.entities.map((e: { id: string }) => e.id);

  it('matches first and last names case-insensitively', async () => {
    const res = await get('/api/v2/externalcontacts/contacts?q=ADA');
    expect(res.status).toBe(200);
    const expected = emu()
      .seed.genesys.externalContacts.filter((c) =>
        [c.firstName, c.lastName, c.personalEmail].some((t) => t.toLowerCase().includes('ada')),
      )
      .map((c) => c.id);
    expect(expected.length).toBeGreaterThan(1);
    expect(ids(res)).toEqual(expected);
    expect(res.body.total).toBe(expected.length);
  });

  it('matches an e-mail address and phone digits', async () => {
    const c7 = emu().seed.genesys.externalContacts[7]!;
    const byEmail = await get(
      `/api/v2/externalcontacts/contacts?q=${encodeURIComponent(c7.personalEmail.toUpperCase())}`,
    );
    expect(ids(byEmail)).toEqual([c7.id]);
    const byPhone = await get(`/api/v2/externalcontacts/contacts?q=${encodeURIComponent('+44 7900 000007')}`);
    expect(ids(byPhone)).toEqual([c7.id]);
    const none = await get('/api/v2/externalcontacts/contacts?q=nobody-by-this-name');
    expect(none.body).toMatchObject({ entities: [], total: 0, pageCount: 0 });
  });

  it('pages 20 by default with first/next/previous/last URIs', async () => {
    const first = await get('/api/v2/externalcontacts/contacts');
    expect(first.body).toMatchObject({ pageSize: 20, pageNumber: 1, total: 45, pageCount: 3 });
    expect(first.body.entities).toHaveLength(20);
    expect(first.body.previousUri).toBeUndefined();
    expect(first.body.nextUri).toBe('/api/v2/externalcontacts/contacts?pageSize=20&pageNumber=2');
    expect(first.body.lastUri).toBe('/api/v2/externalcontacts/contacts?pageSize=20&pageNumber=3');
    expect(first.body.firstUri).toBe('/api/v2/externalcontacts/contacts?pageSize=20&pageNumber=1');
    expect(first.body.selfUri).toBe(first.body.firstUri);

    const seen = new Set<string>(ids(first));
    let next: string | undefined = first.body.nextUri;
    let last: any;
    while (next) {
      last = await get(next);
      expect(last.status).toBe(200);
      for (const id of ids(last)) seen.add(id);
      next = last.body.nextUri;
    }
    expect(seen.size).toBe(45);
    expect(last.body.pageNumber).toBe(3);
    expect(last.body.entities).toHaveLength(5);
    expect(last.body.previousUri).toBe('/api/v2/externalcontacts/contacts?pageSize=20&pageNumber=2');
  });

  it('refuses to read past 1,000 rows and points at the scan', async () => {
    const ok = await get('/api/v2/externalcontacts/contacts?pageSize=100&pageNumber=10');
    expect(ok.status).toBe(200);
    expect(ok.body.entities).toEqual([]);
    const res = await get('/api/v2/externalcontacts/contacts?pageSize=100&pageNumber=11');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('bad.request');
    expect(res.body.message).toContain('1000');
    expect(res.body.message).toContain('/api/v2/externalcontacts/scan/contacts');
  });

  it('refuses a page size over 100 and malformed numbers', async () => {
    for (const q of ['pageSize=101', 'pageSize=0', 'pageNumber=0', 'pageSize=abc', 'pageNumber=1.5']) {
      const res = await get(`/api/v2/externalcontacts/contacts?${q}`);
      expect(res.status, q).toBe(400);
    }
  });
});

describe('GET /api/v2/externalcontacts/scan/contacts', () => {
  it('walks every contact once by cursor, 100 by default', async () => {
    const all = await get('/api/v2/externalcontacts/scan/contacts');
    expect(all.status).toBe(200);
    expect(all.body.entities).toHaveLength(45);
    expect(all.body.cursors).toBeUndefined();
    expect(all.body.nextUri).toBeUndefined();
    expect(all.body.selfUri).toBe('/api/v2/externalcontacts/scan/contacts?limit=100');

    const seen: string[] = [];
    let res = await get('/api/v2/externalcontacts/scan/contacts?limit=10');
    const sizes: number[] = [];
    for (;;) {
      expect(res.status).toBe(200);
      sizes.push(res.body.entities.length);
      seen.push(...res.body.entities.map((e: { id: string }) => e.id));
      if (!res.body.cursors) break;
      expect(res.body.nextUri).toBe(
        `/api/v2/externalcontacts/scan/contacts?limit=10&cursor=${res.body.cursors.after}`,
      );
      res = await get(res.body.nextUri);
    }
    expect(sizes).toEqual([10, 10, 10, 10, 5]);
    expect(new Set(seen).size).toBe(45);
    expect(seen).toEqual(emu().seed.genesys.externalContacts.map((c) => c.id));
  });

  it('accepts limits 10 to 200 only', async () => {
    expect((await get('/api/v2/externalcontacts/scan/contacts?limit=10')).status).toBe(200);
    expect((await get('/api/v2/externalcontacts/scan/contacts?limit=200')).status).toBe(200);
    for (const limit of ['9', '201', '0', 'ten']) {
      const res = await get(`/api/v2/externalcontacts/scan/contacts?limit=${limit}`);
      expect(res.status, limit).toBe(400);
      expect(res.body.code).toBe('bad.request');
    }
  });

  it('refuses a cursor it did not issue', async () => {
    const res = await get('/api/v2/externalcontacts/scan/contacts?cursor=not-a-cursor');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('cursor');
  });
});

describe('GET /api/v2/externalcontacts/contacts/schemas', () => {
  it('lists the custom-field schema with its typed properties', async () => {
    const res = await get('/api/v2/externalcontacts/contacts/schemas');
    expect(res.status).toBe(200);
    const schema = emu().seed.genesys.contactSchema;
    expect(res.body.entities).toHaveLength(1);
    expect(res.body.entities[0]).toMatchObject({
      id: schema.id,
      name: schema.name,
      version: schema.version,
      enabled: true,
      jsonSchema: { properties: schema.properties },
    });
    expect(Object.keys(res.body.entities[0].jsonSchema.properties)).toContain('loyalty_tier_text');
  });
});
