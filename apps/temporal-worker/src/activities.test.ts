import { createSyncServices, loadConfig, type SyncServices } from '@cx-profile-sync/core';
import { type Emulators, emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Activities, createActivities, PAGE_PAYLOAD_BUDGET, type PushResult } from './activities.js';
import { intervalOf } from './test-helpers.js';
import { ACTIVITY_RETRY_POLICY } from './worker.js';

// The activities on their own, against the emulators, in Temporal's mock activity context.
let emu: Emulators;
let services: SyncServices;
let acts: Activities;

beforeAll(async () => {
  emu = await startEmulators({
    customers: 500,
    conversationsPerCustomer: 2,
    limits: false,
    requestLogSize: 200,
    // About pages and payloads, not the analytics watermark: nothing held back.
    genesys: { watermark: 'none' },
  });
}, 60_000);
beforeEach(() => {
  emu.reset();
  services = createSyncServices(loadConfig({ ...emulatorEnv(emu.urls), CX_RATE_LIMITS: 'off' }), {
    retry: ACTIVITY_RETRY_POLICY,
  });
  acts = createActivities(services, { jobPollMs: 50 });
});
afterAll(async () => {
  services?.close();
  await emu?.stop();
});

describe('fetchConversationPage', () => {
  it('returns a page larger than a payload in parts, none over the budget, all conversations once', async () => {
    const { since, until } = intervalOf(emu.seed);
    const { jobId } = await acts.submitConversationJob({ since, until, targets: 'all' });
    await new MockActivityEnvironment().run(acts.waitForConversationJob, { jobId });
    const parts = [];
    let skip: number | undefined;
    do {
      const part = await acts.fetchConversationPage({ jobId, pageSize: 1000, ...(skip ? { skip } : {}) });
      parts.push(part);
      skip = part.nextSkip;
    } while (skip !== undefined);
    // About 3 KB of attributes a conversation: 1,000 of them do not fit in one part.
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(JSON.stringify(p).length).toBeLessThan(PAGE_PAYLOAD_BUDGET);
    expect(parts.reduce((n, p) => n + p.conversations, 0)).toBe(1000);
    expect(parts.at(-1)!.nextCursor).toBeUndefined();
    const ids = parts.flatMap((p) => p.customers.map((c) => c.source.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('waitForConversationJob', () => {
  it('heartbeats each poll, and ends a failed job with a non-retryable error that says what to do', async () => {
    const { since, until } = intervalOf(emu.seed);
    const { jobId } = await acts.submitConversationJob({ since, until, targets: 'all' });
    emu.state.genesys.jobs.get(jobId)!.failWith = 'Query too large';
    // Its logger at ERROR: the failure this test expects is logged at WARN.
    const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
    const beats: unknown[] = [];
    env.on('heartbeat', (state: unknown) => beats.push(state));
    const failure = await env.run(acts.waitForConversationJob, { jobId }).catch((e) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'UpstreamError',
      nonRetryable: true,
      message: `Genesys Cloud analytics job ${jobId} ended FAILED: Query too large; start the back-fill again`,
    });
    expect(beats.at(-1)).toBe('FAILED');
  });
});

describe('pushTarget', () => {
  it('does not create a second Cognigy profile when a create is tried again', async () => {
    // Customer 3 has no Cognigy profile: the plan says create.
    const id = emu.seed.customers[3]!.conversationIds.at(-1)!;
    const { customer } = await acts.fetchCustomer({ conversationId: id, targets: 'cognigy' });
    const plan = await acts.planTarget({ customer, target: 'cognigy' });
    expect(plan.write?.recordId).toBeUndefined();
    const input = { customer, target: 'cognigy' as const, changes: plan.write!.changes };
    const first = (await new MockActivityEnvironment({ attempt: 1 }).run(
      acts.pushTarget,
      input,
    )) as PushResult;
    expect(first.created).toBe(true);
    // The answer of the first try was lost: Temporal tries again with the same input.
    const second = (await new MockActivityEnvironment({ attempt: 2 }).run(
      acts.pushTarget,
      input,
    )) as PushResult;
    expect(second).toMatchObject({ id: first.id, created: true });
    const profiles = [...emu.state.cognigy.profiles.values()].filter((p) =>
      p.contactIds.includes(emu.seed.customers[3]!.phone),
    );
    expect(profiles).toHaveLength(1);
  });
});

describe('errors', () => {
  it('throws the taxonomy’s errors as typed ApplicationFailures', async () => {
    const missing = await acts
      .fetchCustomer({ conversationId: 'dddddddd-0000-4000-8000-000000000404', targets: 'all' })
      .catch((e) => e);
    expect(missing).toBeInstanceOf(ApplicationFailure);
    expect(missing).toMatchObject({ type: 'NotFoundError', nonRetryable: true });

    const onlyCxone = createActivities(
      createSyncServices(
        loadConfig({
          ...emulatorEnv(emu.urls),
          COGNIGY_API_URL: '',
          COGNIGY_API_KEY: '',
          COGNIGY_PROJECT_ID: '',
        }),
      ),
    );
    const unconfigured = await onlyCxone
      .fetchCustomer({ conversationId: emu.seed.customers[0]!.conversationIds[0]!, targets: 'cognigy' })
      .catch((e) => e);
    expect(unconfigured).toMatchObject({ type: 'ConfigurationError', nonRetryable: true });

    emu.cxone.faults.add({
      path: '/dfo/**',
      count: 1,
      fault: { kind: 'status', status: 429, retryAfter: 3 },
    });
    const { customer } = await acts.fetchCustomer({
      conversationId: emu.seed.customers[0]!.conversationIds[0]!,
      targets: 'all',
    });
    const limited = await acts.planTarget({ customer, target: 'cxone' }).catch((e) => e);
    expect(limited).toMatchObject({ type: 'RateLimitedError', nonRetryable: false, nextRetryDelay: 3000 });
  });
});
