import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';
import { toNodeError } from '../../../shared/errors';
import { cxoneApi } from '../../../transport/apis';
import { fieldOfDefinition } from './fields';

/** The tenant's custom-field definitions, for the "Update Custom Fields" mapper. */
export async function getCustomFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
  try {
    const definitions = await cxoneApi(this).fieldDefinitions();
    return {
      fields: definitions.map(fieldOfDefinition),
      ...(definitions.length === 0
        ? { emptyFieldsNotice: 'This CXone tenant defines no custom fields' }
        : {}),
    };
  } catch (e) {
    throw toNodeError(this.getNode(), e);
  }
}
