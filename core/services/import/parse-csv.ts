import { finished } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { missingColumns } from './columns.js';
import { ImportFileError, MissingColumnError, ROW_PROBLEM } from './errors.js';

/** A record longer than this (an unclosed quote swallowing the file) is a broken file. */
const MAX_RECORD_CHARS = 1_000_000;

/**
 * Streams the rows of a CSV import file (CONTRACT.md section 3) as objects keyed by the
 * header's column names: UTF-8 with or without a BOM, CRLF or LF line ends, RFC 4180 quoting.
 * Throws {@link MissingColumnError} before yielding anything when the header lacks a required
 * column, and {@link ImportFileError} when the text is not CSV, after yielding every row
 * before the fault. A row with more values than the header carries a {@link ROW_PROBLEM} and is
 * rejected by the import; a shorter row leaves the trailing columns empty.
 *
 * Input is pulled a chunk at a time as rows are consumed, and is never destroyed here: an HTTP
 * request must stay open for the answer.
 *
 * @example
 * for await (const row of parseCsv(createReadStream('portfolio.csv'))) console.log(row.debtor_id);
 */
export async function* parseCsv(input: NodeJS.ReadableStream): AsyncIterable<Record<string, string>> {
  // Records are taken as they are parsed rather than read from the stream side: a parse error
  // destroys the stream and with it whatever records it still buffered.
  let parsed: string[][] = [];
  const parser = parse({
    bom: true,
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n'],
    max_record_size: MAX_RECORD_CHARS,
    on_record: (record: string[]) => {
      parsed.push(record);
      return null;
    },
  });
  const done = finished(parser).then(
    () => null,
    (error: unknown) => error,
  );
  parser.resume();
  const source = new ChunkReader(input);

  let header: string[] | undefined;
  try {
    for (;;) {
      const chunk = await source.next();
      if (chunk === null) parser.end();
      else parser.write(chunk);
      // csv-parse parses synchronously within write(); its flush may take a tick.
      const failure = chunk === null ? await done : parser.errored;
      const records = parsed;
      parsed = [];
      for (const record of records) {
        if (!header) {
          header = readHeader(record);
          continue;
        }
        yield toRow(header, record);
      }
      if (failure) throw failure;
      if (chunk === null) break;
    }
  } catch (error) {
    if (error instanceof CsvError) throw new ImportFileError(`not valid CSV: ${error.message}`, { cause: error });
    throw error;
  } finally {
    source.release();
    if (!parser.destroyed) parser.destroy();
  }
  if (!header) throw new MissingColumnError(missingColumns(() => false));
}

function readHeader(record: string[]): string[] {
  const header = record.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (name && seen.has(name)) throw new ImportFileError(`the header names the column ${name} twice`);
    seen.add(name);
  }
  const missing = missingColumns((column) => seen.has(column));
  if (missing.length) throw new MissingColumnError(missing);
  return header;
}

function toRow(header: readonly string[], record: readonly string[]): Record<string, string> {
  const row: Record<string, string> & { [ROW_PROBLEM]?: string } = {};
  for (let i = 0; i < header.length; i++) {
    const column = header[i];
    if (column) row[column] = record[i] ?? '';
  }
  if (record.length > header.length && record.slice(header.length).some((v) => v.trim() !== '')) {
    row[ROW_PROBLEM] = `the row has ${record.length} values but the header has ${header.length} columns (a comma in an unquoted value?)`;
  }
  return row;
}

/** Pulls chunks from a readable stream on demand, without taking ownership of it. */
class ChunkReader {
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  private readonly signal = () => {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.signal();
  };
  private readonly onError = (error: unknown) => {
    this.failure = error;
    this.signal();
  };

  constructor(private readonly input: NodeJS.ReadableStream) {
    input.on('readable', this.signal);
    input.on('end', this.onEnd);
    input.on('error', this.onError);
  }

  /** The next chunk, or null at the end of the stream. */
  async next(): Promise<string | Buffer | null> {
    for (;;) {
      if (this.failure) throw this.failure;
      const chunk = this.input.read();
      if (chunk !== null) return chunk;
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  release(): void {
    this.input.off('readable', this.signal);
    this.input.off('end', this.onEnd);
    this.input.off('error', this.onError);
  }
}
