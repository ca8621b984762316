import type { ResourceMapperFields } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { NiceCxone } from '../../nodes/NiceCxone/NiceCxone.node';
import { runNode, useEmulators } from './emulators';
import { emulatorCredentials, type FakeOptions, fakeN8n } from './fake-n8n';

const emu = useEmulators();
const node = new NiceCxone();
const fake = (parameters: FakeOptions['parameters'], options: Omit<FakeOptions, 'parameters'> = {}) =>
  fakeN8n({ credentials: emulatorCredentials(emu()), parameters, ...options });

/** Seed customer 0 is known to CXone (one in ten is not). */
const known = () => emu().seed.customers[0]!;
const storedFields = (customerId: string) =>
  Object.fromEntries(
    [...emu().state.cxone.customers.get(customerId)!.customFields].map(([k, v]) => [k, v.value]),
  );
const puts = () =>
  emu()
    .cxone.log.list()
    .filter((r) => r.method === 'PUT');

describe('NICE CXone node: customer → Find by Phone or Email', () => {
  it('finds the customer by phone (E.164) or by e-mail in any case', async () => {
    const c = known();
    for (const parameters of [{ phone: c.phone }, { email: c.email.toUpperCase() }]) {
      const items = await runNode(
        node,
        fake({ resource: 'customer', operation: 'find', ...parameters }).execute,
      );
      expect(items).toHaveLength(1);
      expect(items[0]!.json).toMatchObject({ id: c.cxoneCustomerId, firstName: c.firstName });
      expect(items[0]!.pairedItem).toEqual({ item: 0 });
    }
  });

  it('outputs nothing for a customer CXone does not know', async () => {
    const unknown = emu().seed.customers.find((c) => !c.cxoneCustomerId)!;
    const items = await runNode(
      node,
      fake({ resource: 'customer', operation: 'find', phone: unknown.phone, email: unknown.email }).execute,
    );
    expect(items).toEqual([]);
  });

  it('refuses to choose between two customers that share the identity', async () => {
    const [a, b] = emu().seed.customers;
    emu()
      .state.cxone.customers.get(b!.cxoneCustomerId!)!
      .identities.push({ idOnExternalPlatform: a!.phone, firstName: 'x', lastName: 'y' });
    const failure = runNode(node, fake({ resource: 'customer', operation: 'find', phone: a!.phone }).execute);
    await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
    await expect(failure).rejects.toThrow(/2 different CXone customers match this customer's identity/);
  });

  it('needs a phone number or an e-mail address', async () => {
    await expect(runNode(node, fake({ resource: 'customer', operation: 'find' }).execute)).rejects.toThrow(
      /give a phone number or an e-mail address/,
    );
  });
});

describe('NICE CXone node: customer → Get', () => {
  it('outputs the customer with custom fields and identities', async () => {
    const c = known();
    const [item] = await runNode(
      node,
      fake({ resource: 'customer', operation: 'get', customerId: c.cxoneCustomerId }).execute,
    );
    expect(item!.json).toMatchObject({
      id: c.cxoneCustomerId,
      customFields: expect.arrayContaining([
        expect.objectContaining({ ident: 'crm_id', value: `CRM-${c.index}` }),
      ]),
      identities: expect.arrayContaining([expect.objectContaining({ idOnExternalPlatform: c.phone })]),
    });
  });

  it('reports an unknown id as not found (HTTP 404)', async () => {
    const failure = runNode(
      node,
      fake({ resource: 'customer', operation: 'get', customerId: 'nope' }).execute,
    );
    await expect(failure).rejects.toBeInstanceOf(NodeApiError);
    await expect(failure).rejects.toMatchObject({
      httpCode: '404',
      message: 'NICE CXone has no customer with id nope',
    });
  });
});

describe('NICE CXone node: customer → Update Custom Fields', () => {
  const update = (value: Record<string, unknown>, mappingMode = 'defineBelow') => ({
    resource: 'customer',
    operation: 'updateCustomFields',
    customerId: known().cxoneCustomerId,
    fields: { mappingMode, value },
  });

  it("writes the mapped fields, checked by the tenant's definitions (a list's display name → its value)", async () => {
    const [item] = await runNode(
      node,
      fake(update({ loyalty_tier: 'Gold', promo_code: '007', notes: '', contact_email: null })).execute,
    );
    expect(item!.json).toEqual({
      customerId: known().cxoneCustomerId,
      written: { loyalty_tier: 'gold', promo_code: '007' },
    });
    expect(storedFields(known().cxoneCustomerId!)).toMatchObject({ loyalty_tier: 'gold', promo_code: '007' });
  });

  it('refuses a value the definitions do not allow, naming field and rule, before any request', async () => {
    const failure = runNode(node, fake(update({ loyalty_tier: 'diamond', crm_id: 'X' })).execute);
    await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
    await expect(failure).rejects.toThrow(
      /custom field loyalty_tier is a list, and the value is not one of its values/,
    );
    await expect(failure).rejects.toThrow(/custom field crm_id is read-only in CXone/);
    expect(puts()).toEqual([]);
  });

  it('with "Map Automatically" takes the input keys that name a custom field', async () => {
    const [item] = await runNode(
      node,
      fake(update({}, 'autoMapInputData'), { items: [{ promo_code: 'AUTO-1', not_a_field: 'x', id: 'y' }] })
        .execute,
    );
    expect(item!.json.written).toEqual({ promo_code: 'AUTO-1' });
  });

  it('says so when nothing is left to write', async () => {
    await expect(runNode(node, fake(update({ notes: '' })).execute)).rejects.toThrow(
      'NICE CXone: no custom field has a value to write',
    );
  });
});

describe('NICE CXone node: custom field → List Definitions, and the resource mapper', () => {
  it("outputs one item per definition of the tenant's", async () => {
    const items = await runNode(
      node,
      fake({ resource: 'customField', operation: 'getManyDefinitions' }).execute,
    );
    expect(items.map((i) => i.json.ident)).toEqual(emu().seed.cxone.definitions.map((d) => d.ident));
    expect(items[0]!.json).toMatchObject({ ident: 'loyalty_tier', type: 'list', values: expect.any(Array) });
  });

  it('loads the mapper fields from the definitions: lists as dropdowns, read-only fields left out', async () => {
    const f = fake({});
    const { fields } = (await node.methods.resourceMapping.getCustomFields.call(
      f.loadOptions,
    )) as ResourceMapperFields;
    expect(fields).toHaveLength(emu().seed.cxone.definitions.length);
    expect(fields.find((x) => x.id === 'loyalty_tier')).toMatchObject({
      displayName: 'Loyalty tier (loyalty_tier)',
      type: 'options',
      options: [
        { name: 'Bronze', value: 'bronze' },
        { name: 'Silver', value: 'silver' },
        { name: 'Gold', value: 'gold' },
        { name: 'Platinum', value: 'platinum' },
      ],
    });
    expect(fields.find((x) => x.id === 'contact_email')).toMatchObject({ type: 'string', readOnly: false });
    expect(fields.find((x) => x.id === 'crm_id')).toMatchObject({ readOnly: true, removed: true });
    // A tree's nodes, each named with its parents.
    expect(fields.find((x) => x.id === 'home_region')).toMatchObject({
      type: 'options',
      options: expect.arrayContaining([
        { name: 'Europe', value: 'europe' },
        { name: 'Europe › United Kingdom', value: 'europe-uk' },
      ]),
    });
  });

  it('turns a failed login while loading into an n8n error with the core message', async () => {
    const credentials = emulatorCredentials(emu());
    credentials.niceCxoneApi!.accessKeySecret = 'wrong';
    const f = fakeN8n({ credentials, parameters: {} });
    await expect(node.methods.resourceMapping.getCustomFields.call(f.loadOptions)).rejects.toThrow(
      /^NICE CXone login \(token request\) refused the credentials/,
    );
  });
});

describe('NICE CXone node: customer → Clear Custom Field', () => {
  const clear = (ident: string, customerId = known().cxoneCustomerId) => ({
    resource: 'customer',
    operation: 'clearCustomField',
    customerId,
    ident,
  });
  const deletes = () =>
    emu()
      .cxone.log.list()
      .filter((r) => r.method === 'DELETE');

  it("removes the field's value from the customer and outputs what was cleared; the other fields stay", async () => {
    const c = known();
    const items = await runNode(node, fake(clear('display_name')).execute);
    expect(items).toEqual([
      {
        json: { cleared: true, customerId: c.cxoneCustomerId, ident: 'display_name' },
        pairedItem: { item: 0 },
      },
    ]);
    const customFields = emu().state.cxone.customers.get(c.cxoneCustomerId!)!.customFields;
    expect(customFields.has('display_name')).toBe(false);
    expect(storedFields(c.cxoneCustomerId!)).toEqual({
      preferred_channel: expect.any(String),
      crm_id: `CRM-${c.index}`,
    });
  });

  it('reports an unknown customer as not found (HTTP 404)', async () => {
    const failure = runNode(node, fake(clear('display_name', 'nope')).execute);
    await expect(failure).rejects.toBeInstanceOf(NodeApiError);
    await expect(failure).rejects.toMatchObject({ httpCode: '404' });
  });

  it('passes on the refusal of a read-only field, naming it, and leaves its value', async () => {
    const c = known();
    const failure = runNode(node, fake(clear('crm_id')).execute);
    await expect(failure).rejects.toBeInstanceOf(NodeApiError);
    await expect(failure).rejects.toThrow(/crm_id/);
    expect(storedFields(c.cxoneCustomerId!)).toMatchObject({ crm_id: `CRM-${c.index}` });
  });

  it('needs the customer id and the field, before any request', async () => {
    await expect(runNode(node, fake(clear('display_name', '')).execute)).rejects.toThrow(
      'Customer ID is empty',
    );
    await expect(runNode(node, fake(clear(' ')).execute)).rejects.toThrow('Field is empty');
    expect(deletes()).toEqual([]);
  });

  it('offers the fields that can be cleared (read-only ones left out) as options', async () => {
    const f = fake({});
    const options = await node.methods.loadOptions.getClearableCustomFields.call(f.loadOptions);
    expect(options.map((o) => o.value)).toEqual(
      emu()
        .seed.cxone.definitions.filter((d) => d.isEditable && !d.isRequired)
        .map((d) => d.ident),
    );
    expect(options).not.toContainEqual(expect.objectContaining({ value: 'crm_id' }));
    expect(options).toContainEqual({ name: 'Display name (display_name)', value: 'display_name' });
  });
});
