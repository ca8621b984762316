import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { SeedConversation, SeedParticipant } from '../seed/seed.js';
import {
  badRequest,
  decodeCursor,
  encodeCursor,
  type GenesysRouteContext,
  intParam,
  isPlainObject,
} from './route-helpers.js';
import type { AnalyticsJob } from './state.js';

const JOBS = '/api/v2/analytics/conversations/details/jobs';
/** The most conversations one results page holds. */
export const MAX_RESULTS_PAGE = 1000;
/** How long fulfilled results stay readable (shown as expirationDate; not enforced). */
const RESULTS_KEPT_MS = 7 * 86_400_000;

export type JobState = 'QUEUED' | 'PENDING' | 'FULFILLED' | 'FAILED';

/**
 * Analytics conversation-detail jobs: submit, poll, page. The conversations are those starting in the
 * interval (half-open) and before the data lake's watermark, fixed at submission (a window that ends
 * after the watermark silently holds only what precedes it, as on a real org); their attributes are
 * read when a page is served. Each results page and `GET …/jobs/availability` say the watermark
 * (`dataAvailabilityDate`).
 * `conversationFilters` and `segmentFilters` are accepted (they must be arrays) but not applied.
 */
export function registerAnalyticsRoutes(
  api: FastifyInstance,
  { state, sendError, options }: GenesysRouteContext,
) {
  const delayMs = options.genesys.jobDelayMs;

  function stateOf(job: AnalyticsJob, now = Date.now()): JobState {
    const elapsed = now - job.submittedAt;
    if (elapsed >= delayMs) return job.failWith !== undefined ? 'FAILED' : 'FULFILLED';
    return elapsed >= delayMs / 2 ? 'PENDING' : 'QUEUED';
  }

  api.get(`${JOBS}/availability`, async () => ({
    dataAvailabilityDate: new Date(state.dataAvailableMs()).toISOString(),
  }));

  api.post(JOBS, async (request, reply) => {
    const body = request.body;
    if (!isPlainObject(body)) throw badRequest('The request body must be a JSON object with an interval');
    const { startMs, endMs } = parseInterval(body.interval);
    const order = body.order ?? 'asc';
    if (order !== 'asc' && order !== 'desc') throw badRequest('order must be "asc" or "desc"');
    if (body.orderBy !== undefined && body.orderBy !== 'conversationStart')
      throw badRequest('orderBy must be "conversationStart" (the only order this emulator supports)');
    for (const k of ['conversationFilters', 'segmentFilters'] as const) {
      if (body[k] !== undefined && !Array.isArray(body[k])) throw badRequest(`${k} must be an array`);
    }
    const submittedAt = Date.now();
    const dataAvailableMs = state.dataAvailableMs(submittedAt);
    const conversationIds = state.conversationIdsStartingIn(startMs, Math.min(endMs, dataAvailableMs));
    if (order === 'desc') conversationIds.reverse();
    const job: AnalyticsJob = { id: randomUUID(), submittedAt, conversationIds, dataAvailableMs };
    state.jobs.set(job.id, job);
    return reply.code(202).send({ jobId: job.id });
  });

  api.get<{ Params: { jobId: string } }>(`${JOBS}/:jobId`, async (request, reply) => {
    const job = state.jobs.get(request.params.jobId);
    if (!job) return sendError(request, reply, 404, 'not.found', `Job ${request.params.jobId} not found`);
    const s = stateOf(job);
    return {
      state: s,
      submissionDate: new Date(job.submittedAt).toISOString(),
      ...(s === 'FULFILLED'
        ? { expirationDate: new Date(job.submittedAt + RESULTS_KEPT_MS).toISOString() }
        : {}),
      ...(s === 'FAILED' ? { errorMessage: job.failWith } : {}),
    };
  });

  api.get<{ Params: { jobId: string }; Querystring: Record<string, string | undefined> }>(
    `${JOBS}/:jobId/results`,
    async (request, reply) => {
      const job = state.jobs.get(request.params.jobId);
      if (!job) return sendError(request, reply, 404, 'not.found', `Job ${request.params.jobId} not found`);
      const s = stateOf(job);
      if (s !== 'FULFILLED')
        throw badRequest(`Job ${job.id} is ${s}; its results can be read once it is FULFILLED`);
      const asked = intParam(request.query, 'pageSize') ?? MAX_RESULTS_PAGE;
      if (asked < 1) throw badRequest('pageSize must be 1 or more');
      const pageSize = Math.min(asked, MAX_RESULTS_PAGE, options.genesys.resultsPageSize ?? MAX_RESULTS_PAGE);
      const ids = job.conversationIds;
      const cursor = request.query.cursor;
      const offset = cursor ? decodeCursor(cursor, ids.length) : 0;
      const end = Math.min(offset + pageSize, ids.length);
      const conversations = [];
      for (let i = offset; i < end; i++) {
        const c = state.conversations.get(ids[i]!);
        if (c) conversations.push(toAnalyticsConversation(c));
      }
      return {
        conversations,
        dataAvailabilityDate: new Date(job.dataAvailableMs).toISOString(),
        ...(end < ids.length ? { cursor: encodeCursor(end) } : {}),
      };
    },
  );
}

