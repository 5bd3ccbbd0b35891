import { parseCalendarDate, isTimeZone, type CalendarDate } from '../../domain/calendar-date.js';
import { isCurrency } from '../../domain/currency.js';
import { formatDecimal, parseDecimalToMinor } from '../../domain/money.js';
import { isCountry, normalizePhone, type E164 } from '../../domain/phone.js';
import { isLanguage, type Invoice, type Language } from '../../domain/portfolio.js';
import { DEBTOR_COLUMNS, type ImportColumn } from './columns.js';

/** Why one field of a row is refused; the row number is added by the caller. */
export interface FieldRejection {
  readonly column: string;
  readonly error: string;
}

/**
 * The debtor fields a row gives. An absent field means "not given": an existing debtor keeps
 * its stored value and a new one takes the default (see `mergeDebtor`).
 */
export interface DebtorInput {
  readonly debtorId: string;
  readonly name: string;
  readonly phone?: E164;
  readonly email?: string;
  readonly documentId?: string;
  readonly language?: Language;
  readonly timezone?: string;
  readonly country?: string;
  readonly telegramUserId?: string;
}

/** The invoice a row describes and what was paid on it before the import. */
export interface InvoiceInput {
  readonly invoice: Invoice;
  /** Minor units, 0 when nothing was paid. */
  readonly paidAmount: number;
  /** Set when `paidAmount` > 0. */
  readonly paidAt?: CalendarDate;
}

/** Outcome of parsing part of a row: a value, or every field that is wrong. */
export type RowPart<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly rejections: FieldRejection[] };

type Cell = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly rejection: FieldRejection };

const TELEGRAM_USER_ID = /^[1-9]\d{0,19}$/;

/**
 * Reads one cell as trimmed text. JSON rows may carry numbers; anything else (objects,
 * booleans) is refused rather than stringified into nonsense.
 */
export function cellText(row: Record<string, unknown>, column: ImportColumn): Cell {
  const value = Object.hasOwn(row, column) ? row[column] : undefined;
  if (value === undefined || value === null) return { ok: true, text: '' };
  if (typeof value === 'string') return { ok: true, text: value.trim() };
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, text: String(value) };
  if (typeof value === 'bigint') return { ok: true, text: String(value) };
  return { ok: false, rejection: { column, error: `not a text or a number: ${JSON.stringify(value) ?? String(value)}` } };
}

/** Reads cells of one row, collecting every refused or missing field in `rejections`. */
function fieldReader(row: Record<string, unknown>) {
  const rejections: FieldRejection[] = [];
  const text = (column: ImportColumn): string => {
    const cell = cellText(row, column);
    if (cell.ok) return cell.text;
    rejections.push(cell.rejection);
    return '';
  };
  const required = (column: ImportColumn): string => {
    const before = rejections.length;
    const value = text(column);
    if (!value && rejections.length === before) rejections.push({ column, error: `${column} is required` });
    return value;
  };
  return { rejections, text, required };
}

/**
 * A key equal for two rows exactly when their debtor cells are equal, so a debtor repeated on
 * many rows is validated and compared once. Undefined when a cell is not text.
 */
export function debtorKey(row: Record<string, unknown>): string | undefined {
  const texts: string[] = [];
  for (const column of DEBTOR_COLUMNS) {
    const cell = cellText(row, column);
    if (!cell.ok) return undefined;
    texts.push(cell.text);
  }
  return JSON.stringify(texts);
}

/** Parses and validates rows of an import file; memoises the costly checks (time zones). */
export class RowParser {
  private readonly timeZones = new Map<string, boolean>();

