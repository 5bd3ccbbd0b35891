import { menuNumber } from './menu-number.js';
import { hasPhrase, normalize } from './normalize.js';

/** One option of a choice: the value it stands for and the words that pick it. */
export interface ChoiceOption<V extends string = string> {
  readonly value: V;
  /** The option's label as shown, and synonyms; any of them picks the option. */
  readonly words: readonly string[];
}

/**
 * The option a message picks among `options` (numbered from 1 as shown): by its number, by a
 * whole label or synonym, or by a message containing the words of exactly one option.
 * Undefined when nothing or more than one option fits.
 *
 * @example
 * recognizeChoice('2', [{ value: 'yes', words: ['Sí'] }, { value: 'no', words: ['No'] }]) // 'no'
 * recognizeChoice('si claro', [...]) // 'yes'
 */
export function recognizeChoice<V extends string>(text: string, options: readonly ChoiceOption<V>[]): V | undefined {
  const n = menuNumber(text);
  if (n !== undefined) return options[n - 1]?.value;
  const norm = normalize(text);
  if (!norm) return undefined;
  const exact = options.filter((o) => o.words.some((w) => normalize(w) === norm));
  if (exact.length === 1) return exact[0]?.value;
  const containing = options.filter((o) => o.words.some((w) => normalize(w) !== '' && hasPhrase(norm, normalize(w))));
  return containing.length === 1 ? containing[0]?.value : undefined;
}
