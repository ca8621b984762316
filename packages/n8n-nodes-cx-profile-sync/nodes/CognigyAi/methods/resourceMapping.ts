import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';
import { toNodeError } from '../../../shared/errors';
import { cognigyApi } from '../../../transport/apis';
import { fieldOfSchemaEntry } from './fields';

/** The project's contact-profile schema, for the create and update mappers. */
export async function getProfileFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
  try {
    const projectId = String(this.getNodeParameter('projectId', '') ?? '');
    const schema = await cognigyApi(this, projectId).schema();
    return {
      fields: schema.map(fieldOfSchemaEntry),
      ...(schema.length === 0 ? { emptyFieldsNotice: "This project's profile schema has no fields" } : {}),
    };
  } catch (e) {
    throw toNodeError(this.getNode(), e);
  }
}
