/**
 * How a flow of several requests meets the host that carries them (the sans-I/O seam). A flow is a
 * plain async function of a `send`: it builds each request as data and reads each answer with one of
 * the protocol's readers, and never does I/O itself. The core's clients pass a `send` over axios
 * (with tokens, limiters and the retry policy); the n8n package passes one over n8n's request helpers
 * and credentials. A flow is written once and driven by every host.
 */
import type { HttpRequest, HttpResponse } from '../http/types.js';

/** Reads an answer: a value, or one of the taxonomy's errors. */
export type Reader<T> = (request: HttpRequest, response: HttpResponse) => T | Promise<T>;

/** Sends a request as it is (logins, discovery: nothing to authenticate) and reads the answer. */
export type PlainSend = <T>(request: HttpRequest, read: Reader<T>) => Promise<T>;

/**
 * Sends a request built for the host's connection to a platform (its base URL and credentials:
 * `GenesysApiTarget`, `CxoneApiTarget`, `CognigyConnection`) and reads the answer. The host decides
 * the connection: the core's client gives the real host and a fresh token; n8n gives a placeholder
 * that its credential replaces.
 */
export type Send<Connection> = <T>(
  build: (connection: Connection) => HttpRequest,
  read: Reader<T>,
) => Promise<T>;

/** How a flow waits (polling): the host's clock, or a Temporal activity's sleep and heartbeat. */
export interface Waiting {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Called after each poll (a Temporal activity heartbeats here). */
  onPoll?(state: string): void;
}
