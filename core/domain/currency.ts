/**
 * ISO 4217 currencies and their minor-unit digits.
 *
 * Intl knows which codes exist, but its digits follow CLDR display habits (COP and CLP differ
 * from ISO), so the exponent comes from ISO 4217 itself: 2 unless listed here.
 */
const EXPONENT_EXCEPTIONS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
  UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Codes that are not currencies one can invoice in (precious metals, testing, fund codes). */
const NOT_INVOICEABLE = new Set(['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX']);

const KNOWN: ReadonlySet<string> = new Set(
  [...Intl.supportedValuesOf('currency'), ...Object.keys(EXPONENT_EXCEPTIONS)].filter((c) => !NOT_INVOICEABLE.has(c)),
);

/** An ISO 4217 alphabetic code such as `MXN`. */
export type CurrencyCode = string;

/** True when `code` is an upper-case ISO 4217 code of a currency that can be invoiced. */
export function isCurrency(code: string): code is CurrencyCode {
  return /^[A-Z]{3}$/.test(code) && KNOWN.has(code);
}

/** Number of minor-unit digits of a currency (MXN 2, CLP 0, KWD 3). */
export function minorUnitDigits(code: CurrencyCode): number {
  return EXPONENT_EXCEPTIONS[code] ?? 2;
}
