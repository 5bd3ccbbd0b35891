import type { CalendarDate } from '../core/domain/calendar-date.js';
import { minorUnitDigits, type CurrencyCode } from '../core/domain/currency.js';
import { localeFor } from '../core/domain/locale.js';
import { toMajor } from '../core/domain/money.js';

export { localeFor };

/**
 * Money as a person in `locale` writes it, with the ISO code spelled out so `$` is never
 * ambiguous between pesos and dollars: `$1,234.50 MXN`, `$1.234,50 COP`, `$80.00 USD`.
 */
export function formatAmount(amount: number, currency: CurrencyCode, locale: string): string {
  const digits = minorUnitDigits(currency);
  const text = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(toMajor(amount, currency));
  return text.includes(currency) ? text : `${text} ${currency}`;
}

/**
 * A calendar date in words (`5 de diciembre de 2025`, `December 5, 2025`; `full` adds the
 * weekday). Calendar dates have no zone: they are formatted as the same day everywhere.
 */
export function formatDate(date: CalendarDate, locale: string, style: 'long' | 'full' = 'long'): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** The time of an instant on the clock of `timeZone`, with the zone named (`3:45 p.m. CST`). */
export function formatTime(instant: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(instant);
}

/** A list of words as the locale joins them (`F-1, F-2 y F-3`). */
export function formatList(items: readonly string[], locale: string): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}