  /** The debtor part of a row: every invalid debtor field, or the fields given. */
  parseDebtor(row: Record<string, unknown>): RowPart<DebtorInput> {
    const { rejections, text, required } = fieldReader(row);

    const debtorId = required('debtor_id');
    const name = required('name');
    const email = text('email');
    const documentId = text('document_id');

    const languageText = text('language').toLowerCase();
    let language: Language | undefined;
    if (languageText) {
      if (isLanguage(languageText)) language = languageText;
      else rejections.push({ column: 'language', error: `language must be es or en: ${languageText}` });
    }

    const timezone = text('timezone');
    if (timezone && !this.isTimeZone(timezone)) rejections.push({ column: 'timezone', error: `unknown time zone: ${timezone}` });

    const country = text('country').toUpperCase();
    const countryOk = !country || isCountry(country);
    if (!countryOk) rejections.push({ column: 'country', error: `not an ISO 3166-1 alpha-2 country code: ${country}` });

    const phoneText = text('phone');
    let phone: E164 | undefined;
    // National digits need a valid country: with a bad one only the country is reported.
    if (phoneText && (countryOk || phoneText.startsWith('+'))) {
      const parsed = normalizePhone(phoneText, countryOk && country ? country : undefined);
      if (parsed.ok) phone = parsed.value;
      else rejections.push({ column: 'phone', error: parsed.reason });
    }

    const telegramUserId = text('telegram_user_id');
    if (telegramUserId && !TELEGRAM_USER_ID.test(telegramUserId)) {
      rejections.push({ column: 'telegram_user_id', error: `not a numeric Telegram user id: ${telegramUserId}` });
    }

    if (rejections.length) return { ok: false, rejections };
    return {
      ok: true,
      value: {
        debtorId,
        name,
        ...(phone ? { phone } : {}),
        ...(email ? { email } : {}),
        ...(documentId ? { documentId } : {}),
        ...(language ? { language } : {}),
        ...(timezone ? { timezone } : {}),
        ...(country ? { country } : {}),
        ...(telegramUserId ? { telegramUserId } : {}),
      },
    };
  }

  /** The invoice part of a row: every invalid invoice field, or the invoice and its prior payment. */
  parseInvoice(row: Record<string, unknown>, debtorId: string): RowPart<InvoiceInput> {
    const { rejections, text, required } = fieldReader(row);
    const date = (column: ImportColumn, value: string): CalendarDate | undefined => {
      if (!value) return undefined;
      const parsed = parseCalendarDate(value);
      if (parsed.ok) return parsed.value;
      rejections.push({ column, error: parsed.reason });
      return undefined;
    };

    const invoiceId = required('invoice_id');
    const currencyText = required('currency').toUpperCase();
    const currency = currencyText && isCurrency(currencyText) ? currencyText : undefined;
    if (currencyText && !currency) rejections.push({ column: 'currency', error: `unknown currency: ${currencyText}` });

    // Amounts are judged in their currency's minor units: with an unknown currency only the
    // currency is reported.
    const amountText = required('amount');
    let amount: number | undefined;
    if (amountText && currency) {
      const parsed = parseDecimalToMinor(amountText, currency);
      if (!parsed.ok) rejections.push({ column: 'amount', error: parsed.reason });
      else if (parsed.value <= 0) rejections.push({ column: 'amount', error: `amount must be more than 0: ${amountText}` });
      else amount = parsed.value;
    }

    const issuedAt = date('issued_at', required('issued_at'));
    const dueAt = date('due_at', required('due_at'));
    if (issuedAt && dueAt && dueAt < issuedAt) {
      rejections.push({ column: 'due_at', error: `due_at ${dueAt} is before issued_at ${issuedAt}` });
    }

    const paidText = text('paid_amount');
    let paidAmount = 0;
    if (paidText && currency) {
      const parsed = parseDecimalToMinor(paidText, currency);
      if (!parsed.ok) rejections.push({ column: 'paid_amount', error: parsed.reason });
      else if (parsed.value < 0) rejections.push({ column: 'paid_amount', error: `paid_amount must not be negative: ${paidText}` });
      else if (amount !== undefined && parsed.value > amount) {
        rejections.push({
          column: 'paid_amount',
          error: `paid_amount ${paidText} is more than amount ${formatDecimal(amount, currency)}`,
        });
      } else paidAmount = parsed.value;
    }
    const paidAt = date('paid_at', text('paid_at'));
    if (paidAmount > 0 && !paidAt && !rejections.some((r) => r.column === 'paid_at')) {
      rejections.push({ column: 'paid_at', error: `paid_at is required when paid_amount is more than 0 (paid_amount ${paidText})` });
    }

    if (rejections.length || !currency || amount === undefined || !issuedAt || !dueAt) return { ok: false, rejections };
    return {
      ok: true,
      value: {
        invoice: { invoiceId, debtorId, amount, currency, issuedAt, dueAt },
        paidAmount,
        ...(paidAmount > 0 && paidAt ? { paidAt } : {}),
      },
    };
  }

  private isTimeZone(zone: string): boolean {
    let known = this.timeZones.get(zone);
    if (known === undefined) {
      // Intl.DateTimeFormat is costly to build; a portfolio uses few zones.
      known = isTimeZone(zone);
      this.timeZones.set(zone, known);
    }
    return known;
  }
}
