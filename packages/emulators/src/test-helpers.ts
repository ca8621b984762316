// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected freely
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { EmulatorOptions } from './options.js';
import { type Emulators, startEmulators } from './start.js';

/**
 * Starts the emulators once for a test file and resets their state before each test. Tests then
 * talk plain HTTP to `emu().urls…`.
 */
export function useEmulators(options: EmulatorOptions = {}): () => Emulators {
  let emulators: Emulators | undefined;
  beforeAll(async () => {
    emulators = await startEmulators({ customers: 20, ...options });
  });
  beforeEach(() => emulators?.reset());
  afterAll(async () => {
    await emulators?.stop();
  });
  return () => {
    if (!emulators) throw new Error('emulators not started');
    return emulators;
  };
}

/** A JSON request; returns status, headers and the parsed body (or the raw text when it is not JSON). */
export async function http(
  method: string,
  url: string,
  options: {
    headers?: Record<string, string>;
    json?: unknown;
    form?: Record<string, string>;
    body?: string;
  } = {},
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep text
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** A Genesys Cloud access token from the emulator, by client credentials. */
export async function genesysToken(emu: Emulators): Promise<string> {
  const { loginUrl, clientId, clientSecret } = emu.urls.genesys;
  const res = await http('POST', `${loginUrl}/oauth/token`, {
    headers: { authorization: basic(clientId, clientSecret) },
    form: { grant_type: 'client_credentials' },
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.body.access_token;
}
