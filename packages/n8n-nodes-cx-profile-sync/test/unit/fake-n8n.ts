import type { Emulators } from '@cx-profile-sync/emulators';
import {
  type ICredentialDataDecryptedObject,
  type ICredentialType,
  type IDataObject,
  type IExecuteFunctions,
  type IHttpRequestOptions,
  type ILoadOptionsFunctions,
  type INode,
  type INodeExecutionData,
  NodeApiError,
} from 'n8n-workflow';
import { CognigyAiApi } from '../../credentials/CognigyAiApi.credentials';
import { GenesysCloudApi } from '../../credentials/GenesysCloudApi.credentials';
import { NiceCxoneApi } from '../../credentials/NiceCxoneApi.credentials';

/**
 * A stand-in for the parts of n8n the nodes use, for unit tests: parameters, input items, "continue
 * on fail", and the request helpers. `httpRequest` really sends (over fetch, to the emulators) and
 * follows n8n's options (baseURL, qs, returnFullResponse, ignoreHttpStatusErrors, text encoding);
 * `httpRequestWithAuthentication` does what n8n's does: `preAuthentication` when the expirable
 * field is empty, the credential's `authenticate`, and on a thrown 401 one refresh and retry, every
 * failure wrapped in a NodeApiError. The end-to-end test runs the same code in a real n8n.
 */

const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
  genesysCloudApi: new GenesysCloudApi(),
  niceCxoneApi: new NiceCxoneApi(),
  cognigyAiApi: new CognigyAiApi(),
};

export const NODE: INode = {
  id: 'unit-test-node',
  name: 'Node Under Test',
  type: 'n8n-nodes-cx-profile-sync.test',
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
};

/** An HTTP error as n8n's request helper throws it (axios-like: `response.status`, `response.data`). */
class HttpStatusError extends Error {
  constructor(readonly response: { status: number; headers: Record<string, string>; data: string }) {
    super(`Request failed with status code ${response.status}`);
  }
}

function fullUrl(options: IHttpRequestOptions): string {
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(options.url);
  const url = new URL(
    absolute
      ? options.url
      : `${(options.baseURL ?? '').replace(/\/+$/, '')}/${options.url.replace(/^\/+/, '')}`,
  );
  for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
  return url.toString();
}

/** n8n's `helpers.httpRequest`, over fetch. */
export async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k] = String(v);
  let res: Response;
  try {
    res = await fetch(fullUrl(options), {
      method: options.method ?? 'GET',
      headers,
      ...(typeof options.body === 'string' ? { body: options.body } : {}),
      redirect: options.disableFollowRedirect ? 'manual' : 'follow',
    });
  } catch (e) {
    // Node's fetch: TypeError('fetch failed') with the system error as cause; n8n's has `code` itself.
    const cause = (e as { cause?: { code?: string } }).cause;
    throw Object.assign(new Error((e as Error).message), { code: cause?.code ?? 'ECONNREFUSED' });
  }
  const text = await res.text();
  const responseHeaders = Object.fromEntries(res.headers.entries());
  const ignore = options.ignoreHttpStatusErrors;
  const ok =
    (res.status >= 200 && res.status < 300) ||
    ignore === true ||
    (typeof ignore === 'object' && ignore !== null && !ignore.except.includes(res.status));
  if (!ok) throw new HttpStatusError({ status: res.status, headers: responseHeaders, data: text });
  const body = options.encoding === 'text' || options.json === false ? text : safeJson(text);
  return options.returnFullResponse
    ? { body, headers: responseHeaders, statusCode: res.status, statusMessage: res.statusText }
    : body;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface FakeOptions {
  /** Credential data by credential type; preAuthentication writes its output back here. */
  credentials?: Record<string, ICredentialDataDecryptedObject>;
  /** Node parameters: the same for every item, or per item index. */
  parameters?: IDataObject | ((itemIndex: number) => IDataObject);
  items?: IDataObject[];
  continueOnFail?: boolean;
}

