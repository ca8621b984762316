import type { FastifyInstance } from 'fastify';
import type { SeedExternalContact, SeedPhone } from '../seed/seed.js';
import {
  badRequest,
  decodeCursor,
  encodeCursor,
  type GenesysRouteContext,
  intParam,
  withQuery,
} from './route-helpers.js';
import type { GenesysState } from './state.js';

const CONTACTS = '/api/v2/externalcontacts/contacts';
const SCAN = '/api/v2/externalcontacts/scan/contacts';
/** Search may not reach past this many rows (pageNumber × pageSize); a full pass uses the scan. */
export const SEARCH_WINDOW = 1000;

type Query = Record<string, string | undefined>;

/** External contacts: one by id, search, cursor scan, and the custom-field schemas. */
export function registerExternalContactRoutes(
  api: FastifyInstance,
  { state, sendError }: GenesysRouteContext,
) {
  api.get(`${CONTACTS}/schemas`, async () => {
    const s = state.contactSchema;
    return {
      entities: [
        {
          id: s.id,
          name: s.name,
          version: s.version,
          enabled: true,
          jsonSchema: {
            $schema: 'http://json-schema.org/draft-04/schema#',
            title: s.name,
            description: `${s.name} custom fields`,
            properties: s.properties,
          },
          selfUri: `${CONTACTS}/schemas/${s.id}`,
        },
      ],
      selfUri: `${CONTACTS}/schemas`,
    };
  });

  api.get<{ Params: { contactId: string } }>(`${CONTACTS}/:contactId`, async (request, reply) => {
    const c = state.externalContacts.get(request.params.contactId);
    if (!c) {
      return sendError(
        request,
        reply,
        404,
        'entity.not.found',
        `External contact ${request.params.contactId} not found`,
      );
    }
    return toExternalContact(c, state);
  });

  api.get<{ Querystring: Query }>(CONTACTS, async (request) => {
    const q = request.query.q;
    const pageSize = intParam(request.query, 'pageSize') ?? 20;
    const pageNumber = intParam(request.query, 'pageNumber') ?? 1;
    if (pageSize < 1 || pageSize > 100) throw badRequest('pageSize must be between 1 and 100');
    if (pageNumber < 1) throw badRequest('pageNumber must be 1 or more');
    if (pageNumber * pageSize > SEARCH_WINDOW) {
      throw badRequest(
        `pageNumber × pageSize may not exceed ${SEARCH_WINDOW} (got ${pageNumber} × ${pageSize}); use ${SCAN} to read every contact`,
      );
    }
    const matches = [...state.externalContacts.values()].filter(matcher(q));
    const total = matches.length;
    const pageCount = Math.ceil(total / pageSize);
    const uri = (n: number) => withQuery(CONTACTS, { pageSize, pageNumber: n, q });
    return {
      entities: matches
        .slice((pageNumber - 1) * pageSize, pageNumber * pageSize)
        .map((c) => toExternalContact(c, state)),
      pageSize,
      pageNumber,
      total,
      pageCount,
      firstUri: uri(1),
      ...(pageNumber < pageCount ? { nextUri: uri(pageNumber + 1) } : {}),
      ...(pageNumber > 1 ? { previousUri: uri(pageNumber - 1) } : {}),
      lastUri: uri(Math.max(1, pageCount)),
      selfUri: uri(pageNumber),
    };
  });

  api.get<{ Querystring: Query }>(SCAN, async (request) => {
    const limit = intParam(request.query, 'limit') ?? 100;
    if (limit < 10 || limit > 200) throw badRequest(`limit must be between 10 and 200, got ${limit}`);
    const all = [...state.externalContacts.values()];
    const cursor = request.query.cursor;
    const offset = cursor ? decodeCursor(cursor, all.length) : 0;
    const end = offset + limit;
    const after = end < all.length ? encodeCursor(end) : undefined;
    return {
      entities: all.slice(offset, end).map((c) => toExternalContact(c, state)),
      ...(after ? { cursors: { after }, nextUri: withQuery(SCAN, { limit, cursor: after }) } : {}),
      selfUri: withQuery(SCAN, { limit, cursor }),
    };
  });
}

/** Search: names, e-mail addresses and phone digits, case-insensitively; no query matches all. */
function matcher(q: string | undefined): (c: SeedExternalContact) => boolean {
  const needle = (q ?? '').trim().toLowerCase();
  if (!needle) return () => true;
  // Only a query that looks like a phone number is compared with phone digits.
  const digits = /^[+\d\s().-]+$/.test(needle) ? needle.replace(/\D/g, '') : '';
  return (c) => {
    const texts = [c.firstName, c.lastName, `${c.firstName} ${c.lastName}`, c.personalEmail, c.workEmail];
    if (texts.some((t) => t?.toLowerCase().includes(needle))) return true;
    if (!digits) return false;
    return [c.cellPhone, c.workPhone].some((p) => p?.e164.replace(/\D/g, '').includes(digits));
  };
}

/** The ExternalContact shape of `GET /api/v2/externalcontacts/contacts/{contactId}`. */
export function toExternalContact(c: SeedExternalContact, state: GenesysState) {
  return {
    id: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    cellPhone: toPhone(c.cellPhone),
    ...(c.workPhone ? { workPhone: toPhone(c.workPhone) } : {}),
    personalEmail: c.personalEmail,
    ...(c.workEmail ? { workEmail: c.workEmail } : {}),
    address: c.address,
    externalIds: [],
    createDate: c.createDate,
    modifyDate: c.modifyDate,
    schema: {
      id: c.schemaId,
      version: state.contactSchema.version,
      selfUri: `${CONTACTS}/schemas/${c.schemaId}/versions/${state.contactSchema.version}`,
    },
    customFields: c.customFields,
    type: 'Curated',
    selfUri: `${CONTACTS}/${c.id}`,
  };
}

function toPhone(p: SeedPhone) {
  return {
    display: p.display,
    e164: p.e164,
    countryCode: p.countryCode,
    acceptsSMS: false,
    userInput: p.display,
    normalizationCountryCode: p.countryCode,
  };
}
