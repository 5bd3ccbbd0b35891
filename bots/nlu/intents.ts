import type { Language } from '../../core/domain/portfolio.js';
import { hasAnyPhrase, normalize, words } from './normalize.js';
import { isOnlyDate, mentionsOtherDay } from './promise-date.js';

/** What a debtor can ask for in words (CONTRACT.md section 6), in Spanish or English. */
export type IntentName =
  | 'opt-out'
  | 'greeting'
  | 'balance'
  | 'pay'
  | 'plan'
  | 'promise'
  | 'human'
  | 'dispute'
  | 'thanks'
  | 'help'
  | 'cancel'
  | 'yes'
  | 'done';

/** A recognized message: an intent, a language switch, or nothing understood. */
export type Intent = { readonly kind: IntentName } | { readonly kind: 'language'; readonly language: Language } | { readonly kind: 'none' };

/** Words that make a whole message polite without changing what it asks. */
const POLITE = new Set(['por', 'favor', 'please', 'pls', 'plz', 'gracias', 'thanks', 'thank', 'you', 'ok', 'okay', 'ya', 'now']);

const OPT_OUT = new Set([
  'baja', 'stop', 'darme de baja', 'dame de baja', 'dar de baja', 'quiero darme de baja', 'quiero la baja',
  'unsubscribe', 'stop messages', 'stop messaging me', 'stop all',
]);

/** Words that may surround a language name in a switch request ("in english please"). */
const LANGUAGE_FILLER = new Set([
  'en', 'in', 'a', 'al', 'el', 'the', 'to', 'i', 'we', 'us', 'let', 'lets', 'can', 'you', 'puedes', 'podemos',
  'quiero', 'prefiero', 'mejor', 'hablar', 'habla', 'hablame', 'hablemos', 'escribir', 'escribe', 'cambiar',
  'cambia', 'idioma', 'language', 'change', 'switch', 'speak', 'talk', 'want', 'prefer', 'write', 'por', 'favor', 'please',
]);
const LANGUAGE_WORDS: Readonly<Record<string, Language>> = {
  english: 'en', ingles: 'en',
  espanol: 'es', spanish: 'es', castellano: 'es',
};

