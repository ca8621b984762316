import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformServer } from '../common/platform-server.js';
import { matchesQuery, parseCustomerQuery } from './search.js';
import { type CxoneState, toDfoCustomer, toDfoCustomFields } from './state.js';
import { type DfoProblem, validateCustomFieldWrite, validateDefinitions } from './validate.js';

const DFO = '/dfo/3.0';
const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;

/** The DFO error body: `{errors:[{message, errorCode}], uid}`. */
export function dfoErrorBody(_status: number, code: string, message: string, correlationId: string) {
  return { errors: [{ message, errorCode: code }], uid: correlationId };
}

/** Where a search continues: opaque to clients (base64url JSON). */
interface ScrollPosition {
  query: string;
  size: number;
  offset: number;
}

function encodeScroll(p: ScrollPosition): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

function decodeScroll(token: string): ScrollPosition | undefined {
  try {
    const p = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<ScrollPosition>;
    if (
      typeof p.query === 'string' &&
      Number.isInteger(p.size) &&
      Number.isInteger(p.offset) &&
      p.offset! >= 0
    )
      return p as ScrollPosition;
  } catch {
    // not ours
  }
  return undefined;
}

/** The Digital (DFO 3.0) customer routes; auth and limits run in the caller's preHandler. */
export function registerDfoRoutes(
  api: FastifyInstance,
  server: PlatformServer,
  state: () => CxoneState,
): void {
  const { sendError } = server;
  const problemsReply = (reply: FastifyReply, problems: DfoProblem[]) =>
    reply.code(400).send({ errors: problems });
  const customerOr404 = (request: FastifyRequest, reply: FastifyReply, id: string) => {
    const c = state().customers.get(id);
    if (!c) sendError(request, reply, 404, 'CustomerNotFound', `Customer ${id} not found`);
    return c;
  };

  api.get(`${DFO}/customers/custom-field-definitions`, async () => state().definitions);

  api.put(`${DFO}/customers/custom-field-definitions`, async (request, reply) => {
    const { problems, definitions } = validateDefinitions(request.body);
    if (problems.length) return problemsReply(reply, problems);
    state().definitions = definitions;
    return definitions;
  });

  api.get<{ Querystring: { query?: string; size?: string; scrollToken?: string } }>(
    `${DFO}/customers`,
    async (request, reply) => {
      const { scrollToken } = request.query;
      let position: ScrollPosition;
      if (scrollToken) {
        const p = decodeScroll(scrollToken);
        if (!p) return sendError(request, reply, 400, 'InvalidScrollToken', 'The scrollToken is not valid');
        position = p;
      } else {
        let size = DEFAULT_PAGE_SIZE;
        if (request.query.size !== undefined) {
          if (!/^\d+$/.test(request.query.size) || Number(request.query.size) < 1) {
            return sendError(request, reply, 400, 'InvalidSize', 'size must be a positive integer');
          }
          size = Math.min(MAX_PAGE_SIZE, Number(request.query.size));
        }
        position = { query: request.query.query ?? '', size, offset: 0 };
      }
      const parsed = parseCustomerQuery(position.query);
      if (!parsed.ok) {
        // Assumed: the code and the wording; the status and the DFO error body are the platform's.
        return sendError(request, reply, 400, 'InvalidQuery', `The query cannot be parsed: ${parsed.reason}`);
      }
      const all = [...state().customers.values()].filter((c) => matchesQuery(c, parsed.query));
      const page = all.slice(position.offset, position.offset + position.size);
      const next = position.offset + position.size;
      return {
        hits: all.length,
        data: page.map(toDfoCustomer),
        ...(next < all.length ? { scrollToken: encodeScroll({ ...position, offset: next }) } : {}),
      };
    },
  );

  api.get<{ Params: { customerId: string } }>(`${DFO}/customers/:customerId`, async (request, reply) => {
    const c = customerOr404(request, reply, request.params.customerId);
    return c ? toDfoCustomer(c) : reply;
  });

  api.put<{ Params: { customerId: string } }>(
    `${DFO}/customers/:customerId/custom-fields`,
    async (request, reply) => {
      const c = customerOr404(request, reply, request.params.customerId);
      if (!c) return reply;
      const { problems, fields } = validateCustomFieldWrite(request.body, state().definitions);
      // All or nothing: one bad entry and nothing is written.
      if (problems.length) return problemsReply(reply, problems);
      if (fields.length) {
        const now = new Date().toISOString();
        for (const { ident, value } of fields) c.customFields.set(ident, { value, updatedAt: now });
        c.updatedAt = now;
      }
      // Assumed: 200 with the customer's custom fields (the docs do not show the answer).
      return toDfoCustomFields(c);
    },
  );

  api.delete<{ Params: { customerId: string; ident: string } }>(
    `${DFO}/customers/:customerId/custom-fields/:ident`,
    async (request, reply) => {
      const c = customerOr404(request, reply, request.params.customerId);
      if (!c) return reply;
      const { ident } = request.params;
      const definition = state().definitions.find((d) => d.ident === ident);
      if (!definition) {
        return problemsReply(reply, [
          {
            field: ident,
            message: `Custom field '${ident}' is not defined`,
            errorCode: 'CustomFieldNotFound',
          },
        ]);
      }
      if (!definition.isEditable || definition.isRequired) {
        return problemsReply(reply, [
          {
            field: ident,
            message: `Custom field '${ident}' cannot be cleared (${definition.isEditable ? 'required' : 'not editable'})`,
            errorCode: definition.isEditable ? 'CustomFieldRequired' : 'CustomFieldNotEditable',
          },
        ]);
      }
      if (c.customFields.delete(ident)) c.updatedAt = new Date().toISOString();
      return reply.code(204).send();
    },
  );
}
