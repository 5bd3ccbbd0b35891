import { parsePhoneNumberWithError, type CountryCode, isSupportedCountry } from 'libphonenumber-js';
import type { Parsed } from './money.js';

/** A phone number in E.164 (`+525512345678`). */
export type E164 = string;

/** True when `code` is an ISO 3166-1 alpha-2 country libphonenumber knows. */
export function isCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}

/**
 * Normalises a phone written in E.164 or in national digits of `country` to E.164.
 * Rejects numbers that are not valid for their country rather than storing a guess.
 */
export function normalizePhone(raw: string, country?: string): Parsed<E164> {
  const text = raw.trim();
  try {
    const phone = parsePhoneNumberWithError(text, country && isCountry(country) ? (country as CountryCode) : undefined);
    if (!phone.isValid()) return { ok: false, reason: `not a valid phone number: ${raw}` };
    return { ok: true, value: phone.number };
  } catch (error) {
    if (error instanceof Error) {
      const hint = !text.startsWith('+') && !country ? ' (give E.164 such as +525512345678, or a country)' : '';
      return { ok: false, reason: `not a phone number: ${raw}${hint}` };
    }
    throw error;
  }
}
