import type { PlainSend, Send } from '../../flow/send.js';
import { type Authenticator, call } from '../../http/execute.js';
import type { HttpRequest } from '../../http/types.js';
import type { RateLimit } from '../../retry/rate-limiter.js';
import type { Runtime } from '../../runtime.js';
import type { CxoneDiscovery, CxoneTenant } from './auth.js';
import type { CxoneConfig } from './config.js';
import { CxoneApi, type CxoneHostPair, cxoneDiscovery, cxoneLogin } from './flows.js';
import type { CxoneApiTarget } from './requests.js';

/**
 * The login state of one access key in one process: discovery once, then the password grant
 * whenever the token cache needs a token (the tenant and hosts found the first time are kept), and a
 * `send` that adds the token and passes the tenant's read or write limiter.
 */
class CxoneSession {
  private discovery?: Promise<CxoneDiscovery>;
  hosts?: CxoneHostPair;
  tenant?: CxoneTenant;
  readonly tokenKey: string;
  readonly auth: Authenticator;

  constructor(
    private readonly config: CxoneConfig,
    private readonly runtime: Runtime,
  ) {
    this.tokenKey = `cxone:${config.issuer}:${config.accessKeyId}`;
    this.auth = {
      refreshable: true,
      token: () => runtime.tokens.get(this.tokenKey, () => this.login()),
      invalidate: (t) => runtime.tokens.invalidate(this.tokenKey, t),
    };
  }

  private readonly plain: PlainSend = (request, read) => call(this.runtime, { build: () => request, read });

  private async login(): Promise<{ accessToken: string; expiresInSeconds: number }> {
    this.discovery ??= cxoneDiscovery(this.plain, this.config.issuer).catch((e) => {
      this.discovery = undefined;
      throw e;
    });
    const discovery = await this.discovery;
    const login = await cxoneLogin(this.plain, this.config, {
      discovery,
      ...(this.hosts ? { hosts: this.hosts } : {}),
    });
    this.hosts = login.hosts;
    if (login.tenant) this.tenant = login.tenant;
    return { accessToken: login.accessToken, expiresInSeconds: login.expiresInSeconds };
  }

  /** DFO calls: GETs pass the tenant's read limiter, the rest its write limiter. */
  readonly send: Send<CxoneApiTarget> = async (build, read) => {
    await this.auth.token(this.runtime.signal);
    const target = (token: string) => ({ dfoUrl: this.hosts!.dfoUrl, accessToken: token });
    const limitName = build(target('')).method === 'GET' ? 'cxoneReads' : 'cxoneWrites';
    const limiter = this.runtime.limiters.get(
      `${limitName}:${this.tokenKey}`,
      this.runtime.limits[limitName]!,
    );
    return call(this.runtime, {
      auth: this.auth,
      limiters: [limiter],
      build: (token): HttpRequest => build(target(token!)),
      read,
    });
  };
}

/**
 * NICE CXone over HTTP: the Digital customer calls of `CxoneApi`, logged in with an access key
 * (discovery, password grant, tenant from the verified id_token, host discovery). Tokens come from
 * the runtime's cache; reads and writes pass the tenant's client-side limiters.
 */
export class CxoneClient extends CxoneApi {
  private readonly session: CxoneSession;

  constructor(
    config: CxoneConfig,
    private readonly runtime: Runtime,
  ) {
    const session = new CxoneSession(config, runtime);
    super(session.send, config.searchQuery ? { searchQuery: config.searchQuery } : {});
    this.session = session;
  }

  /** The client-side limits in effect (the descriptor's, scaled or off by the runtime), by name. */
  rateLimits(): Record<string, RateLimit | undefined> {
    const { cxoneReads, cxoneWrites } = this.runtime.limits;
    return { cxoneReads, cxoneWrites };
  }

  get auth(): Authenticator {
    return this.session.auth;
  }

  /** Logs in if needed; returns the tenant and hosts, and how the Digital host was chosen (for `check`). */
  async connect(): Promise<{ tenant?: CxoneTenant } & CxoneHostPair> {
    await this.session.auth.token();
    const { tenant, hosts } = this.session;
    return { ...(tenant ? { tenant } : {}), ...hosts! };
  }
}
