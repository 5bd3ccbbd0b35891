import { parseCalendarDate, type CalendarDate } from '../domain/calendar-date.js';
import { isCurrency, type CurrencyCode } from '../domain/currency.js';

/** A KPI request as typed by a person: `asOf` and `currency` as given, either may be absent. */
export interface KpiQueryInput {
  readonly asOf?: unknown;
  readonly currency?: unknown;
}

/** A checked KPI request; `asOf` absent means "today" for the caller to fill in. */
export interface KpiQuery {
  readonly asOf?: CalendarDate;
  readonly currency?: CurrencyCode;
}

/** Outcome of {@link parseKpiQuery}: the query, or which field is wrong and why. */
export type ParsedKpiQuery = { ok: true; value: KpiQuery } | { ok: false; field: 'asOf' | 'currency'; reason: string };

/**
 * Checks the as-of date (`YYYY-MM-DD`, a real day) and the currency (an ISO 4217 code, any
 * letter case) shared by `cobrabot kpis` and `GET /api/v1/kpis`. Each entry point names the
 * field its own way (`--as-of`, `asOf`).
 */
export function parseKpiQuery(input: KpiQueryInput): ParsedKpiQuery {
  let asOf: CalendarDate | undefined;
  if (input.asOf !== undefined) {
    if (typeof input.asOf !== 'string') return { ok: false, field: 'asOf', reason: 'give one date, YYYY-MM-DD' };
    const date = parseCalendarDate(input.asOf);
    if (!date.ok) return { ok: false, field: 'asOf', reason: date.reason };
    asOf = date.value;
  }
  let currency: CurrencyCode | undefined;
  if (input.currency !== undefined) {
    if (typeof input.currency !== 'string') return { ok: false, field: 'currency', reason: 'give one ISO 4217 code such as MXN' };
    const code = input.currency.trim().toUpperCase();
    if (!isCurrency(code)) return { ok: false, field: 'currency', reason: `not an ISO 4217 currency code: ${input.currency}` };
    currency = code;
  }
  return { ok: true, value: { ...(asOf ? { asOf } : {}), ...(currency ? { currency } : {}) } };
}
