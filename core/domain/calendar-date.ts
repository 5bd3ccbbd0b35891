import type { Parsed } from './money.js';

/**
 * A calendar date `YYYY-MM-DD`, with no time or zone: due and issue dates are days on the
 * creditor's calendar. Strings of this shape sort and compare chronologically.
 */
export type CalendarDate = string;

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Parses `YYYY-MM-DD`, rejecting impossible dates such as `2026-02-30`. */
export function parseCalendarDate(text: string): Parsed<CalendarDate> {
  const t = text.trim();
  const m = SHAPE.exec(t);
  if (!m) return { ok: false, reason: `not a date (YYYY-MM-DD): ${text}` };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) {
    return { ok: false, reason: `not a date: ${text}` };
  }
  return { ok: true, value: t };
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);
}

/** The date `days` after `date` (before, when negative). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** One formatter per time zone: building one costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in an IANA time zone. */
export function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
  let format = formatters.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    // Zones come from debtor records: a few hundred exist; the bound only stops a runaway.
    if (formatters.size >= 1_000) formatters.clear();
    formatters.set(timeZone, format);
  }
  return format.format(instant);
}

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}
