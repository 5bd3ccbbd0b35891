/**
 * The file lacks a required column: the whole file is refused before anything is written.
 * The message names the column(s): `missing required column: due_at`.
 */
export class MissingColumnError extends Error {
  readonly code = 'IMPORT_MISSING_COLUMN';
  readonly columns: string[];

  constructor(columns: string[]) {
    super(`missing required column${columns.length > 1 ? 's' : ''}: ${columns.join(', ')}`);
    this.name = 'MissingColumnError';
    this.columns = columns;
  }
}

/**
 * The file cannot be read as rows (broken CSV quoting, a duplicated header). Rows before the
 * fault were imported (a re-import of the fixed file completes the rest); none after it.
 */
export class ImportFileError extends Error {
  readonly code = 'IMPORT_INVALID_FILE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImportFileError';
  }
}

/**
 * A row-level fault found while reading the file (more values than the header has), attached
 * to the row under this symbol so that row numbering stays with the reader.
 */
export const ROW_PROBLEM: unique symbol = Symbol('cobrabot.import.rowProblem');

/** A row as the reader yields it, possibly carrying a {@link ROW_PROBLEM}. */
export type ReadRow = Record<string, unknown> & { [ROW_PROBLEM]?: string };
