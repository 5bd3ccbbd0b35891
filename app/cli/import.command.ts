import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { MongoPortfolioStore } from '../../core/infra/mongo-portfolio-store.js';
import { ImportFileError, importPortfolio, MissingColumnError, parseCsv } from '../../core/services/import-portfolio.js';
import { CliError, reportFailure, withRuntime } from './run-action.js';

type Format = 'csv' | 'json';

/** Refuses a file the import cannot read before the database is started for it. */
async function checkFile(file: string): Promise<Format> {
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.csv' && extension !== '.json') {
    throw new CliError(`${file}: unsupported file type; give a .csv or .json file`, 'IMPORT_BAD_FILE');
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new CliError(`cannot read ${file}: not a file`, 'IMPORT_BAD_FILE');
  } catch (error) {
    if (isFsError(error)) throw new CliError(`cannot read ${file}: ${error.message}`, 'IMPORT_BAD_FILE');
    throw error;
  }
  return extension === '.csv' ? 'csv' : 'json';
}

async function readJsonRows(file: string): Promise<Record<string, unknown>[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new CliError(`${file} is not valid JSON: ${error.message}`, 'IMPORT_BAD_FILE');
    if (isFsError(error)) throw new CliError(`cannot read ${file}: ${error.message}`, 'IMPORT_BAD_FILE');
    throw error;
  }
  if (!Array.isArray(parsed)) throw new CliError(`${file} must hold a JSON array of row objects`, 'IMPORT_BAD_FILE');
  return parsed as Record<string, unknown>[];
}

function isFsError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * `cobrabot import FILE [--dry-run]`: imports a portfolio (CONTRACT.md section 3) from a
 * `.csv` file (streamed) or a `.json` array of row objects, and prints the report as JSON on
 * stdout. Exit 0 even when rows were rejected (the report lists them); exit 1 with one line
 * on stderr when the file cannot be read, is not CSV/JSON, or lacks a required column.
 */
export function importCommand(program: Command): void {
  program
    .command('import')
    .description('Import a portfolio from a CSV or JSON file and print the report as JSON.')
    .argument('<file>', 'a .csv file with a header row, or a .json array of row objects')
    .option('--dry-run', 'check and count without writing anything')
    .action(async (file: string, options: { dryRun?: boolean }) => {
      let format: Format;
      try {
        format = await checkFile(file);
      } catch (error) {
        reportFailure(error);
        return;
      }
      await withRuntime(async (runtime) => {
        const store = new MongoPortfolioStore(runtime.db.models);
        const importOptions = {
          dryRun: options.dryRun === true,
          defaults: { language: runtime.config.defaultLocale, timezone: runtime.config.defaultTimezone },
        };
        const input = format === 'csv' ? createReadStream(file) : undefined;
        try {
          const rows = input ? parseCsv(input) : await readJsonRows(file);
          const report = await importPortfolio(rows, store, importOptions);
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } catch (error) {
          if (error instanceof MissingColumnError || error instanceof ImportFileError) {
            throw new CliError(`${file}: ${error.message}`, error.code);
          }
          if (isFsError(error)) throw new CliError(`cannot read ${file}: ${error.message}`, 'IMPORT_BAD_FILE');
          throw error;
        } finally {
          input?.destroy();
        }
      });
    });
}
