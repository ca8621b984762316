// biome-ignore-all lint/suspicious/noExplicitAny: history events are edited freely to break determinism
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';

// Histories recorded from real runs (src/record-histories.ts), replayed against the workflow bundle
// the build makes (the one the worker runs): a change that would break running workflows fails here.
const workflowBundle = { codePath: fileURLToPath(new URL('../dist/workflow-bundle.js', import.meta.url)) };
const fixture = (name: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}.json`, import.meta.url)), 'utf8'));

beforeAll(() => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
});

describe('replay of recorded histories', () => {
  // `backfill-first-run-before-watermark`: a first run recorded before the back-fill read Genesys
  // Cloud's analytics watermark (the `analytics-watermark` patch keeps such runs replaying).
  for (const name of [
    'sync-customer',
    'backfill-first-run',
    'backfill-last-run',
    'backfill-first-run-before-watermark',
  ]) {
    it(`replays ${name} without a determinism error`, async () => {
      const history = historyFromJSON(fixture(name));
      expect(history.events?.length).toBeGreaterThan(10);
      await Worker.runReplayHistory({ workflowBundle }, history, name);
    });
  }

  it('fails when the workflow code no longer matches the history', async () => {
    const json = fixture('sync-customer');
    // As if an older version had scheduled another activity first.
    const scheduled = json.events.find((e: any) => e.activityTaskScheduledEventAttributes);
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'somethingElse';
    await expect(
      Worker.runReplayHistory({ workflowBundle }, historyFromJSON(json), 'changed'),
    ).rejects.toThrow(DeterminismViolationError);
  });
});