/** Dispute phrases that already say why. */
const DISPUTE_REASONS = [
  'no es mia', 'no es mio', 'no son mias', 'no es mi deuda', 'no debo', 'no le debo', 'no les debo', 'ya pague',
  'ya la pague', 'ya lo pague', 'ya las pague', 'ya pagamos', 'ya se pago', 'ya hice el pago', 'ya realice el pago',
  'ya deposite', 'ya transferi', 'ayer pague', 'pague ayer', 'ya estoy al corriente',
  'not my debt', 'not mine', 'i dont owe', 'i do not owe', 'already paid', 'i paid', 'ive paid', 'i have paid',
  'we paid', 'weve paid', 'we have paid', 'paid it', 'paid yesterday', 'paid last',
  'monto incorrecto', 'cantidad incorrecta', 'importe incorrecto', 'me cobraron de mas', 'cobraron de mas', 'cobro doble',
  'doble cobro', 'cobro indebido', 'wrong amount', 'amount is wrong', 'amount is incorrect', 'overcharged',
  'charged twice', 'double charged',
];
const DISPUTE = [
  'no reconozco', 'no la reconozco', 'no lo reconozco', 'no las reconozco', 'no los reconozco', 'disputa', 'disputar',
  // Not `error` or `está mal` alone: an error on the payment page is no dispute of the debt.
  'aclaracion', 'reclamo', 'incorrecto', 'incorrecta', 'equivocado', 'equivocada', 'erroneo', 'erronea',
  'no es correcto', 'no es correcta', 'wrong', 'incorrect', 'mistake', 'not correct', 'not right',
  'dispute', 'dont recognize', 'do not recognize', 'dont recognise', 'do not recognise',
  ...DISPUTE_REASONS,
];
const HUMAN = [
  'agente', 'humano', 'humana', 'persona', 'asesor', 'asesora', 'ejecutivo', 'ejecutiva', 'operador', 'operadora',
  'alguien', 'atencion al cliente',
  'agent', 'human', 'person', 'representative', 'operator', 'someone', 'somebody', 'customer service',
];
const PLAN = [
  'plan de pagos', 'plan de pago', 'cuotas', 'cuota', 'parcialidades', 'mensualidades', 'pagos parciales',
  'en partes', 'a plazos', 'plazos', 'no puedo pagar', 'no me alcanza',
  'payment plan', 'instalment', 'instalments', 'installment', 'installments', 'instalment plan', 'installment plan',
  'in parts', 'cant pay', 'cannot pay', 'can not pay', 'unable to pay',
];
const PROMISE = [
  'prometo', 'prometer', 'promesa', 'compromiso', 'me comprometo', 'fecha de pago', 'fecha para pagar',
  'promise', 'ill pay', 'i will pay', 'i can pay', 'i could pay', 'i am going to pay', 'im going to pay', 'will pay',
];
const PAY_VERBS = [
  'pago', 'pagar', 'pagare', 'pagaria', 'pague', 'pagaremos', 'abono', 'abonar', 'abonare', 'deposito', 'depositar', 'depositare',
  'pay', 'paying', 'ill pay', 'will pay',
];
const PAY = [
  'pagar', 'pago', 'pagos', 'link de pago', 'liga de pago', 'enlace de pago', 'enlace', 'liga', 'link',
  'pay', 'payment', 'pay now', 'checkout',
];
const BALANCE_QUESTION = [
  'cuanto debo', 'cuanto le debo', 'cuanto es', 'cuanto tengo', 'how much', 'what do i owe',
  'cuando vence', 'cuando vencen', 'vencimiento', 'fecha limite', 'when is it due', 'when are they due', 'due date', 'due dates',
];
const BALANCE = [
  'saldo', 'saldos', 'debo', 'deuda', 'adeudo', 'estado de cuenta', 'mi cuenta', 'factura', 'facturas',
  'balance', 'owe', 'debt', 'statement', 'invoice', 'invoices', 'bill', 'bills', 'my account',
];
const CANCEL = ['cancelar', 'cancela', 'cancel', 'salir', 'exit', 'quit', 'olvidalo', 'never mind', 'nevermind', 'nada', 'nothing'];
const HELP = ['menu', 'ayuda', 'opciones', 'inicio', 'volver', 'help', 'options', 'main menu', 'back', 'start'];
const THANKS = ['gracias', 'muchas gracias', 'thanks', 'thank you', 'thx', 'ty'];
/** A whole message that says yes: to "anything else?" it asks for the menu. */
const YES = new Set([
  'si', 'si por favor', 'si gracias', 'claro', 'claro que si', 'por supuesto', 'de acuerdo', 'sip',
  'yes', 'yes please', 'yeah', 'yep', 'sure', 'of course',
]);
/**
 * A whole message that says no, nothing more, or merely acknowledges: to "anything else?" it
 * ends the exchange politely, rather than counting as a message not understood.
 */
const DONE = new Set([
  'no', 'no gracias', 'no muchas gracias', 'nada', 'nada mas', 'nada mas gracias', 'no nada', 'es todo', 'eso es todo',
  'eso seria todo', 'ahora no', 'por ahora no', 'por ahora es todo', 'ok', 'okay', 'ok gracias', 'vale', 'perfecto',
  'listo', 'entendido', 'de acuerdo gracias', 'esta bien', 'bien',
  'nope', 'no thanks', 'no thank you', 'nothing', 'nothing else', 'thats all', 'that is all', 'thats it', 'not now',
  'ok thanks', 'okay thanks', 'got it', 'great', 'perfect', 'fine', 'all good', 'im good', 'no im good', 'alright',
]);
const GREETING = [
  'hola', 'holi', 'buenas', 'buenos dias', 'buen dia', 'buenas tardes', 'buenas noches', 'que tal', 'saludos',
  'hi', 'hello', 'hey', 'good morning', 'good afternoon', 'good evening', 'greetings',
];

/** True when the whole message is an opt-out (`BAJA`, `STOP`, politely or not). */
export function isOptOut(text: string): boolean {
  const core = words(normalize(text)).filter((w) => !POLITE.has(w));
  return OPT_OUT.has(core.join(' '));
}

/** The language a message asks to switch to (`english`, `en español`), if it is only that. */
export function languageSwitch(text: string): Language | undefined {
  const rest = words(normalize(text)).filter((w) => !LANGUAGE_FILLER.has(w));
  return rest.length === 1 ? LANGUAGE_WORDS[rest[0] ?? ''] : undefined;
}

