import * as chrono from 'chrono-node';
import { addDays, daysBetween, type CalendarDate } from '../../core/domain/calendar-date.js';
import type { Language } from '../../core/domain/portfolio.js';
import { normalize } from './normalize.js';

/** A day and month that went by this many days ago or less is read as that past day. */
const RECENT_PAST_DAYS = 31;

/** What a date written by a person is relative to. */
export interface DateContext {
  /** Today in the debtor's time zone. */
  readonly today: CalendarDate;
  /** The language the debtor writes in: its parser is tried first. */
  readonly language: Language;
  /**
   * `15/12` order: day first everywhere except English in the United States, where `12/15`
   * is December 15 (a day above 12 is read the only way it can be).
   */
  readonly dayFirst: boolean;
}

/** True when slashed dates are written month first: English speakers in the US (or nowhere known). */
export function monthFirst(language: Language, country: string | undefined): boolean {
  return language === 'en' && (country === undefined || country === 'US');
}

/**
 * The calendar date a person means by a free-text date (`el viernes`, `15/12`, `next Monday`,
 * `Dec 15`, `pasado mañana`, `el 15`, `fin de mes`), relative to `today` in their zone.
 * Weekdays and relative phrases point forward; a day and month without a year is the next
 * one (`Dec 15` written in March is next December, `5/1` written on December 28 next January)
 * unless it went by within the last month: `1/12` written on December 3 is two days ago, and
 * the dialog says so. `hoy`/`today` is today.
 * Undefined when the text holds no date.
 *
 * @example
 * parsePromiseDate('pago el viernes', { today: '2025-12-03', language: 'es', dayFirst: true }) // '2025-12-05'
 */
export function parsePromiseDate(text: string, context: DateContext): CalendarDate | undefined {
  const norm = normalize(text);
  const phrase = phraseDate(norm, context.today);
  if (phrase) return phrase;
  // chrono takes a millisecond or two per language: most messages hold nothing it could read.
  if (!mayHoldDate(norm)) return undefined;
  const other: Language = context.language === 'es' ? 'en' : 'es';
  return chronoDate(text, context.language, context) ?? chronoDate(text, other, context) ?? dayOfMonth(norm, context.today);
}

/**
 * True when `text` names a day other than today (`el viernes`, `Dec 15`; not `hoy`, `now`):
 * what turns "I'll pay" into a promise rather than a request for a payment link now.
 */
export function mentionsOtherDay(text: string): boolean {
  const today = '2024-06-12';
  const date = parsePromiseDate(text, { today, language: 'es', dayFirst: true }) ?? parsePromiseDate(text, { today, language: 'en', dayFirst: false });
  return date !== undefined && date !== today;
}

/**
 * Words that may stand beside a date in a message that says nothing else (`para el lunes`, `by
 * Friday`). Not `hasta` or `until`: `hasta mañana` is a goodbye, not a day to pay on.
 */
const DATE_FILLER = new Set([
  'el', 'la', 'los', 'las', 'de', 'del', 'a', 'al', 'en', 'para', 'por', 'antes', 'este', 'esta', 'dia', 'mejor', 'quizas',
  'quiza', 'tal', 'vez', 'creo', 'que', 'probablemente', 'seguro', 'seguramente',
  'on', 'the', 'by', 'for', 'before', 'this', 'maybe', 'perhaps', 'probably', 'i', 'think', 'of',
]);
/** Dates chrono does not read as a whole message: `el 15`, `on the 15th`, the phrases of {@link phraseDate}. */
const ONLY_DAY_OR_PHRASE =
  /^(?:(?:el|el dia|dia|on|on the|the|by the|para el|para el dia)\s+\d{1,2}(?:st|nd|rd|th)?|(?:el |para el |por el )?(?:pasado manana|fin de mes|final de mes|finales de mes|quincena|la quincena|proxima semana|la proxima semana|la semana que viene|semana que viene)|(?:by |at )?(?:the )?(?:end of (?:the )?month|day after tomorrow))$/;

/**
 * True when a message is a date and nothing more (`el viernes`, `15/12`, `next Monday`, `Dec 15`,
 * `para el lunes`): at the menu, a person who answers with a date alone is saying when they will
 * pay. A bare number (`15`, `2`) is not one: it is a menu option, an amount, a code.
 *
 * @example
 * isOnlyDate('next Monday') // true
 * isOnlyDate('I was sick last week') // false
 */
export function isOnlyDate(text: string): boolean {
  const norm = normalize(text);
  // A lone short word (`mar`, `dom`) is more often something else than an abbreviated day.
  if (!norm || /^\d+$/.test(norm) || /^\p{L}{1,3}$/u.test(norm) || norm.split(' ').length > 6 || !mayHoldDate(norm)) return false;
  if (ONLY_DAY_OR_PHRASE.test(norm)) return true;
  const ref = new Date(2024, 5, 12, 12);
  for (const parser of [chrono.es.casual, chrono.en.casual]) {
    const found = parser.parse(text, ref, { forwardDate: true }).find(isDateResult);
    if (!found) continue;
    const rest = normalize(`${text.slice(0, found.index)} ${text.slice(found.index + found.text.length)}`);
    if (!rest || rest.split(' ').every((w) => DATE_FILLER.has(w))) return true;
  }
  return false;
}

