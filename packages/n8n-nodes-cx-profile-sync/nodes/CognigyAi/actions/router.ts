import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { routeItems } from '../../../shared/router';
import * as profile from './profile/Profile.resource';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return [
    await routeItems(this, {
      profile: {
        create: profile.create,
        delete: profile.delete,
        find: profile.find,
        update: profile.update,
      },
    }),
  ];
}
