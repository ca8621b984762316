import { type CognigyStoredProfile, toIndexItem } from './state.js';
import type { ListQuery, SortSpec } from './validate.js';

/** The answer of GET /profiles. */
export interface ProfilePage {
  items: ReturnType<typeof toIndexItem>[];
  total: number;
  nextCursor: string | null;
  previousCursor: string | null;
}

/**
 * One page of the profiles that match the query, in its sort order; `badCursor` names the query
 * parameter whose cursor is not one of ours (or was made under another sort).
 */
export function listProfiles(
  profiles: Iterable<CognigyStoredProfile>,
  query: ListQuery,
): ProfilePage | { badCursor: 'next' | 'previous' } {
  const { limit, skip, sort, filter, projectId, next, previous } = query;
  let matches = [...profiles];
  if (projectId !== undefined) matches = matches.filter((p) => p.projectId === projectId);
  if (filter !== undefined) matches = matches.filter((p) => matchesFilter(p, filter));
  const compare = comparator(sort);
  matches.sort(compare);

  const cursorText = next ?? previous;
  let page: CognigyStoredProfile[];
  let start: number; // index in `matches` of the page's first item
  if (cursorText === undefined) {
    start = Math.min(skip, matches.length);
    page = matches.slice(start, start + limit);
  } else {
    const position = decodeCursor(cursorText, sort.text);
    if (!position) return { badCursor: next !== undefined ? 'next' : 'previous' };
    const probe = {
      [sort.field]: position.value,
      _id: position.id,
    } as unknown as CognigyStoredProfile;
    if (next !== undefined) {
      const after = matches.findIndex((p) => compare(p, probe) > 0);
      start = Math.min((after < 0 ? matches.length : after) + skip, matches.length);
      page = matches.slice(start, start + limit);
    } else {
      const firstNotBefore = matches.findIndex((p) => compare(p, probe) >= 0);
      const end = Math.max(0, (firstNotBefore < 0 ? matches.length : firstNotBefore) - skip);
      start = Math.max(0, end - limit);
      page = matches.slice(start, end);
    }
  }
  const first = page[0];
  const last = page[page.length - 1];
  return {
    items: page.map(toIndexItem),
    total: matches.length,
    nextCursor:
      last && start + page.length < matches.length ? encodeCursor(last, sort.field, sort.text) : null,
    previousCursor: first && start > 0 ? encodeCursor(first, sort.field, sort.text) : null,
  };
}

/** A contact id equal to the filter, or a string value of the profile containing it (both ignoring case). */
function matchesFilter(p: CognigyStoredProfile, filter: string): boolean {
  const f = filter.toLowerCase();
  if (p.contactIds.some((c) => c.toLowerCase() === f)) return true;
  return Object.values(p.profile).some((v) => typeof v === 'string' && v.toLowerCase().includes(f));
}

/** Orders by the sort field, then by `_id`, so that every position is unique. */
function comparator(sort: SortSpec) {
  const sign = sort.descending ? -1 : 1;
  return (a: CognigyStoredProfile, b: CognigyStoredProfile): number => {
    const x = a[sort.field];
    const y = b[sort.field];
    const byField = x < y ? -1 : x > y ? 1 : 0;
    const byId = a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
    return sign * (byField || byId);
  };
}

/** Opaque to clients: the position of one item under one sort. */
function encodeCursor(p: CognigyStoredProfile, field: SortSpec['field'], sortText: string): string {
  return Buffer.from(JSON.stringify({ s: sortText, v: p[field], id: p._id })).toString('base64url');
}

function decodeCursor(text: string, sortText: string): { value: string | number; id: string } | undefined {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (c.s !== sortText || typeof c.id !== 'string') return undefined;
    if (typeof c.v !== 'string' && typeof c.v !== 'number') return undefined;
    return { value: c.v, id: c.id };
  } catch {
    return undefined;
  }
}
