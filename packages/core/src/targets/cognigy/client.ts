import type { Send } from '../../flow/send.js';
import { call } from '../../http/execute.js';
import type { Runtime } from '../../runtime.js';
import type { CognigyConfig } from './config.js';
import { CognigyApi } from './flows.js';
import type { CognigyConnection } from './requests.js';

/**
 * Cognigy.AI contact profiles over HTTP with an API key: the calls of `CognigyApi`, each passing the
 * client-side limiter (1,000 requests per 5 minutes per client address by default).
 */
export class CognigyClient extends CognigyApi {
  readonly config: CognigyConfig;

  constructor(config: CognigyConfig, runtime: Runtime) {
    const connection: CognigyConnection = { apiUrl: config.apiUrl, apiKey: config.apiKey };
    const limiter = runtime.limiters.get(`cognigy:${config.apiUrl}`, runtime.limits.cognigy!);
    const send: Send<CognigyConnection> = (build, read) =>
      call(runtime, { build: () => build(connection), read, limiters: [limiter] });
    super(send, config.projectId);
    this.config = config;
  }
}
