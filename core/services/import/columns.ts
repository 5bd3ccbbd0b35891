/** Columns an import file must have (CONTRACT.md section 3). */
export const REQUIRED_COLUMNS = ['debtor_id', 'name', 'invoice_id', 'amount', 'currency', 'issued_at', 'due_at'] as const;

/** Columns describing the debtor; they repeat on each of the debtor's rows. */
export const DEBTOR_COLUMNS = [
  'debtor_id',
  'name',
  'phone',
  'email',
  'document_id',
  'language',
  'timezone',
  'country',
  'telegram_user_id',
] as const;

/** Columns describing the invoice of a row. */
export const INVOICE_COLUMNS = ['invoice_id', 'amount', 'currency', 'issued_at', 'due_at', 'paid_amount', 'paid_at'] as const;

/** Any column the import reads; others are ignored. */
export type ImportColumn = (typeof DEBTOR_COLUMNS)[number] | (typeof INVOICE_COLUMNS)[number];

/** The required columns missing from `present`, in contract order. */
export function missingColumns(present: (column: string) => boolean): string[] {
  return REQUIRED_COLUMNS.filter((column) => !present(column));
}
