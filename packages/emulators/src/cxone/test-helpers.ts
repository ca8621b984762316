// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected freely
import type { Emulators } from '../start.js';
import { basic, http } from '../test-helpers.js';

/** The token answer of the CXone emulator for the seed's app and access key. */
export async function cxoneLogin(emu: Emulators): Promise<any> {
  const { issuer, clientId, clientSecret, accessKeyId, accessKeySecret } = emu.urls.cxone;
  const res = await http('POST', `${issuer}/auth/token`, {
    headers: { authorization: basic(clientId, clientSecret) },
    form: { grant_type: 'password', username: accessKeyId, password: accessKeySecret, scope: 'openid' },
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.body;
}

/** A CXone access token from the emulator. */
export async function cxoneToken(emu: Emulators): Promise<string> {
  return (await cxoneLogin(emu)).access_token;
}

/** A DFO request with a bearer token. */
export function dfo(
  emu: Emulators,
  token: string,
  method: string,
  path: string,
  json?: unknown,
): ReturnType<typeof http> {
  return http(method, `${emu.urls.cxone.dfoUrl}/dfo/3.0${path}`, {
    headers: { authorization: `Bearer ${token}` },
    ...(json !== undefined ? { json } : {}),
  });
}
