import type { FastifyInstance } from 'fastify';
import { ERROR_CODES, sendCognigyError, validationMessage } from './errors.js';
import { type CognigyState, toSchema } from './state.js';
import { checkSchema, isPlainObject } from './validate.js';

/** The project's profile schema under one prefix: read and replace. */
export function registerSchemaRoutes(api: FastifyInstance, prefix: string, current: () => CognigyState) {
  api.get<{ Params: { projectId: string } }>(
    `${prefix}/profiles/schema/:projectId`,
    async (request, reply) => {
      const state = current();
      if (request.params.projectId !== state.projectId) {
        return sendCognigyError(request, reply, 404, `Project ${request.params.projectId} not found.`);
      }
      return toSchema(state.schema);
    },
  );

  // Body `{details: [...]}` as the official client sends it; answers `{}`.
  api.put<{ Params: { projectId: string } }>(
    `${prefix}/profiles/schema/:projectId`,
    async (request, reply) => {
      const state = current();
      if (request.params.projectId !== state.projectId) {
        return sendCognigyError(request, reply, 404, `Project ${request.params.projectId} not found.`);
      }
      const body = request.body;
      if (!isPlainObject(body) || body.details === undefined) {
        return sendCognigyError(request, reply, 400, 'Validation failed. Missing payload.', {
          code: ERROR_CODES.missingArgument,
        });
      }
      const checked = checkSchema(body.details);
      if ('problems' in checked) {
        return sendCognigyError(request, reply, 400, validationMessage(checked.problems), {
          details: checked.problems,
        });
      }
      // Values of fields that leave the schema stay in the profiles (assumed).
      state.schema = checked.entries;
      return {};
    },
  );
}
