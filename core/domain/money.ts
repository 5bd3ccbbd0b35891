import { minorUnitDigits, type CurrencyCode } from './currency.js';

/** An amount in integer minor units (cents, centavos) of one currency. Never a float. */
export interface Money {
  readonly amount: number;
  readonly currency: CurrencyCode;
}

/** Outcome of parsing user-supplied text: a value or a plain reason. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal written with `.` (`1234.5`) into integer minor units of `currency`.
 * Rejects more decimals than the currency has, thousands separators and exponents: an import
 * must never guess what `1,234` means.
 */
export function parseDecimalToMinor(text: string, currency: CurrencyCode): Parsed<number> {
  const m = DECIMAL.exec(text.trim());
  if (!m) return { ok: false, reason: `not a decimal number: ${text}` };
  const [, sign = '', whole = '0', frac = ''] = m;
  const digits = minorUnitDigits(currency);
  if (frac.length > digits) {
    return { ok: false, reason: `${currency} allows at most ${digits} decimals: ${text}` };
  }
  const minor = Number(whole) * 10 ** digits + (frac ? Number(frac.padEnd(digits, '0')) : 0);
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: `amount too large: ${text}` };
  return { ok: true, value: sign === '-' ? -minor : minor };
}

/** Minor units to major units as a number, for reports and formatting only (never stored). */
export function toMajor(minor: number, currency: CurrencyCode): number {
  return minor / 10 ** minorUnitDigits(currency);
}

/** Minor units as the plain decimal string an import file would carry (`1234.50`). */
export function formatDecimal(minor: number, currency: CurrencyCode): string {
  const digits = minorUnitDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const s = String(abs).padStart(digits + 1, '0');
  return `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** The number format {@link formatMoney} uses for `currency` in `locale` (costly to build: callers on a hot path keep it). */
export function currencyFormat(locale: string, currency: CurrencyCode): Intl.NumberFormat {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/**
 * Formats money for a person in `locale` (`es-MX`, `en-US`), with the ISO code spelled out so `$`
 * is never ambiguous between pesos and dollars: `$1,234.50 MXN`, `$80.00 USD`, `1234,50 € EUR`
 * (a locale that already writes the code, such as `USD 80.00`, does not get it twice). `format`
 * is {@link currencyFormat} of the same locale and currency, when the caller keeps one.
 */
export function formatMoney(money: Money, locale: string, format: Intl.NumberFormat = currencyFormat(locale, money.currency)): string {
  const text = format.format(toMajor(money.amount, money.currency));
  return text.includes(money.currency) ? text : `${text} ${money.currency}`;
}
