import {
  ConfigurationError,
  type CxoneConfig,
  DEFAULT_CXONE_ISSUER,
  genesysUrls,
  isSecureUrl,
  type Platform,
  platformLabel,
} from '@cx-profile-sync/core/pure';
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * Where each credential sends requests, and the rule for it: credentials and tokens go only to https
 * URLs, or to plain http on loopback (the emulators), as in the core.
 */

/** The value of a URL setting without trailing slashes, checked; a ConfigurationError names the setting. */
export function secureBaseUrl(platform: Platform, setting: string, value: unknown): string {
  const text = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
  const where = `${platformLabel(platform)} credential`;
  if (text === '') throw new ConfigurationError(`${where}: "${setting}" is empty`, { platform });
  if (!URL.canParse(text)) throw new ConfigurationError(`${where}: "${setting}" is not a URL`, { platform });
  if (!isSecureUrl(new URL(text))) {
    throw new ConfigurationError(
      `${where}: "${setting}" must be an https URL (plain http is allowed only to localhost, for emulators)`,
      { platform },
    );
  }
  return text;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The custom-URL choice of the region and issuer lists. */
export const CUSTOM = 'custom';

export function genesysHostsOf(credentials: ICredentialDataDecryptedObject): {
  apiUrl: string;
  loginUrl: string;
} {
  if (credentials.region === CUSTOM) {
    return {
      apiUrl: secureBaseUrl('genesys', 'API URL', credentials.apiUrl),
      loginUrl: secureBaseUrl('genesys', 'Login URL', credentials.loginUrl),
    };
  }
  return genesysUrls(str(credentials.region));
}

export function cxoneIssuerOf(credentials: ICredentialDataDecryptedObject): string {
  if (credentials.issuer === CUSTOM) return secureBaseUrl('cxone', 'Issuer URL', credentials.customIssuer);
  return secureBaseUrl('cxone', 'Issuer', str(credentials.issuer) || DEFAULT_CXONE_ISSUER);
}

/**
 * The core's CXone login settings from the credential: the issuer, the app and the access key, and
 * the host overrides (checked as URLs; an empty one is discovered).
 */
export function cxoneConfigOf(credentials: ICredentialDataDecryptedObject): CxoneConfig {
  const apiUrl = String(credentials.apiUrl ?? '').trim();
  const dfoUrl = String(credentials.dfoUrl ?? '').trim();
  return {
    issuer: cxoneIssuerOf(credentials),
    clientId: String(credentials.clientId ?? ''),
    clientSecret: String(credentials.clientSecret ?? ''),
    accessKeyId: String(credentials.accessKeyId ?? ''),
    accessKeySecret: String(credentials.accessKeySecret ?? ''),
    ...(apiUrl ? { apiUrl: secureBaseUrl('cxone', 'API Host', apiUrl) } : {}),
    ...(dfoUrl ? { dfoUrl: secureBaseUrl('cxone', 'DFO Host', dfoUrl) } : {}),
  };
}

/** The Digital (DFO) host: the override, else the one discovered at login. */
export function cxoneDfoUrlOf(credentials: ICredentialDataDecryptedObject): string {
  if (str(credentials.dfoUrl).trim() !== '') return secureBaseUrl('cxone', 'DFO Host', credentials.dfoUrl);
  if (str(credentials.discoveredDfoUrl) === '') {
    throw new ConfigurationError(
      'NICE CXone credential: the Digital (DFO) host is not known yet (login has not run); set "DFO Host" or test the credential',
      { platform: 'cxone' },
    );
  }
  return secureBaseUrl('cxone', 'discovered DFO host', credentials.discoveredDfoUrl);
}

export function cognigyApiUrlOf(credentials: ICredentialDataDecryptedObject): string {
  return secureBaseUrl('cognigy', 'API URL', credentials.apiUrl);
}

/**
 * What a credential's `authenticate` does: a request made with a path only goes to the credential's
 * host; an absolute URL must be on that host, so the token is never sent anywhere else.
 */
export function authenticateTo(
  platform: Platform,
  baseUrl: string,
  requestOptions: IHttpRequestOptions,
  authHeaders: Record<string, string>,
): IHttpRequestOptions {
  const base = new URL(baseUrl);
  const requestBase = requestOptions.baseURL || baseUrl;
  const target = /^[a-z][a-z0-9+.-]*:/i.test(requestOptions.url)
    ? requestOptions.url
    : requestBase.replace(/\/+$/, '') + (requestOptions.url.startsWith('/') ? '' : '/') + requestOptions.url;
  if (!URL.canParse(target)) {
    throw new ConfigurationError(`${platformLabel(platform)}: "${target}" is not a URL`, { platform });
  }
  const targetUrl = new URL(target);
  if (targetUrl.origin !== base.origin) {
    throw new ConfigurationError(
      `${platformLabel(platform)} credential: its token is sent only to ${base.origin}, not to ${targetUrl.origin}`,
      { platform },
    );
  }
  const headers: IDataObject = { ...(requestOptions.headers ?? {}), ...authHeaders };
  return { ...requestOptions, baseURL: requestBase, headers };
}
