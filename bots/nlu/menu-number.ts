import { normalize } from './normalize.js';

const NUMBERED = /^(?:(?:opcion|option|numero|number|num)\s*)?(\d{1,2})$/;

const ORDINALS: Readonly<Record<string, number>> = {
  primero: 1, primera: 1, first: 1, uno: 1, one: 1,
  segundo: 2, segunda: 2, second: 2, dos: 2, two: 2,
  tercero: 3, tercera: 3, third: 3, tres: 3, three: 3,
  cuarto: 4, cuarta: 4, fourth: 4, cuatro: 4, four: 4,
  quinto: 5, quinta: 5, fifth: 5, cinco: 5, five: 5,
  sexto: 6, sexta: 6, sixth: 6, seis: 6, six: 6,
  septimo: 7, septima: 7, seventh: 7, siete: 7, seven: 7,
};

const ARTICLES = new Set(['el', 'la', 'lo', 'the', 'opcion', 'option']);

/**
 * The option number a message picks, when the whole message is one: `2`, `2.`, `#2`,
 * `opción 2`, `option two`, `la segunda`. Anything longer is not a menu number.
 *
 * @example
 * menuNumber('Opción 3') // 3
 * menuNumber('pago el 3') // undefined
 */
export function menuNumber(text: string): number | undefined {
  const norm = normalize(text.replace(/^\s*#/, ''));
  const numbered = NUMBERED.exec(norm);
  if (numbered) {
    const n = Number(numbered[1]);
    return n >= 1 ? n : undefined;
  }
  const tokens = norm.split(' ').filter((w) => !ARTICLES.has(w));
  if (tokens.length !== 1) return undefined;
  return ORDINALS[tokens[0] ?? ''];
}
