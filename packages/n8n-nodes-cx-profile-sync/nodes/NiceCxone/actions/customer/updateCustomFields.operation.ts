import {
  type AttributeValue,
  attributeMap,
  ConfigurationError,
  toCxoneCustomFields,
  ValidationError,
} from '@cx-profile-sync/core/pure';
import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeProperties,
  updateDisplayOptions,
} from 'n8n-workflow';
import { requiredText } from '../../../../shared/params';
import { mappedValues } from '../../../../shared/resource-mapper';
import { cxoneApi } from '../../../../transport/apis';
import { customerIdProperty } from './get.operation';

const properties: INodeProperties[] = [
  customerIdProperty,
  {
    displayName: 'Custom Fields',
    name: 'fields',
    type: 'resourceMapper',
    noDataExpression: true,
    default: { mappingMode: 'defineBelow', value: null },
    required: true,
    typeOptions: {
      resourceMapper: {
        resourceMapperMethod: 'getCustomFields',
        mode: 'add',
        fieldWords: { singular: 'custom field', plural: 'custom fields' },
        addAllFields: false,
        multiKeyMatch: false,
        supportAutoMap: true,
      },
    },
  },
];

export const description = updateDisplayOptions(
  { show: { resource: ['customer'], operation: ['updateCustomFields'] } },
  properties,
);

/**
 * Sets the mapped custom fields of one customer. The values are checked against the tenant's
 * definitions with the core's conversion first (list values, e-mail form, 1,024 characters,
 * read-only fields); any refusal stops the item before a request, naming field and rule. Empty
 * values are left out (a sync never clears a field).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const customerId = requiredText(this, 'customerId', itemIndex, 'Customer ID', 'cxone');
  const client = cxoneApi(this);
  const definitions = await client.fieldDefinitions();
  const values = mappedValues(
    this,
    'fields',
    itemIndex,
    definitions.map((d) => d.ident),
  );
  const { fields, skipped } = toCxoneCustomFields(
    attributeMap(Object.entries(values) as [string, AttributeValue][]),
    definitions,
  );
  if (skipped.length > 0) {
    throw new ValidationError(
      `NICE CXone custom fields refused before sending: ${skipped.map((s) => s.reason).join('; ')}`,
      { platform: 'cxone', fields: skipped.map((s) => ({ field: s.key, message: s.reason })) },
    );
  }
  if (fields.length === 0) {
    throw new ConfigurationError('NICE CXone: no custom field has a value to write', { platform: 'cxone' });
  }
  await client.putCustomFields(customerId, fields);
  const written: IDataObject = {};
  for (const f of fields) written[f.ident] = f.value;
  return { customerId, written };
}
