/**
 * How much of a back-fill's window Genesys Cloud's analytics data reaches. Conversation-detail jobs
 * hold only the conversations that started before the data lake's watermark (`dataAvailabilityDate`,
 * hours behind on real orgs), without an error: a back-fill covers `[since, min(until, watermark))`
 * and says what is left, so that a later run syncs the rest.
 */

/** The part of a window not synced yet: it starts at the watermark. */
export interface BackfillRemaining {
  since: string;
  until: string;
}

export interface BackfillCoverage {
  /** The end of what was synced: `until` when the whole window was, else the watermark. */
  coveredUntil: string;
  /** Present when the window was not covered whole. */
  remaining?: BackfillRemaining;
  /** The watermark itself when it cut the window (it may lie before the window's start). */
  dataAvailabilityDate?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The coverage of `[since, until)` given the watermark (none known: the whole window). A watermark
 * before `since` covers nothing (`coveredUntil` is `since`).
 */
export function coverageOf(since: string, until: string, dataAvailabilityDate?: string): BackfillCoverage {
  const startMs = Date.parse(since);
  const endMs = Date.parse(until);
  const availableMs = dataAvailabilityDate === undefined ? Number.NaN : Date.parse(dataAvailabilityDate);
  const coveredMs = Number.isNaN(availableMs) ? endMs : Math.max(startMs, Math.min(endMs, availableMs));
  return {
    coveredUntil: iso(coveredMs),
    ...(coveredMs < endMs
      ? { remaining: { since: iso(coveredMs), until: iso(endMs) }, dataAvailabilityDate: iso(availableMs) }
      : {}),
  };
}

/** Whether the coverage reaches no part of `[since, …)`: the data does not reach the window yet. */
export function coversNothing(c: { coveredUntil?: string | undefined }, since: string): boolean {
  return c.coveredUntil !== undefined && Date.parse(c.coveredUntil) <= Date.parse(since);
}

/**
 * The coverage a results page implies when its `dataAvailabilityDate` is earlier than what the
 * back-fill assumed (the job ran against an earlier watermark); undefined when it narrows nothing.
 */
export function narrowedByPage(
  c: { coveredUntil?: string | undefined },
  since: string,
  until: string,
  pageDataAvailabilityDate: string | undefined,
): BackfillCoverage | undefined {
  if (!pageDataAvailabilityDate || c.coveredUntil === undefined) return undefined;
  if (Date.parse(pageDataAvailabilityDate) >= Date.parse(c.coveredUntil)) return undefined;
  return coverageOf(since, until, pageDataAvailabilityDate);
}

/** Whether the coverage leaves nothing to synchronise. */
export function coveredWhole(c: { remaining?: BackfillRemaining | undefined }): boolean {
  return c.remaining === undefined;
}

/**
 * The plain sentence for people when a window was not covered whole (undefined when it was):
 * "Genesys Cloud's analytics data reaches …: conversations after it were not synced; run again later
 * for the rest (…/…)".
 */
export function coverageSentence(c: {
  remaining?: BackfillRemaining | undefined;
  dataAvailabilityDate?: string | undefined;
}): string | undefined {
  if (!c.remaining) return undefined;
  const { since, until } = c.remaining;
  return `Genesys Cloud's analytics data reaches ${c.dataAvailabilityDate ?? since}: conversations after it were not synced; run again later for the rest (${since}/${until})`;
}
