// What the commands that talk to Temporal share: the configuration of this environment, a client.
import { connectClient, type TemporalClient } from '../client.js';
import { loadDotEnv, loadWorkerConfig, type WorkerConfig } from '../config.js';

/** The worker's configuration from the environment (and a .env in the working directory). */
export function configFromEnv(): WorkerConfig {
  loadDotEnv();
  return loadWorkerConfig(process.env);
}

/** Runs `run` with a client of the configured Temporal server, closed afterwards. */
export async function withClient<T>(run: (c: TemporalClient) => Promise<T>): Promise<T> {
  const c = await connectClient(configFromEnv().temporal);
  try {
    return await run(c);
  } finally {
    await c.close();
  }
}
