// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected freely
import { describe, expect, it } from 'vitest';
import { http, useEmulators } from '../test-helpers.js';
import { cxoneToken, dfo } from './test-helpers.js';

const emu = useEmulators();

/** A seed customer that CXone knows, with its phone and e-mail. */
function knownCustomer(n = 0) {
  const c = emu().seed.customers.filter((x) => x.cxoneCustomerId)[n]!;
  return {
    id: c.cxoneCustomerId!,
    phone: c.phone,
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
  };
}

async function getCustomer(token: string, id: string) {
  const res = await dfo(emu(), token, 'GET', `/customers/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

const fieldsOf = (customer: any): Record<string, string> =>
  Object.fromEntries(customer.customFields.map((f: any) => [f.ident, f.value]));

describe('CXone DFO auth', () => {
  it('answers 401 in the DFO error shape with a CorrelationId when the token is missing or unknown', async () => {
    for (const authorization of [undefined, 'Bearer nope']) {
      const res = await http('GET', `${emu().urls.cxone.dfoUrl}/dfo/3.0/customers/custom-field-definitions`, {
        ...(authorization ? { headers: { authorization } } : {}),
      });
      expect(res.status).toBe(401);
      const correlationId = res.headers.get('correlationid');
      expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body).toEqual({
        errors: [{ message: expect.any(String), errorCode: 'Unauthorized' }],
        uid: correlationId,
      });
    }
  });

  it('answers 401 for an expired token', async () => {
    const token = await cxoneToken(emu());
    emu().cxone.state.tokens.get(token)!.expiresAt = Date.now() - 1;
    const res = await dfo(emu(), token, 'GET', '/customers/custom-field-definitions');
    expect(res.status).toBe(401);
  });

  it('answers 401 after the tokens are revoked', async () => {
    const token = await cxoneToken(emu());
    expect((await dfo(emu(), token, 'GET', '/customers/custom-field-definitions')).status).toBe(200);
    const revoke = await http('POST', `${emu().urls.cxone.apiUrl}/__admin/revoke-tokens`);
    expect(revoke.status).toBe(204);
    expect((await dfo(emu(), token, 'GET', '/customers/custom-field-definitions')).status).toBe(401);
  });
});

describe('CXone custom-field definitions', () => {
  it('lists the seed definitions', async () => {
    const token = await cxoneToken(emu());
    const res = await dfo(emu(), token, 'GET', '/customers/custom-field-definitions');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(emu().seed.cxone.definitions);
    expect(res.body.find((d: any) => d.ident === 'loyalty_tier')).toMatchObject({ type: 'list' });
  });

  it('replaces the definitions with PUT', async () => {
    const token = await cxoneToken(emu());
    const definitions = [
      {
        ident: 'tier',
        label: 'Tier',
        type: 'list',
        isRequired: false,
        isEditable: true,
        values: [{ name: 'A', value: 'a' }],
      },
      { ident: 'mail', label: 'Mail', type: 'email', isRequired: false, isEditable: true },
    ];
    const put = await dfo(emu(), token, 'PUT', '/customers/custom-field-definitions', definitions);
    expect(put.status).toBe(200);
    expect(put.body).toEqual(definitions);
    const get = await dfo(emu(), token, 'GET', '/customers/custom-field-definitions');
    expect(get.body).toEqual(definitions);
  });

  it('takes a tree field whose values name their parents, and `required` for `isRequired`', async () => {
    const token = await cxoneToken(emu());
    const values = [
      { name: 'Europe', value: 'eu' },
      { name: 'France', value: 'eu-fr', parentId: 'eu' },
    ];
    const put = await dfo(emu(), token, 'PUT', '/customers/custom-field-definitions', [
      { ident: 'region', label: 'Region', type: 'tree', required: true, values },
    ]);
    expect(put.status).toBe(200);
    expect(put.body).toEqual([
      { ident: 'region', label: 'Region', type: 'tree', isRequired: true, isEditable: true, values },
    ]);
    const orphan = await dfo(emu(), token, 'PUT', '/customers/custom-field-definitions', [
      { ident: 'region', type: 'tree', values: [{ name: 'France', value: 'eu-fr', parentId: 'eu' }] },
    ]);
    expect(orphan.status).toBe(400);
    expect(orphan.body.errors[0].errorCode).toBe('InvalidTreeParent');
  });

  it('refuses bad definitions, listing each problem, and keeps the old ones', async () => {
    const token = await cxoneToken(emu());
    const put = await dfo(emu(), token, 'PUT', '/customers/custom-field-definitions', [
      { ident: '', type: 'text' },
      { ident: 'a', type: 'text' },
      { ident: 'a', type: 'text' },
      { ident: 'b', type: 'number' },
      { ident: 'c', type: 'list' },
      { ident: 'd', type: 'list', values: [] },
    ]);
    expect(put.status).toBe(400);
    expect(put.body.errors.map((e: any) => e.errorCode)).toEqual([
      'InvalidIdent',
      'DuplicateIdent',
      'InvalidType',
      'InvalidListValues',
      'InvalidListValues',
    ]);
    const notArray = await dfo(emu(), token, 'PUT', '/customers/custom-field-definitions', { ident: 'x' });
    expect(notArray.status).toBe(400);
    const get = await dfo(emu(), token, 'GET', '/customers/custom-field-definitions');
    expect(get.body).toEqual(emu().seed.cxone.definitions);
  });
});

describe('CXone customer search', () => {
  it('finds a customer by phone (E.164, exact)', async () => {
    const token = await cxoneToken(emu());
    const c = knownCustomer(0);
    const res = await dfo(emu(), token, 'GET', `/customers?query=${encodeURIComponent(c.phone)}`);
    expect(res.status).toBe(200);
    expect(res.body.hits).toBe(1);
    expect(res.body.data.map((x: any) => x.id)).toEqual([c.id]);
    expect(res.body.scrollToken).toBeUndefined();
    // A phone number without its "+" is not the same identity.
    const partial = await dfo(
      emu(),
      token,
      'GET',
      `/customers?query=${encodeURIComponent(c.phone.slice(1))}`,
    );
    expect(partial.body.data.map((x: any) => x.id)).not.toContain(c.id);
  });

  it('finds a customer by e-mail, ignoring case', async () => {
    const token = await cxoneToken(emu());
    const c = knownCustomer(1);
    const res = await dfo(
      emu(),
      token,
      'GET',
      `/customers?query=${encodeURIComponent(c.email.toUpperCase())}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.map((x: any) => x.id)).toEqual([c.id]);
    expect(res.body.data[0].identities.map((i: any) => i.idOnExternalPlatform)).toContain(c.email);
  });

  it('finds customers by a part of the full name', async () => {
    const token = await cxoneToken(emu());
    const c = knownCustomer(2);
    const res = await dfo(
      emu(),
      token,
      'GET',
      `/customers?query=${encodeURIComponent(c.lastName.toLowerCase())}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.map((x: any) => x.id)).toContain(c.id);
    for (const x of res.body.data) expect(x.fullName.toLowerCase()).toContain(c.lastName.toLowerCase());
  });

  it('finds customers by the expression NICE’s SDK sends: identityIdOnExternalPlatform IN ("…")', async () => {
    const token = await cxoneToken(emu());
    const [a, b] = [knownCustomer(0), knownCustomer(1)];
    const search = (query: string) =>
      dfo(emu(), token, 'GET', `/customers?query=${encodeURIComponent(query)}`);
    const one = await search(`identityIdOnExternalPlatform IN ("${a.phone}")`);
    expect(one.status).toBe(200);
    expect(one.body.data.map((x: any) => x.id)).toEqual([a.id]);
    const two = await search(`identityIdOnExternalPlatform in ( "${a.phone}" , "${b.email.toUpperCase()}" )`);
    expect(two.body.data.map((x: any) => x.id).sort()).toEqual([a.id, b.id].sort());
    const equals = await search(`identityIdOnExternalPlatform = "${b.email}"`);
    expect(equals.body.data.map((x: any) => x.id)).toEqual([b.id]);
    // An expression never matches names, and an escaped quote is part of the value.
    expect((await search(`identityIdOnExternalPlatform IN ("${a.lastName}")`)).body.hits).toBe(0);
    expect((await search('identityIdOnExternalPlatform IN ("a\\"b")')).body.hits).toBe(0);
  });

  it('refuses a query it cannot parse with 400 and the DFO error body', async () => {
    const token = await cxoneToken(emu());
    for (const query of [
      'identityIdOnExternalPlatform IN ("+4479',
      'identityIdOnExternalPlatform IN "+44"',
      'email IN ("a@example.com")',
      'identityIdOnExternalPlatform LIKE ("x")',
      'identityIdOnExternalPlatform IN ("x") AND',
      '("x")',
    ]) {
      const res = await dfo(emu(), token, 'GET', `/customers?query=${encodeURIComponent(query)}`);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ errors: [{ errorCode: 'InvalidQuery' }], uid: expect.any(String) });
      expect(res.body.errors[0].message).toMatch(/cannot be parsed/);
    }
  });

  it('finds nobody for an unknown identity', async () => {
    const token = await cxoneToken(emu());
    const res = await dfo(emu(), token, 'GET', '/customers?query=nobody%40example.invalid');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ hits: 0, data: [] });
  });

  it('pages with scrollToken until the last page, which has none', async () => {
    const token = await cxoneToken(emu());
    const expected = emu().seed.cxone.customers.map((c) => c.id);
    const seen: string[] = [];
    let res = await dfo(emu(), token, 'GET', '/customers?size=5');
    let pages = 1;
    for (;;) {
      expect(res.status).toBe(200);
      expect(res.body.hits).toBe(expected.length);
      expect(res.body.data.length).toBeLessThanOrEqual(5);
      seen.push(...res.body.data.map((x: any) => x.id));
      if (!res.body.scrollToken) break;
      res = await dfo(
        emu(),
        token,
        'GET',
        `/customers?scrollToken=${encodeURIComponent(res.body.scrollToken)}`,
      );
      pages++;
    }
    expect(pages).toBe(Math.ceil(expected.length / 5));
    expect(seen).toEqual(expected);
  });

  it('uses 25 by default, at most 100, and refuses a bad size or scrollToken', async () => {
    const token = await cxoneToken(emu());
    const big = await startBig();
    try {
      const t = await cxoneToken(big);
      const byDefault = await dfo(big, t, 'GET', '/customers');
      expect(byDefault.body.data).toHaveLength(25);
      expect(byDefault.body.scrollToken).toEqual(expect.any(String));
      const capped = await dfo(big, t, 'GET', '/customers?size=500');
      expect(capped.body.data).toHaveLength(100);
    } finally {
      await big.stop();
    }
    expect((await dfo(emu(), token, 'GET', '/customers?size=0')).status).toBe(400);
    expect((await dfo(emu(), token, 'GET', '/customers?size=abc')).status).toBe(400);
    const bad = await dfo(emu(), token, 'GET', '/customers?scrollToken=garbage');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].errorCode).toBe('InvalidScrollToken');
  });
});

/** An emulator with more than 100 CXone customers. */
async function startBig() {
  const { startEmulators } = await import('../start.js');
  return startEmulators({ customers: 130 });
}

describe('CXone customer', () => {
  it('answers the customer card', async () => {
    const token = await cxoneToken(emu());
    const c = knownCustomer(0);
    const body = await getCustomer(token, c.id);
    expect(body).toMatchObject({
      id: c.id,
      firstName: c.firstName,
      surname: c.lastName,
      fullName: `${c.firstName} ${c.lastName}`,
      updatedAt: expect.any(String),
    });
    expect(body.identities.map((i: any) => i.idOnExternalPlatform).sort()).toEqual([c.email, c.phone].sort());
    expect(fieldsOf(body)).toMatchObject({
      display_name: `${c.firstName} ${c.lastName}`,
      crm_id: expect.any(String),
    });
    for (const f of body.customFields) expect(f.updatedAt).toEqual(expect.any(String));
  });

  it('answers 404 for an unknown customer', async () => {
    const token = await cxoneToken(emu());
    const res = await dfo(emu(), token, 'GET', '/customers/nope');
    expect(res.status).toBe(404);
    expect(res.body.errors[0]).toMatchObject({ errorCode: 'CustomerNotFound' });
  });
});

describe('CXone PUT custom fields', () => {
  it('sets the given fields, keeps the others, and moves updatedAt', async () => {
    const token = await cxoneToken(emu());
    const c = knownCustomer(0);
    const before = await getCustomer(token, c.id);
    const put = await dfo(emu(), token, 'PUT', `/customers/${c.id}/custom-fields`, [
      { ident: 'loyalty_tier', value: 'gold' },
      { ident: 'contact_email', value: 'a.b@example.com' },
      { ident: 'long_note', value: 'x'.repeat(1024) },
      { ident: 'notes', value: '' },
    ]);
    expect(put.status).toBe(200);
    expect(Array.isArray(put.body)).toBe(true);
    const after = await getCustomer(token, c.id);
    expect(fieldsOf(after)).toMatchObject({
      ...fieldsOf(before),
      loyalty_tier: 'gold',
      contact_email: 'a.b@example.com',
      long_note: 'x'.repeat(1024),
      notes: '',
    });
    expect(after.updatedAt).not.toBe(before.updatedAt);
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(fieldsOf({ customFields: put.body })).toEqual(fieldsOf(after));
  });

  it('takes any node of a tree field, a root or a child', async () => {
    const token = await cxoneToken(emu());
    const c = knownCustomer(0);
    const tree = emu().seed.cxone.definitions.find((d) => d.type === 'tree')!;
    expect(tree.values!.some((v) => v.parentId)).toBe(true);
    for (const value of ['europe', 'europe-uk']) {
      const put = await dfo(emu(), token, 'PUT', `/customers/${c.id}/custom-fields`, [
        { ident: tree.ident, value },
      ]);
      expect(put.status).toBe(200);
      expect(fieldsOf(await getCustomer(token, c.id))[tree.ident]).toBe(value);
    }
  });

  it('has no create: PUT to an unknown customer is 404', async () => {
    const token = await cxoneToken(emu());
    const res = await dfo(emu(), token, 'PUT', '/customers/nope/custom-fields', [
      { ident: 'notes', value: 'x' },
    ]);
    expect(res.status).toBe(404);
    expect(emu().cxone.state.customers.has('nope')).toBe(false);
  });

  const rules: [string, unknown, string][] = [
    ['an unknown ident', [{ ident: 'no_such_field', value: 'x' }], 'CustomFieldNotFound'],
    ['a value that is not a string', [{ ident: 'annual_spend', value: 1200 }], 'InvalidValueType'],
    ['a null value', [{ ident: 'annual_spend', value: null }], 'InvalidValueType'],
    ['a value over 1,024 characters', [{ ident: 'long_note', value: 'x'.repeat(1025) }], 'ValueTooLong'],
    ['a bad e-mail in an email field', [{ ident: 'contact_email', value: 'not-an-email' }], 'InvalidEmail'],
    ["a value outside a list field's values", [{ ident: 'loyalty_tier', value: 'Gold' }], 'ValueNotAllowed'],
    ["a value outside a tree field's values", [{ ident: 'home_region', value: 'Europe' }], 'ValueNotAllowed'],
    ['a field that is not editable', [{ ident: 'crm_id', value: 'CRM-x' }], 'CustomFieldNotEditable'],
    [
      'a duplicate ident',
      [
        { ident: 'notes', value: 'a' },
        { ident: 'notes', value: 'b' },
      ],
      'DuplicateIdent',
    ],
    ['a missing ident', [{ value: 'x' }], 'InvalidIdent'],
    ['an entry that is not an object', ['notes=x'], 'InvalidBody'],
    ['a body that is not an array', { ident: 'notes', value: 'x' }, 'InvalidBody'],
  ];
  for (const [what, body, errorCode] of rules) {
    it(`refuses ${what} with 400 and writes nothing`, async () => {
      const token = await cxoneToken(emu());
      const c = knownCustomer(0);
      const before = await getCustomer(token, c.id);
      // A good entry beside the bad one: all or nothing.
      const sent = Array.isArray(body) ? [{ ident: 'promo_code', value: 'SAVE10' }, ...body] : body;
      const res = await dfo(emu(), token, 'PUT', `/customers/${c.id}/custom-fields`, sent);
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0]).toMatchObject({
        errorCode,
        message: expect.any(String),
        field: expect.any(String),
      });
      expect(await getCustomer(token, c.id)).toEqual(before);
    });
  }

  it('lists every problem of one request', async () => {
    const token = await cxoneToken(emu());
    const c = knownCustomer(0);
    const res = await dfo(emu(), token, 'PUT', `/customers/${c.id}/custom-fields`, [
      { ident: 'no_such_field', value: 'x' },
      { ident: 'loyalty_tier', value: 'diamond' },
      { ident: 'contact_email', value: 'a@b' },
      { ident: 'notes', value: 'fine' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => [e.field, e.errorCode])).toEqual([
      ['no_such_field', 'CustomFieldNotFound'],
      ['loyalty_tier', 'ValueNotAllowed'],
      ['contact_email', 'InvalidEmail'],
    ]);
    expect(res.body.errors[1].parameters.allowedValues).toEqual(['bronze', 'silver', 'gold', 'platinum']);
    expect(fieldsOf(await getCustomer(token, c.id)).notes).toBeUndefined();
  });

  it('refuses to clear a required field', async () => {
    const token = await cxoneToken(emu());
    emu().cxone.state.definitions.find((d) => d.ident === 'notes')!.isRequired = true;
    const c = knownCustomer(0);
    const res = await dfo(emu(), token, 'PUT', `/customers/${c.id}/custom-fields`, [
      { ident: 'notes', value: '' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].errorCode).toBe('CustomFieldRequired');
  });

  it('keeps idents such as __proto__ as plain data', async () => {
    const token = await cxoneToken(emu());
    const defs = await dfo(emu(), token, 'GET', '/customers/custom-field-definitions');
    const put = await dfo(emu(), token, 'PUT', '/customers/custom-field-definitions', [
      ...defs.body,
      { ident: '__proto__', label: 'Proto', type: 'text', isRequired: false, isEditable: true },
      { ident: 'constructor', label: 'Ctor', type: 'text', isRequired: false, isEditable: true },
    ]);
    expect(put.status).toBe(200);
    const c = knownCustomer(0);
    const res = await dfo(emu(), token, 'PUT', `/customers/${c.id}/custom-fields`, [
      { ident: '__proto__', value: 'polluted?' },
      { ident: 'constructor', value: 'no' },
    ]);
    expect(res.status).toBe(200);
    const after = await getCustomer(token, c.id);
    const proto = after.customFields.find((f: any) => f.ident === '__proto__');
    expect(proto.value).toBe('polluted?');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(emu().cxone.state.customers.get(c.id)!.customFields.get('constructor')!.value).toBe('no');
  });
});

describe('CXone DELETE custom field', () => {
  it('clears one field with 204', async () => {
    const token = await cxoneToken(emu());
    const c = knownCustomer(0);
    const del = await dfo(emu(), token, 'DELETE', `/customers/${c.id}/custom-fields/display_name`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const after = await getCustomer(token, c.id);
    expect(fieldsOf(after).display_name).toBeUndefined();
    expect(fieldsOf(after).crm_id).toEqual(expect.any(String));
    // Clearing a field that holds nothing is fine too.
    expect((await dfo(emu(), token, 'DELETE', `/customers/${c.id}/custom-fields/display_name`)).status).toBe(
      204,
    );
  });

  it('answers 400 for an unknown or read-only ident and 404 for an unknown customer', async () => {
    const token = await cxoneToken(emu());
    const c = knownCustomer(0);
    const unknown = await dfo(emu(), token, 'DELETE', `/customers/${c.id}/custom-fields/no_such_field`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({
      field: 'no_such_field',
      errorCode: 'CustomFieldNotFound',
    });
    const readOnly = await dfo(emu(), token, 'DELETE', `/customers/${c.id}/custom-fields/crm_id`);
    expect(readOnly.status).toBe(400);
    expect(fieldsOf(await getCustomer(token, c.id)).crm_id).toEqual(expect.any(String));
    const noCustomer = await dfo(emu(), token, 'DELETE', '/customers/nope/custom-fields/notes');
    expect(noCustomer.status).toBe(404);
  });
});

describe('CXone reset', () => {
  it('restores the seed customers and definitions', async () => {
    const token = await cxoneToken(emu());
    const c = knownCustomer(0);
    const before = await getCustomer(token, c.id);
    await dfo(emu(), token, 'PUT', `/customers/${c.id}/custom-fields`, [
      { ident: 'notes', value: 'changed' },
    ]);
    expect((await http('POST', `${emu().urls.cxone.apiUrl}/__admin/reset`)).status).toBe(204);
    const again = await cxoneToken(emu());
    expect(await getCustomer(again, c.id)).toEqual(before);
  });
});
