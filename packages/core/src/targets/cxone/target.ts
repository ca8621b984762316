import type { Mapping } from '../../convert/mapping.js';
import type { SourceCustomer } from '../../sources/types.js';
import type { FindResult, SyncTarget, TargetRecord } from '../../sync/target.js';
import { toCxoneCustomFields } from './convert.js';
import type { CxoneApi } from './flows.js';
import type { CxoneCustomer } from './types.js';

/** What the target needs from a CXone client: `CxoneApi` over any host's `send`. */
export type CxoneTargetClient = Pick<
  CxoneApi,
  'fieldDefinitions' | 'getCustomer' | 'findCustomer' | 'putCustomFields'
>;

function recordOf(c: CxoneCustomer): TargetRecord {
  const current: Record<string, unknown> = Object.create(null);
  for (const f of c.customFields) {
    Object.defineProperty(current, f.ident, {
      value: f.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { id: c.id, current };
}

/** NICE CXone as a sync target: the customer card's custom fields. Customers are never created. */
export class CxoneTarget implements SyncTarget {
  readonly name = 'cxone' as const;

  constructor(
    readonly client: CxoneTargetClient,
    private readonly mapping?: Mapping,
  ) {}

  async conversionBasis() {
    return { mapping: this.mapping ?? null, schema: await this.client.fieldDefinitions() };
  }

  async convert(customer: SourceCustomer) {
    const definitions = await this.client.fieldDefinitions();
    const { fields, skipped } = toCxoneCustomFields(customer.attributes, definitions, this.mapping);
    const values: Record<string, unknown> = Object.create(null);
    for (const f of fields) {
      Object.defineProperty(values, f.ident, {
        value: f.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return { values, skipped };
  }

  async find(customer: SourceCustomer, customerId?: string): Promise<FindResult> {
    if (customerId) {
      const c = await this.client.getCustomer(customerId);
      return c
        ? { found: recordOf(c) }
        : { found: undefined, reason: `CXone has no customer with id ${customerId}` };
    }
    const { phone, email } = customer.identity;
    if (!phone && !email)
      return {
        found: undefined,
        reason: 'the source customer has no phone number or e-mail address to search CXone by',
      };
    const match = await this.client.findCustomer(customer.identity);
    if (!match)
      return {
        found: undefined,
        reason: `no CXone customer has this ${[phone && 'phone number', email && 'e-mail address'].filter(Boolean).join(' or ')} (CXone customers come from channels; none is created)`,
      };
    if (match.kind === 'ambiguous') return { found: undefined, reason: match.reason };
    return { found: recordOf(match.customer) };
  }

  async write(_customer: SourceCustomer, record: TargetRecord | undefined, changes: Record<string, unknown>) {
    if (!record) throw new Error('CXone customers are never created');
    const fields = Object.keys(changes).map((ident) => ({ ident, value: String(changes[ident]) }));
    await this.client.putCustomFields(record.id, fields);
    return { id: record.id, created: false };
  }
}