/**
 * `POST /__admin/watermark {date}`: fixes the analytics watermark at `date` (ISO), or with
 * `{date: null}` lets it follow the clock (at the configured lag); `GET` reads it.
 */
export function registerAnalyticsAdmin(app: FastifyInstance, { state, sendError }: GenesysRouteContext) {
  const current = () => ({ dataAvailabilityDate: new Date(state.dataAvailableMs()).toISOString() });
  app.get('/__admin/watermark', async () => current());
  app.post('/__admin/watermark', async (request, reply) => {
    const body = request.body;
    const date = isPlainObject(body) ? body.date : undefined;
    if (date !== null && (typeof date !== 'string' || Number.isNaN(Date.parse(date))))
      return sendError(
        request,
        reply,
        400,
        'bad.request',
        'The body must be {"date": "<ISO date-time>" | null}',
      );
    state.setWatermark(date ?? undefined);
    return current();
  });
}

/** `start/end`, both ISO-8601 date-times, start before end. */
function parseInterval(interval: unknown): { startMs: number; endMs: number } {
  if (typeof interval !== 'string') throw badRequest('interval is required, as "<ISO start>/<ISO end>"');
  const parts = interval.split('/');
  const [start, end] = parts;
  const startMs = start ? Date.parse(start) : Number.NaN;
  const endMs = end ? Date.parse(end) : Number.NaN;
  if (parts.length !== 2 || Number.isNaN(startMs) || Number.isNaN(endMs))
    throw badRequest(`interval must be "<ISO start>/<ISO end>", got "${interval}"`);
  if (startMs >= endMs) throw badRequest('interval start must be before its end');
  return { startMs, endMs };
}

/** One conversation as an analytics job row: participants with attributes and sessions. */
export function toAnalyticsConversation(c: SeedConversation) {
  return {
    conversationId: c.id,
    conversationStart: c.startTime,
    conversationEnd: c.endTime,
    originatingDirection: 'inbound',
    participants: c.participants.map((p) => ({
      participantId: p.id,
      participantName: p.name,
      purpose: p.purpose,
      ...(p.externalContactId ? { externalContactId: p.externalContactId } : {}),
      attributes: p.attributes,
      sessions: [toSession(p)],
    })),
  };
}

function toSession(p: SeedParticipant) {
  const voice = p.mediaType === 'voice';
  const from = voice ? p.ani : p.address;
  const to = voice ? p.dnis : undefined;
  return {
    sessionId: sessionIdOf(p.id),
    mediaType: p.mediaType,
    direction: 'inbound',
    ...(p.ani ? { ani: p.ani } : {}),
    ...(p.dnis ? { dnis: p.dnis } : {}),
    ...(from ? { addressFrom: from } : {}),
    ...(to ? { addressTo: to } : {}),
  };
}

/** A stable UUID-shaped session id per participant, so repeated reads agree. */
function sessionIdOf(participantId: string): string {
  const h = createHash('sha1').update(`session:${participantId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
