/**
 * What `POST /events/genesys` accepts, read without I/O: one EventBridge event (an API destination
 * sends one per request), an array of them (batching forwarders), or a Genesys notification body
 * `{topicName, version?, eventBody, metadata?}` (a Process Automation trigger's Data Action, a custom
 * forwarder). The whole body is accepted, or refused with one ValidationError naming the first
 * problem and where it is (`[3].detail.eventBody.conversationId: expected a string, got a number`),
 * which the intake answers with a 400.
 */
import { describeValue, element, problemAt, readEventValue } from './read.js';
import { GENESYS_EVENT_LIMITS, type GenesysEvent } from './types.js';

/** `eventbridge`: one event; `batch`: an array (of EventBridge events or notifications); `notification`. */
export type IntakeShape = 'eventbridge' | 'batch' | 'notification';

export interface IntakeReading {
  shape: IntakeShape;
  /** In the body's order; `ignored` ones included (the intake counts them). */
  events: GenesysEvent[];
}

const ROOT = 'body';
const READ = { root: ROOT, control: false } as const;

// Control frames come only with `control: true` (the WebSocket); here heartbeats are ignored events.
const one = (value: unknown, path: string) => readEventValue(value, path, READ) as GenesysEvent;

/**
 * A parsed body (JSON.parse's output) as events. Throws a ValidationError, and nothing else, for a
 * body it cannot accept.
 */
export function readIntakeBody(body: unknown): IntakeReading {
  if (Array.isArray(body)) {
    if (body.length === 0) throw problemAt(ROOT, '', 'expected at least one event, got an empty array');
    if (body.length > GENESYS_EVENT_LIMITS.maxBatch) {
      throw problemAt(
        ROOT,
        '',
        `expected at most ${GENESYS_EVENT_LIMITS.maxBatch} events in one array, got ${body.length}`,
      );
    }
    const events = Array.from({ length: body.length }, (_, i) => one(body[i], element('', i)));
    return { shape: 'batch', events };
  }
  if (typeof body !== 'object' || body === null) {
    throw problemAt(
      ROOT,
      '',
      `expected an EventBridge event, an array of them, or a Genesys notification ({topicName, eventBody}), got ${describeValue(body)}`,
    );
  }
  const event = one(body, '');
  return { shape: event.delivery === 'eventbridge' ? 'eventbridge' : 'notification', events: [event] };
}

/**
 * JSON text as a value, or a ValidationError that says why not (empty, cut short, invalid at a
 * character), never quoting the text. A leading byte-order mark is skipped.
 */
export function parseIntakeJson(text: string, root = ROOT): unknown {
  if (typeof text !== 'string') throw problemAt(root, '', `expected JSON text, got ${describeValue(text)}`);
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (t.trim() === '') throw problemAt(root, '', 'is empty (expected JSON)');
  try {
    return JSON.parse(t);
  } catch (e) {
    const message = e instanceof Error ? e.message : '';
    const position = /at position (\d+)/.exec(message);
    const at = position ? Number(position[1]) : undefined;
    const truncated =
      /end of (JSON|data)|Unterminated/i.test(message) || (at !== undefined && at >= t.trimEnd().length);
    if (truncated) throw problemAt(root, '', 'is not valid JSON: it ends too early (truncated?)');
    throw problemAt(root, '', `is not valid JSON${at !== undefined ? ` (at character ${at + 1})` : ''}`);
  }
}

/** `parseIntakeJson` then `readIntakeBody`. */
export function readIntakeJson(text: string): IntakeReading {
  return readIntakeBody(parseIntakeJson(text));
}
