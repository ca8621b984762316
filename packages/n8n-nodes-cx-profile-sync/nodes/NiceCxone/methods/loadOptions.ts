import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { toNodeError } from '../../../shared/errors';
import { cxoneApi } from '../../../transport/apis';
import { optionOfClearableDefinition } from './fields';

/** The tenant's custom fields that can be cleared (editable, not required), for "Clear Custom Field". */
export async function getClearableCustomFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
  try {
    const definitions = await cxoneApi(this).fieldDefinitions();
    return definitions.flatMap(optionOfClearableDefinition);
  } catch (e) {
    throw toNodeError(this.getNode(), e);
  }
}