export interface Fake {
  execute: IExecuteFunctions;
  loadOptions: ILoadOptionsFunctions;
  credentials: Record<string, ICredentialDataDecryptedObject>;
  /** Requests sent with a credential (after `authenticate`). */
  sent: IHttpRequestOptions[];
}

function parameterAt(parameters: IDataObject, path: string): unknown {
  let value: unknown = parameters;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as IDataObject)[part];
  }
  return value;
}

export function fakeN8n(options: FakeOptions = {}): Fake {
  const credentials = options.credentials ?? {};
  const items: INodeExecutionData[] = (options.items ?? [{}]).map((json, i) => ({
    json,
    pairedItem: { item: i },
  }));
  const paramsFor = (i: number) =>
    typeof options.parameters === 'function' ? options.parameters(i) : (options.parameters ?? {});
  const sent: IHttpRequestOptions[] = [];

  async function httpRequestWithAuthentication(type: string, requestOptions: IHttpRequestOptions) {
    const credentialType = CREDENTIAL_TYPES[type];
    const data = credentials[type];
    if (!credentialType || !data) throw new Error(`no credentials of type ${type}`);
    const preAuth = async () => {
      if (!credentialType.preAuthentication) return;
      Object.assign(data, await credentialType.preAuthentication.call({ helpers: { httpRequest } }, data));
    };
    const send = async () => {
      if (typeof credentialType.authenticate !== 'function')
        throw new Error('authenticate is not a function');
      const authed = await credentialType.authenticate(data, { ...requestOptions });
      sent.push(authed);
      return await httpRequest(authed);
    };
    try {
      if (data.accessToken === '') await preAuth();
      return await send();
    } catch (error) {
      if ((error as HttpStatusError).response?.status === 401 && credentialType.preAuthentication) {
        try {
          await preAuth();
          return await send();
        } catch (again) {
          throw new NodeApiError(NODE, again as never);
        }
      }
      throw new NodeApiError(NODE, error as never);
    }
  }

  const helpers = { httpRequest, httpRequestWithAuthentication };
  const execute = {
    getInputData: () => items,
    getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) =>
      parameterAt(paramsFor(itemIndex), name) ?? fallback,
    continueOnFail: () => options.continueOnFail === true,
    getNode: () => NODE,
    // n8n's decrypted credential data, as a node reads it (the same object preAuthentication updates).
    getCredentials: async (type: string) => {
      const data = credentials[type];
      if (!data) throw new Error(`no credentials of type ${type}`);
      return data;
    },
    helpers,
  } as unknown as IExecuteFunctions;
  const loadOptions = {
    getNodeParameter: (name: string, fallback?: unknown) => parameterAt(paramsFor(0), name) ?? fallback,
    getCurrentNodeParameter: (name: string) => parameterAt(paramsFor(0), name),
    getNode: () => NODE,
    helpers,
  } as unknown as ILoadOptionsFunctions;
  return { execute, loadOptions, credentials, sent };
}

/** Credential data of all three credentials, pointing at the emulators (tokens not fetched yet). */
export function emulatorCredentials(emu: Emulators): Record<string, ICredentialDataDecryptedObject> {
  const c = emu.credentials;
  return {
    genesysCloudApi: {
      region: 'custom',
      apiUrl: c.genesys.apiUrl,
      loginUrl: c.genesys.loginUrl,
      clientId: c.genesys.clientId,
      clientSecret: c.genesys.clientSecret,
      accessToken: '',
    },
    niceCxoneApi: {
      issuer: 'custom',
      customIssuer: c.cxone.issuer,
      clientId: c.cxone.clientId,
      clientSecret: c.cxone.clientSecret,
      accessKeyId: c.cxone.accessKeyId,
      accessKeySecret: c.cxone.accessKeySecret,
      apiUrl: '',
      dfoUrl: '',
      accessToken: '',
      discoveredApiUrl: '',
      discoveredDfoUrl: '',
      tenantId: '',
    },
    cognigyAiApi: { apiUrl: c.cognigy.apiUrl, apiKey: c.cognigy.apiKey },
  };
}
