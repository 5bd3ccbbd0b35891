import type { Command } from 'commander';
import { calendarDateIn } from '../../core/domain/calendar-date.js';
import { MongoLedgerReader } from '../../core/infra/mongo-ledger-reader.js';
import { parseKpiQuery } from '../../core/kpis/kpi-query.js';
import { computeKpiReport } from '../../core/services/kpi-report.js';
import { CliError, reportFailure, withRuntime } from './run-action.js';

const FLAGS = { asOf: '--as-of', currency: '--currency' } as const;

/**
 * `cobrabot kpis [--as-of YYYY-MM-DD] [--currency CUR]`: prints the KPI report of CONTRACT.md
 * section 4 as JSON on stdout. The as-of date defaults to today in DEFAULT_TIMEZONE.
 */
export function kpisCommand(program: Command): void {
  program
    .command('kpis')
    .description('Print the collection KPIs as JSON: one object per currency, or the one asked for.')
    .option('--as-of <date>', 'as-of calendar date, YYYY-MM-DD (default: today in DEFAULT_TIMEZONE)')
    .option('--currency <code>', 'only this currency, ISO 4217 (e.g. MXN)')
    .action(async (options: { asOf?: string; currency?: string }) => {
      // Checked before the database starts: a typo should not cost a FerretDB start-up.
      const parsed = parseKpiQuery(options);
      if (!parsed.ok) {
        reportFailure(new CliError(`${FLAGS[parsed.field]}: ${parsed.reason}`, 'KPIS_BAD_ARGUMENT'));
        return;
      }
      const { currency } = parsed.value;
      await withRuntime(async (runtime) => {
        const asOf = parsed.value.asOf ?? calendarDateIn(new Date(), runtime.config.defaultTimezone);
        const reader = new MongoLedgerReader(runtime.db.models);
        const report = currency ? await computeKpiReport(reader, { asOf, currency }) : await computeKpiReport(reader, { asOf });
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      });
    });
}
