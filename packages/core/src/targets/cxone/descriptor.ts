import { registerTarget, type TargetDescriptor } from '../../registry.js';
import type { RateLimit } from '../../retry/rate-limiter.js';
import { describeDfoSource } from './auth.js';
import { CxoneClient } from './client.js';
import { CXONE_CONFIG_HINT, type CxoneConfig, readCxoneConfig } from './config.js';
import { CxoneTarget } from './target.js';

/** NICE CXone as a target: the Digital customer card's custom fields. */
export const cxone = {
  role: 'target',
  name: 'cxone',
  label: 'NICE CXone',
  hints: {
    auth: 'check CXONE_ISSUER, the registered app id and secret, and the access key id and secret (an access key belongs to one user and tenant)',
    permission:
      "check the role of the access key's user: it needs Digital Engagement customer view and edit permissions",
  },
  // Assumed: NICE documents these throttles for Digital *contacts*; the customer endpoints' limits are
  // undocumented. Configurable (CX_RATE_LIMIT_SCALE, CX_RATE_LIMITS), and a 429 is obeyed (Retry-After).
  limits: {
    /** 120,000 "get" requests an hour per tenant. */
    cxoneReads: { capacity: 120_000 / 60, refillPerSecond: 120_000 / 3600 },
    /** 1,000,000 updates an hour per tenant. */
    cxoneWrites: { capacity: 1_000_000 / 60, refillPerSecond: 1_000_000 / 3600 },
    /** One customer: burst 250, refilled 17 a minute. */
    cxoneCustomer: { capacity: 250, refillPerSecond: 17 / 60 },
  },
  // Reads bind: 120,000 an hour.
  activitiesPerSecond: 33,
  configHint: CXONE_CONFIG_HINT,
  readConfig: readCxoneConfig,
  createClient: (config: CxoneConfig, runtime) => new CxoneClient(config, runtime),
  createTarget: (client: CxoneClient, options) => new CxoneTarget(client, options.mapping),
  // An access key belongs to one user and tenant: its id (not its secret) names the tenant.
  ledgerScope: (config: CxoneConfig) =>
    `${new URL(config.dfoUrl ?? config.apiUrl ?? config.issuer).host}/${config.accessKeyId}`,
  recordIdOption: {
    flag: 'cxone-customer',
    description: 'the CXone customer id (default: found by phone, then email)',
  },
  checks: (client: CxoneClient) => [
    {
      step: 'login and host discovery',
      run: async () => {
        const c = await client.connect();
        return `tenant ${c.tenant?.tenantId ?? '(from overrides)'}, Digital API at ${c.dfoUrl} (${describeDfoSource(c.dfoSource)})`;
      },
    },
    {
      step: 'client-side rate limits',
      run: async () => describeCxoneLimits(client.rateLimits()),
    },
    {
      step: 'read custom-field definitions',
      run: async () => {
        const defs = await client.fieldDefinitions();
        return `${defs.length} custom fields (${defs.filter((d) => d.isEditable).length} editable)`;
      },
    },
  ],
} as const satisfies TargetDescriptor<CxoneConfig, CxoneClient>;

const perHour = (l: RateLimit | undefined) =>
  l ? Math.round(l.refillPerSecond * 3600).toLocaleString('en') : '?';

/**
 * The tenant-wide limits in effect, said to be assumed (what NICE documents is for Digital contacts).
 * The burst per customer is not limited client-side: a sync writes a customer once or twice.
 */
export function describeCxoneLimits(limits: Record<string, RateLimit | undefined>): string {
  const { cxoneReads, cxoneWrites } = limits;
  const off = cxoneReads !== undefined && cxoneReads.capacity >= 1e12;
  const inEffect = off
    ? 'off (CX_RATE_LIMITS=off)'
    : `${perHour(cxoneReads)} gets and ${perHour(cxoneWrites)} updates an hour per tenant`;
  return `${inEffect}; assumed: NICE documents 120,000 gets and 1,000,000 updates an hour (burst 250, then 17 a minute) for Digital contacts, not for customer endpoints; scale with CX_RATE_LIMIT_SCALE; a 429 is obeyed`;
}

registerTarget(cxone);
