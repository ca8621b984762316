import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, registerTarget, unregisterPlatform } from '@cx-profile-sync/core';
import { memo } from '@cx-profile-sync/core/testing/memo';
import { describe, expect, it } from 'vitest';
import { activitiesPerSecondVariable, defaultActivitiesPerSecond, loadWorkerConfig } from './config.js';

const GENESYS = {
  GENESYS_REGION: 'mypurecloud.ie',
  GENESYS_CLIENT_ID: 'client-id',
  GENESYS_CLIENT_SECRET: 'a-very-secret-value',
};

describe('loadWorkerConfig', () => {
  it('defaults to a local dev server, the default namespace and the documented rates', () => {
    const c = loadWorkerConfig(GENESYS);
    expect(c.temporal).toEqual({
      address: '127.0.0.1:7233',
      namespace: 'default',
      taskQueue: 'cx-profile-sync',
    });
    expect(c.activitiesPerSecond).toEqual(defaultActivitiesPerSecond());
    expect(c.activitiesPerSecond).toEqual({ genesys: 5, cxone: 33, cognigy: 3.3 });
    expect(c.maxConcurrentActivities).toBe(32);
    expect(c.sync.genesys).toMatchObject({ apiUrl: 'https://api.mypurecloud.ie', clientId: 'client-id' });
  });

  it('reads the TEMPORAL_* variables, per-platform rates, and the CLI’s CX_RATE_LIMITS and CX_RATE_LIMIT_SCALE', () => {
    const c = loadWorkerConfig({
      ...GENESYS,
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'cx-prod',
      TEMPORAL_TASK_QUEUE: 'cx-sync',
      TEMPORAL_METRICS_ADDRESS: '0.0.0.0:9464',
      TEMPORAL_COGNIGY_ACTIVITIES_PER_SECOND: '10',
      TEMPORAL_CXONE_ACTIVITIES_PER_SECOND: 'off',
      TEMPORAL_MAX_CONCURRENT_ACTIVITIES: '8',
    });
    expect(c.temporal).toEqual({
      address: 'temporal.internal:7233',
      namespace: 'cx-prod',
      taskQueue: 'cx-sync',
      metricsAddress: '0.0.0.0:9464',
    });
    expect(c.activitiesPerSecond).toEqual({ genesys: 5, cxone: undefined, cognigy: 10 });
    expect(c.maxConcurrentActivities).toBe(8);

    const off = loadWorkerConfig({ ...GENESYS, CX_RATE_LIMITS: 'off' });
    expect(off.activitiesPerSecond).toEqual({ genesys: undefined, cxone: undefined, cognigy: undefined });
    expect(off.sync.limits).toEqual({ scale: 1, off: true });

    const raised = loadWorkerConfig({
      ...GENESYS,
      CX_RATE_LIMIT_SCALE: '2',
      TEMPORAL_CXONE_ACTIVITIES_PER_SECOND: '50',
    });
    expect(raised.activitiesPerSecond).toEqual({ genesys: 10, cxone: 50, cognigy: 6.6 });
    expect(raised.sync.limits).toEqual({ scale: 2, off: false });
  });

  it('gives every registered platform a queue rate and its variable, a target registered by a test too', () => {
    registerTarget(memo);
    try {
      expect(defaultActivitiesPerSecond()).toEqual({ genesys: 5, cxone: 33, cognigy: 3.3, memo: 50 });
      const c = loadWorkerConfig({
        ...GENESYS,
        CX_RATE_LIMIT_SCALE: '2',
        TEMPORAL_MEMO_ACTIVITIES_PER_SECOND: '7',
      });
      expect(c.activitiesPerSecond).toEqual({ genesys: 10, cxone: 66, cognigy: 6.6, memo: 7 });
    } finally {
      unregisterPlatform('memo');
    }
    expect(defaultActivitiesPerSecond()).not.toHaveProperty('memo');
    expect(activitiesPerSecondVariable('cognigy')).toBe('TEMPORAL_COGNIGY_ACTIVITIES_PER_SECOND');
    expect(activitiesPerSecondVariable('my-crm')).toBe('TEMPORAL_MY_CRM_ACTIVITIES_PER_SECOND');
  });

  it('reports every problem at once, the core’s too, without the secrets', () => {
    let error: unknown;
    try {
      loadWorkerConfig({
        GENESYS_CLIENT_SECRET: 'a-very-secret-value',
        TEMPORAL_ADDRESS: 'http://localhost',
        TEMPORAL_TASK_QUEUE: 'has spaces',
        CX_RATE_LIMITS: 'maybe',
        TEMPORAL_GENESYS_ACTIVITIES_PER_SECOND: '-1',
        TEMPORAL_MAX_CONCURRENT_ACTIVITIES: '0',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    for (const part of [
      'GENESYS_CLIENT_ID',
      'TEMPORAL_ADDRESS must be host:port',
      'TEMPORAL_TASK_QUEUE may hold only',
      'CX_RATE_LIMITS must be on or off',
      'TEMPORAL_GENESYS_ACTIVITIES_PER_SECOND must be a number above 0',
      'TEMPORAL_MAX_CONCURRENT_ACTIVITIES must be a positive integer',
    ])
      expect(message).toContain(part);
    expect(message).not.toContain('a-very-secret-value');
  });

  it('reads the mapping file of CX_MAPPING_FILE, or says why it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cx-mapping-'));
    try {
      const file = join(dir, 'mapping.json');
      writeFileSync(file, JSON.stringify({ attributes: { tier: { to: 'loyalty_tier' } } }));
      expect(loadWorkerConfig({ ...GENESYS, CX_MAPPING_FILE: file }).mapping).toMatchObject({
        attributes: { tier: { to: 'loyalty_tier' } },
      });
      writeFileSync(file, '{"attributes": {"tier": {"type": "colour"}}}');
      expect(() => loadWorkerConfig({ ...GENESYS, CX_MAPPING_FILE: file })).toThrow(/tier\.type/);
      expect(() => loadWorkerConfig({ ...GENESYS, CX_MAPPING_FILE: join(dir, 'none.json') })).toThrow(
        /ENOENT/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs no platform for the client commands', () => {
    expect(loadWorkerConfig({}).sync).toEqual({});
  });
});
