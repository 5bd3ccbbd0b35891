import type { Language } from '../domain/portfolio.js';

/** Values interpolated into a message; a numeric `count` also picks the plural form. */
export type TranslationVars = Readonly<Record<string, string | number>>;

/**
 * Turns a message key into text a person reads. Keys are `namespace:key` (one namespace per
 * conversation flow plus `common`), so every user-facing sentence lives in `locales/`.
 *
 * @example
 * translator.t('es', 'balance:total', { amount: '$1,200.00 MXN' });
 */
export interface Translator {
  /**
   * The text of `key` in `language` with `vars` interpolated. A key missing in that language
   * is a bug (the locale tests keep every language complete), so implementations throw.
   */
  t(language: Language, key: string, vars?: TranslationVars): string;
}
