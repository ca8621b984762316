import { isSyncError, type SyncError, UpstreamError, ValidationError } from '@cx-profile-sync/core/pure';
import {
  type IDataObject,
  type INode,
  type JsonObject,
  NodeApiError,
  NodeOperationError,
} from 'n8n-workflow';

/**
 * The one place where the core's errors become n8n's: an error that came with an HTTP answer is a
 * NodeApiError (its status as the HTTP code), anything else a NodeOperationError. The message is
 * the core's (it says what to check and never holds a secret); the description repeats the
 * platform's correlation id and the refused fields, for support tickets.
 */
export function toNodeError(node: INode, e: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
  if (e instanceof NodeApiError || e instanceof NodeOperationError) return e;
  const err = asSyncError(e instanceof ItemFailure ? e.error : e);
  const options = {
    message: err.message,
    description: describe(err),
    ...(itemIndex !== undefined ? { itemIndex } : {}),
  };
  if (err.status !== undefined) {
    return new NodeApiError(node, err.toJSON() as JsonObject, { ...options, httpCode: String(err.status) });
  }
  return new NodeOperationError(node, err.message, options);
}

/** The core's error for anything caught (a plain Error becomes an UpstreamError with its message). */
export function asSyncError(e: unknown): SyncError {
  if (isSyncError(e)) return e;
  const message = (e as { message?: unknown })?.message;
  return new UpstreamError(typeof message === 'string' && message !== '' ? message : String(e));
}

function describe(err: SyncError): string {
  const parts = [`Kind: ${err.kind}`];
  if (err.platform) parts.push(`platform: ${err.platform}`);
  if (err.status !== undefined) parts.push(`HTTP ${err.status}`);
  if (err.code) parts.push(`code: ${err.code}`);
  if (err.correlationId) parts.push(`correlation id: ${err.correlationId}`);
  let text = `${parts.join(', ')}.`;
  if (err instanceof ValidationError && err.fields.length > 0) {
    text += ` Fields: ${err.fields.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join('; ')}.`;
  }
  return text;
}

/**
 * A failed item that still has output worth keeping: a Profile Sync result where one target failed
 * holds what happened on the other target too.
 */
export class ItemFailure extends Error {
  constructor(
    readonly error: SyncError,
    readonly output: IDataObject,
  ) {
    super(error.message);
    this.name = 'ItemFailure';
  }
}

/**
 * The JSON of an item that failed, under "continue on fail": `error` (the message), `details` (the
 * core's error: kind, platform, status, code, correlation id) and any output the failure kept.
 */
export function errorJson(e: unknown): IDataObject {
  if (e instanceof ItemFailure) return { ...e.output, ...errorJson(e.error) };
  if (isSyncError(e)) return { error: e.message, details: e.toJSON() as JsonObject };
  const message = (e as { message?: unknown })?.message;
  return { error: typeof message === 'string' && message !== '' ? message : String(e) };
}
