/** What replaces a card number in stored text. Carries no digit of the number. */
export const CARD_REDACTED = '[card redacted]';

/** Shortest and longest primary account numbers (ISO/IEC 7812). */
const MIN_PAN_DIGITS = 13;
const MAX_PAN_DIGITS = 19;

/**
 * Digit runs where single spaces or dashes may separate digits (`4111 1111-1111 1111`). A run
 * right after `+` is a phone in E.164 writing, never a card: without this rule one phone in
 * ten of 13 to 15 digits would pass the Luhn check and be lost from the transcript.
 */
const DIGIT_RUN = /(?<![\d+])\d(?:[ -]?\d)*/g;

/** True when `digits` (only 0-9) passes the Luhn checksum. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function isCardNumber(digits: string): boolean {
  return digits.length >= MIN_PAN_DIGITS && digits.length <= MAX_PAN_DIGITS && isLuhnValid(digits);
}

/**
 * The spans of a digit run that are card numbers: the whole run, or else groups of it (split
 * at its separators) that are, taken longest first from the left, so that two cards typed one
 * after the other, or a card followed by an amount, are still found.
 */
function cardSpans(run: string): { start: number; end: number }[] {
  const digits = run.replace(/[ -]/g, '');
  if (isCardNumber(digits)) return [{ start: 0, end: run.length }];
  const groups: { start: number; end: number; digits: string }[] = [];
  for (const m of run.matchAll(/\d+/g)) groups.push({ start: m.index, end: m.index + m[0].length, digits: m[0] });
  const spans: { start: number; end: number }[] = [];
  let i = 0;
  while (i < groups.length) {
    let found = -1;
    let joined = '';
    for (let j = i; j < groups.length; j++) {
      joined += groups[j]!.digits;
      if (joined.length > MAX_PAN_DIGITS) break;
      if (isCardNumber(joined)) found = j;
    }
    if (found >= 0) {
      spans.push({ start: groups[i]!.start, end: groups[found]!.end });
      i = found + 1;
    } else {
      i++;
    }
  }
  return spans;
}

/**
 * Replaces every card number in `text` with {@link CARD_REDACTED} (DESIGN.md section 3: card
 * numbers typed into a chat never reach storage). A card number is 13 to 19 digits, possibly
 * separated by single spaces or dashes, that passes the Luhn check; other numbers (phones,
 * amounts, references, a 16-digit number failing Luhn) are kept as written.
 *
 * @example
 * redactCardNumbers('mi tarjeta es 4111 1111 1111 1111'); // 'mi tarjeta es [card redacted]'
 * redactCardNumbers('llámame al +52 55 1234 5678');       // unchanged
 */
export function redactCardNumbers(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(DIGIT_RUN)) {
    for (const span of cardSpans(m[0])) {
      out += text.slice(last, m.index + span.start) + CARD_REDACTED;
      last = m.index + span.end;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}
