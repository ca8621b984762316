import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import type { HttpRequest, HttpResponse, Transport } from './types.js';

export interface AxiosTransportOptions {
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Sockets kept open per host (default 32). */
  maxSockets?: number;
}

/**
 * Carries requests with axios over keep-alive connections. Every status is returned as an answer
 * (the protocol readers classify it); only a missing answer (refused, reset, timed out) throws.
 */
export class AxiosTransport implements Transport {
  private readonly client: AxiosInstance;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(private readonly options: AxiosTransportOptions = {}) {
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 32 };
    this.httpAgent = new http.Agent(agentOptions);
    this.httpsAgent = new https.Agent(agentOptions);
    this.client = axios.create({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      validateStatus: () => true,
      responseType: 'text',
      // Keep the body as text: readers parse it and report malformed JSON themselves.
      transformResponse: [(data) => data],
      maxRedirects: 0,
      // No proxy from the environment: tokens must go only where the configuration says.
      proxy: false,
    });
  }

  async send(
    request: HttpRequest,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<HttpResponse> {
    const res = await this.client.request<string>({
      method: request.method,
      url: request.url,
      headers: { accept: 'application/json', ...request.headers },
      ...(request.body !== undefined ? { data: request.body } : {}),
      timeout: options.timeoutMs ?? this.options.timeoutMs ?? 30_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined && v !== null)
        headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    return { status: res.status, headers, body: typeof res.data === 'string' ? res.data : '' };
  }

  /** Closes the kept-alive sockets (so a CLI process can exit at once). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