/** A Telegram `/start` command, with its deep-link payload when there is one. */
export function startCommand(text: string): { readonly payload?: string } | undefined {
  const m = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/i.exec(text.trim());
  if (!m) return undefined;
  return m[1] ? { payload: m[1] } : {};
}

/**
 * What a message asks for, by CONTRACT.md's words and their usual variants, accents and case
 * optional. The most specific request wins: `no puedo pagar` is a plan, `pago el viernes` a
 * promise, `hola, quiero pagar` a payment. A date alone (`el viernes`, `15/12`, `next Monday`) is a
 * promise; a payment already made (`ya pagué`, `I paid yesterday`) is a dispute with its reason,
 * for a person to check against the ledger.
 *
 * @example
 * recognizeIntent('Pago el viernes') // { kind: 'promise' }
 * recognizeIntent('ENGLISH') // { kind: 'language', language: 'en' }
 */
export function recognizeIntent(text: string): Intent {
  if (startCommand(text)) return { kind: 'greeting' };
  const norm = normalize(text);
  if (!norm) return { kind: 'none' };
  if (isOptOut(text)) return { kind: 'opt-out' };
  const language = languageSwitch(text);
  if (language) return { kind: 'language', language };
  if (YES.has(norm)) return { kind: 'yes' };
  if (DONE.has(norm)) return { kind: 'done' };
  if (hasAnyPhrase(norm, DISPUTE)) return { kind: 'dispute' };
  if (hasAnyPhrase(norm, HUMAN)) return { kind: 'human' };
  if (hasAnyPhrase(norm, PLAN)) return { kind: 'plan' };
  const payVerb = hasAnyPhrase(norm, PAY_VERBS);
  if ((payVerb || hasAnyPhrase(norm, PROMISE)) && mentionsOtherDay(text)) return { kind: 'promise' };
  if (hasAnyPhrase(norm, PROMISE) && !/\b(hoy|ahora|today|now|right now)\b/.test(norm)) return { kind: 'promise' };
  if (hasAnyPhrase(norm, BALANCE_QUESTION)) return { kind: 'balance' };
  if (payVerb || hasAnyPhrase(norm, PAY)) return { kind: 'pay' };
  if (hasAnyPhrase(norm, BALANCE)) return { kind: 'balance' };
  if (hasAnyPhrase(norm, CANCEL)) return { kind: 'cancel' };
  if (hasAnyPhrase(norm, HELP)) return { kind: 'help' };
  if (hasAnyPhrase(norm, THANKS)) return { kind: 'thanks' };
  if (hasAnyPhrase(norm, GREETING)) return { kind: 'greeting' };
  // A date alone answers "when will you pay?", asked or not.
  if (isOnlyDate(text) && mentionsOtherDay(text)) return { kind: 'promise' };
  return { kind: 'none' };
}

/** Words that say nothing about why a debt is disputed. */
const DISPUTE_FILLER = new Set([
  'i', 'yo', 'this', 'that', 'the', 'a', 'it', 'is', 'my', 'of', 'la', 'el', 'lo', 'las', 'los', 'de', 'del', 'mi',
  'esta', 'este', 'esa', 'ese', 'es', 'una', 'un', 'debt', 'deuda', 'account', 'cuenta', 'cobro', 'charge', 'quiero',
  'want', 'to', 'abrir', 'open', 'hacer', 'make', 'por', 'favor', 'please', 'hola', 'hi', 'hello',
]);

/**
 * True when a dispute message already says why (`no reconozco la factura F-101, ya la pagué en
 * octubre`, `ya pagué`), false when it only asks to dispute (`No reconozco la deuda`, the menu
 * label).
 */
export function carriesReason(text: string): boolean {
  const norm = normalize(text);
  if (hasAnyPhrase(norm, DISPUTE_REASONS)) return true;
  let rest = ` ${norm} `;
  for (const phrase of [...DISPUTE].sort((a, b) => b.length - a.length)) rest = rest.split(` ${phrase} `).join(' ');
  return words(rest.trim().replace(/\s+/g, ' ')).filter((w) => !DISPUTE_FILLER.has(w)).length >= 3;
}

/** The number of words of a message, to tell a command from a sentence. */
export function wordCount(text: string): number {
  return words(normalize(text)).length;
}
