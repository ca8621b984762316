import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../errors/errors.js';
import { directoryPages, mergedProfile, ProfileDirectory } from './directory.js';
import type { CognigyProfileList } from './requests.js';
import type { CognigyProfile } from './types.js';

const profile = (id: string, contactIds: string[], values: Record<string, unknown> = {}): CognigyProfile => ({
  _id: id,
  contactIds,
  profile: Object.assign(Object.create(null), values),
});

const page = (items: CognigyProfile[], nextCursor: string | null, total = 3): CognigyProfileList => ({
  items,
  total,
  nextCursor,
  previousCursor: null,
});

describe('ProfileDirectory.load', () => {
  it('follows nextCursor to the end and counts its requests', async () => {
    const pages: Record<string, CognigyProfileList> = {
      start: page([profile('a', ['a@example.com'])], 'c1'),
      c1: page([profile('b', ['+441'])], 'c2'),
      c2: page([profile('c', ['C@Example.com'])], null),
    };
    const asked: (string | undefined)[] = [];
    const d = await ProfileDirectory.load(async (next) => {
      asked.push(next);
      return pages[next ?? 'start']!;
    });
    expect(asked).toEqual([undefined, 'c1', 'c2']);
    expect(d.requests).toBe(3);
    expect(d.size).toBe(3);
    expect(await d.pick({ email: 'c@example.COM' })).toMatchObject({ kind: 'found', profile: { _id: 'c' } });
    expect(d.profile('b')?.contactIds).toEqual(['+441']);
  });

  it('refuses a listing that does not advance (a directory that may be incomplete is never used)', async () => {
    const again = ProfileDirectory.load(async () => page([profile('a', ['x'])], 'same'));
    await expect(again).rejects.toBeInstanceOf(UpstreamError);
    const empty = ProfileDirectory.load(async () => page([], 'more'));
    await expect(empty).rejects.toBeInstanceOf(UpstreamError);
  });

  it('costs one request a hundred profiles, and one for an empty project', () => {
    expect([0, 1, 100, 101, 2145].map(directoryPages)).toEqual([1, 1, 1, 2, 22]);
  });
});

describe('ProfileDirectory updates', () => {
  it('merges a patch as the API does: a field in another spelling is replaced', () => {
    const p = profile('a', ['x'], { Loyalty_Tier: 'gold', firstname: 'Ada' });
    const merged = mergedProfile(p, { loyalty_tier: 'silver', visits: 3 });
    expect({ ...merged.profile }).toEqual({ firstname: 'Ada', loyalty_tier: 'silver', visits: 3 });
    expect({ ...p.profile }).toEqual({ Loyalty_Tier: 'gold', firstname: 'Ada' });
  });

  it('re-indexes a profile whose contact ids changed', async () => {
    const d = await ProfileDirectory.load(async () => page([profile('a', ['old@example.com'])], null, 1));
    d.put(profile('a', ['new@example.com']));
    expect(await d.pick({ email: 'old@example.com' })).toEqual({ kind: 'missing' });
    expect(await d.pick({ email: 'new@example.com' })).toMatchObject({
      kind: 'found',
      profile: { _id: 'a' },
    });
  });
});
