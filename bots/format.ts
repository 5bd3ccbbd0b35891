import type { CalendarDate } from '../core/domain/calendar-date.js';
import type { CurrencyCode } from '../core/domain/currency.js';
import { localeFor as domainLocaleFor } from '../core/domain/locale.js';
import type { Language } from '../core/domain/portfolio.js';
import { currencyFormat, formatMoney } from '../core/domain/money.js';

/**
 * Intl formatters cost far more to build (locale data resolved, tens of microseconds to a
 * few hundred) than to use, and a balance builds a handful per invoice: each one is built
 * once per locale and options and kept. The keys come from a small set (two languages, a few
 * countries, currencies and time zones); the bound only guards against a runaway.
 */
const MAX_CACHED = 1000;
const cached = new Map<string, unknown>();

function memo<T>(key: string, build: () => T): T {
  let value = cached.get(key) as T | undefined;
  if (value === undefined) {
    if (cached.size >= MAX_CACHED) cached.clear();
    value = build();
    cached.set(key, value);
  }
  return value;
}

/**
 * The BCP 47 locale that formats money and dates for a debtor (`es-MX`, `en-US`; see the
 * domain's `localeFor`), remembered per language and country.
 */
export function localeFor(language: Language, country?: string): string {
  return memo(`locale|${language}|${country ?? ''}`, () => domainLocaleFor(language, country));
}

/**
 * Money as a person in `locale` writes it, with the ISO code spelled out so `$` is never
 * ambiguous between pesos and dollars: `$1,234.50 MXN`, `$1.234,50 COP`, `$80.00 USD`.
 */
export function formatAmount(amount: number, currency: CurrencyCode, locale: string): string {
  return formatMoney({ amount, currency }, locale, memo(`amount|${locale}|${currency}`, () => currencyFormat(locale, currency)));
}

/**
 * A calendar date in words (`5 de diciembre de 2025`, `December 5, 2025`; `full` adds the
 * weekday). Calendar dates have no zone: they are formatted as the same day everywhere.
 */
export function formatDate(date: CalendarDate, locale: string, style: 'long' | 'full' = 'long'): string {
  const format = memo(`date|${locale}|${style}`, () => new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' }));
  return format.format(new Date(`${date}T00:00:00Z`));
}

/** The time of an instant on the clock of `timeZone`, with the zone named (`3:45 p.m. CST`). */
export function formatTime(instant: Date, locale: string, timeZone: string): string {
  const format = memo(`time|${locale}|${timeZone}`, () => new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' }));
  return format.format(instant);
}

/** A list of words as the locale joins them (`F-1, F-2 y F-3`). */
export function formatList(items: readonly string[], locale: string): string {
  return memo(`list|${locale}`, () => new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' })).format(items);
}
