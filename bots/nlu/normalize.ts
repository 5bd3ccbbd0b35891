/**
 * The form every recognizer matches against: lower case, accents and apostrophes dropped
 * (`Dón't` -> `dont`, `español` -> `espanol`), anything but letters and digits turned into single
 * spaces. People type without accents on phones; the bot must not care.
 *
 * @example
 * normalize('¿Cuánto DEBO?') // 'cuanto debo'
 */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The words of a normalized text. */
export function words(normalized: string): string[] {
  return normalized ? normalized.split(' ') : [];
}

/** True when `normalized` contains `phrase` (normalized) as whole words. */
export function hasPhrase(normalized: string, phrase: string): boolean {
  return ` ${normalized} `.includes(` ${phrase} `);
}

/** True when `normalized` contains any of `phrases` as whole words. */
export function hasAnyPhrase(normalized: string, phrases: readonly string[]): boolean {
  return phrases.some((p) => hasPhrase(normalized, p));
}
