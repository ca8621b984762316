import {
  type AttributeValue,
  attributeMap,
  type CognigyApi,
  ConfigurationError,
  toCognigyProfile,
  ValidationError,
} from '@cx-profile-sync/core/pure';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { mappedValues } from '../../../../shared/resource-mapper';
import { cognigyApi } from '../../../../transport/apis';

/** The profile fields, loaded from the project's schema. */
export const profileFieldsProperty: INodeProperties = {
  displayName: 'Profile Fields',
  name: 'profile',
  type: 'resourceMapper',
  noDataExpression: true,
  default: { mappingMode: 'defineBelow', value: null },
  required: true,
  typeOptions: {
    loadOptionsDependsOn: ['projectId'],
    resourceMapper: {
      resourceMapperMethod: 'getProfileFields',
      mode: 'add',
      fieldWords: { singular: 'profile field', plural: 'profile fields' },
      addAllFields: false,
      multiKeyMatch: false,
      supportAutoMap: true,
    },
  },
};

/** The Cognigy.AI API of the node's project (the Project ID of this item). */
export function projectApi(ctx: IExecuteFunctions, itemIndex: number): CognigyApi {
  return cognigyApi(ctx, String(ctx.getNodeParameter('projectId', itemIndex, '')));
}

/**
 * The mapped profile fields, converted and checked by the project's schema with the core's
 * conversion (strict numbers and booleans, objects); any refusal stops the item before a request.
 */
export async function profileValues(
  ctx: IExecuteFunctions,
  api: CognigyApi,
  itemIndex: number,
): Promise<Record<string, unknown>> {
  const schema = await api.schema();
  const values = mappedValues(
    ctx,
    'profile',
    itemIndex,
    schema.map((e) => e.internal),
  );
  const { profile, skipped } = toCognigyProfile(
    attributeMap(Object.entries(values) as [string, AttributeValue][]),
    schema,
  );
  if (skipped.length > 0) {
    throw new ValidationError(
      `Cognigy.AI profile fields refused before sending: ${skipped.map((s) => s.reason).join('; ')}`,
      { platform: 'cognigy', fields: skipped.map((s) => ({ field: s.key, message: s.reason })) },
    );
  }
  if (Object.keys(profile).length === 0) {
    throw new ConfigurationError('Cognigy.AI: no profile field has a value to write', {
      platform: 'cognigy',
    });
  }
  return profile;
}
