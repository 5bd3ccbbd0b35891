import type { Language } from './portfolio.js';

/** Where a language is spoken when the debtor's country is unknown. */
const DEFAULT_REGION: Readonly<Record<Language, string>> = { es: 'MX', en: 'US' };

/**
 * The BCP 47 locale that formats money and dates for a debtor: language plus country
 * (`es-MX`, `es-CO`, `en-US`), the language's usual region when the country is unknown.
 */
export function localeFor(language: Language, country?: string): string {
  const candidate = `${language}-${(country ?? DEFAULT_REGION[language]).toUpperCase()}`;
  return Intl.NumberFormat.supportedLocalesOf([candidate]).length ? candidate : language;
}
