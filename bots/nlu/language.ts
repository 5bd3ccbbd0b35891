import type { Language } from '../../core/domain/portfolio.js';
import { normalize, words } from './normalize.js';

const SPANISH = new Set([
  'hola', 'buenas', 'buenos', 'buen', 'dias', 'dia', 'tardes', 'noches', 'gracias', 'quiero', 'quisiera', 'pagar', 'pago',
  'pague', 'pagare', 'saldo', 'cuanto', 'debo', 'deuda', 'adeudo', 'factura', 'facturas', 'si', 'por', 'favor', 'que',
  'el', 'la', 'los', 'las', 'del', 'mi', 'mis', 'es', 'esta', 'estoy', 'tengo', 'necesito', 'ayuda', 'hablar', 'persona',
  'agente', 'humano', 'cuotas', 'viernes', 'lunes', 'martes', 'miercoles', 'jueves', 'sabado', 'domingo', 'manana',
  'hoy', 'con', 'para', 'una', 'un', 'yo', 'como', 'donde', 'cuando', 'puedo', 'baja', 'reconozco', 'disputa',
  'semana', 'mes', 'de', 'pagos', 'plazos', 'numero', 'cliente', 'soy', 'tu', 'usted', 'pero', 'porque', 'ya', 'nada', 'bien',
]);
const ENGLISH = new Set([
  'hi', 'hello', 'hey', 'good', 'morning', 'afternoon', 'evening', 'thanks', 'thank', 'you', 'i', 'im', 'ill', 'want',
  'would', 'like', 'pay', 'balance', 'how', 'much', 'owe', 'debt', 'invoice', 'invoices', 'yes', 'please', 'what', 'the',
  'my', 'is', 'it', 'this', 'need', 'help', 'talk', 'person', 'agent', 'human', 'monday', 'tuesday', 'wednesday',
  'thursday', 'friday', 'saturday', 'sunday', 'tomorrow', 'today', 'with', 'for', 'an', 'can', 'where', 'when',
  'stop', 'dispute', 'recognize', 'will', 'on', 'next', 'week', 'month', 'do', 'dont', 'payment', 'and',
  'am', 'are', 'customer', 'number', 'of', 'to', 'me', 'be', 'not', 'nothing', 'fine',
]);

/**
 * The language a message is written in, by its words (and Spanish punctuation or letters),
 * or undefined when it gives no clear sign (`12345`, `ok`). Used for people the bot does not
 * know yet: a debtor's stored language always wins.
 *
 * @example
 * detectLanguage('¿Cuánto debo?') // 'es'
 * detectLanguage('How much do I owe?') // 'en'
 */
export function detectLanguage(text: string): Language | undefined {
  let es = /[¿¡ñÑáéíóúÁÉÍÓÚ]/.test(text) ? 1 : 0;
  let en = 0;
  for (const w of words(normalize(text))) {
    if (SPANISH.has(w)) es++;
    if (ENGLISH.has(w)) en++;
  }
  if (es === en) return undefined;
  return es > en ? 'es' : 'en';
}
