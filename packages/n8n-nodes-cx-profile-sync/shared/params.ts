import { ConfigurationError, type Platform } from '@cx-profile-sync/core/pure';
import type { IExecuteFunctions } from 'n8n-workflow';

/** A required text parameter of one item, trimmed; empty is a ConfigurationError naming it. */
export function requiredText(
  ctx: IExecuteFunctions,
  name: string,
  itemIndex: number,
  label: string,
  platform?: Platform,
): string {
  const value = ctx.getNodeParameter(name, itemIndex, '');
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  if (text === '') throw new ConfigurationError(`${label} is empty`, platform ? { platform } : {});
  return text;
}

/**
 * An instant as ISO 8601 in UTC, from a date-time parameter: a string (read as UTC when it has no
 * offset, so that the result does not depend on the server's time zone), a Date or a Luxon DateTime.
 */
export function isoInstant(value: unknown, label: string): string {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    const hasZone = /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(text);
    const withTime = text.includes('T') ? text : `${text}T00:00:00`;
    date = new Date(hasZone ? text : `${withTime}Z`);
  } else if (value && typeof (value as { toISO?: unknown }).toISO === 'function') {
    date = new Date(String((value as { toISO: () => string }).toISO()));
  }
  if (!date || Number.isNaN(date.getTime())) {
    throw new ConfigurationError(`${label} is not a date and time`, { platform: 'genesys' });
  }
  return date.toISOString();
}
