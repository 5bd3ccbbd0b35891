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

const SPACE = 32;

/** True when `normalized` contains `phrase` (normalized) as whole words. */
export function hasPhrase(normalized: string, phrase: string): boolean {
  // Every message is checked against hundreds of phrases: no string is built per check.
  if (!phrase) return !normalized;
  for (let at = normalized.indexOf(phrase); at >= 0; at = normalized.indexOf(phrase, at + 1)) {
    const end = at + phrase.length;
    const startsWord = at === 0 || normalized.charCodeAt(at - 1) === SPACE;
    const endsWord = end === normalized.length || normalized.charCodeAt(end) === SPACE;
    if (startsWord && endsWord) return true;
  }
  return false;
}


/** True when `normalized` contains any of `phrases` as whole words. */
export function hasAnyPhrase(normalized: string, phrases: readonly string[]): boolean {
  for (const phrase of phrases) if (hasPhrase(normalized, phrase)) return true;
  return false;
}