/**
 * Beginnings of the words a date can be written with, in either language, accents removed:
 * weekdays, months (and their abbreviations), relative days, and the units of time. A text
 * with none of them and no digit holds no date chrono would find; a text with one is still
 * only a candidate (`mar` begins `marzo` and `martes`, but also `marcar`).
 */
const DATE_WORD =
  /\b(lun|mart|mier|juev|vier|sab|dom|ene|feb|mar|abr|may|jun|jul|ago|sep|set|oct|nov|dic|hoy|manana|pasado|proxim|siguiente|viene|semana|mes|ano|dia|quincena|fin|noche|tarde|mediodia|mon|tue|wed|thu|fri|sat|sun|jan|apr|aug|dec|today|tomorrow|tonight|next|week|month|year|day|fortnight|end|noon|midnight|morning|evening|afternoon|this|coming|last|ago|in|within|from|after|yesterday|ayer|anteayer|dentro|desde|despues|luego)/;

/** False only when `norm` (normalized text) surely holds no date. */
function mayHoldDate(norm: string): boolean {
  return /\d/.test(norm) || DATE_WORD.test(norm);
}

/** Phrases chrono misreads or lacks, in either language. */
function phraseDate(norm: string, today: CalendarDate): CalendarDate | undefined {
  if (/\b(pasado manana|day after tomorrow)\b/.test(norm)) return addDays(today, 2);
  if (/\b(proxima semana|semana que viene|semana proxima)\b/.test(norm)) return addDays(today, 7);
  if (/\b(fin|finales|final) de(l)? mes\b|\bend of (the )?month\b/.test(norm)) return lastDayOfMonth(today);
  if (/\bquincena\b/.test(norm)) {
    const day = Number(today.slice(8, 10));
    return day < 15 ? `${today.slice(0, 8)}15` : lastDayOfMonth(today);
  }
  return undefined;
}

function chronoDate(text: string, language: Language, context: DateContext): CalendarDate | undefined {
  // chrono's British parser reads `Dec 15` as December 2015: the US one then gets its turn.
  const parsers = language === 'es' ? [chrono.es.casual] : context.dayFirst ? [chrono.en.GB, chrono.en.casual] : [chrono.en.casual];
  for (const parser of parsers) {
    const date = chronoDateWith(parser, text, context);
    if (date) return date;
  }
  return undefined;
}

function chronoDateWith(parser: chrono.Chrono, text: string, context: DateContext): CalendarDate | undefined {
  // Noon local time on `today`: chrono reads the reference in the process's zone, and noon keeps
  // the calendar day whatever that zone is. Only calendar components are used below.
  const [y, m, d] = context.today.split('-').map(Number) as [number, number, number];
  const ref = new Date(y, m - 1, d, 12);
  const forward = parser.parse(text, ref, { forwardDate: true }).find(isDateResult);
  if (!forward) return undefined;
  const start = forward.start;
  const year = start.get('year');
  const date = calendarDate(year, start.get('month'), start.get('day'));
  // A reading more than a year away is the other language's text misread (`Dec 15` as 2015).
  if (!date || year === null || Math.abs(daysBetween(context.today, date)) > 366) return undefined;
  if (start.isCertain('day') && start.isCertain('month') && !start.isCertain('year')) {
    // A day and month alone mean the next one, unless that day went by within the last month:
    // then the person means the day just gone, and hears that it has passed.
    const lastYear = calendarDate(year - 1, start.get('month'), start.get('day'));
    const ago = lastYear ? daysBetween(lastYear, context.today) : Infinity;
    if (lastYear && ago > 0 && ago <= RECENT_PAST_DAYS) return lastYear;
    return date;
  }
  // "el miércoles" said on a Wednesday means next week's.
  if (date === context.today && !start.isCertain('day') && start.isCertain('weekday')) return addDays(date, 7);
  return date;
}

function isDateResult(result: chrono.ParsedResult): boolean {
  return result.start.isCertain('day') || result.start.isCertain('weekday') || result.start.isCertain('month');
}

/** `el 15`, `el día 15`, `on the 15th`, or a bare `15`: the next time that day comes. */
function dayOfMonth(norm: string, today: CalendarDate): CalendarDate | undefined {
  const m =
    /^(\d{1,2})(?:st|nd|rd|th)?$/.exec(norm) ??
    /\b(?:el|dia|on)\s+(\d{1,2})(?:st|nd|rd|th)?\b/.exec(norm) ??
    /\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b/.exec(norm);
  if (!m) return undefined;
  const day = Number(m[1]);
  if (day < 1 || day > 31) return undefined;
  let [y, mo] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  if (day < Number(today.slice(8, 10))) [y, mo] = mo === 12 ? [y + 1, 1] : [y, mo + 1];
  // A day the month lacks (31 in a 30-day month): the next month that has it.
  for (let i = 0; i < 3; i++) {
    const date = calendarDate(y, mo, day);
    if (date) return date;
    [y, mo] = mo === 12 ? [y + 1, 1] : [y, mo + 1];
  }
  return undefined;
}

function calendarDate(year: number | null, month: number | null, day: number | null): CalendarDate | undefined {
  if (year === null || month === null || day === null) return undefined;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return probe.toISOString().slice(0, 10);
}

function lastDayOfMonth(today: CalendarDate): CalendarDate {
  const next = `${today.slice(0, 8)}28`;
  let last = next;
  for (let d = addDays(next, 1); d.slice(0, 7) === today.slice(0, 7); d = addDays(d, 1)) last = d;
  return last;
}
