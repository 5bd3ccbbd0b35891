import type { Command } from 'commander';
import { calendarDateIn, parseCalendarDate } from '../../core/domain/calendar-date.js';
import { MongoPortfolioStore } from '../../core/infra/mongo-portfolio-store.js';
import { seedDemo } from '../../core/services/seed-demo.js';
import { CliError, withRuntime } from './run-action.js';

/**
 * `cobrabot demo seed [--as-of YYYY-MM-DD]`: imports the demo portfolio into whatever database
 * is configured, `MONGODB_URI` included (that is the point: `npm start` never seeds it), and
 * prints the import report.
 */
export function demoCommand(program: Command): void {
  const demo = program.command('demo').description('The demo portfolio');
  demo
    .command('seed')
    .description('Import the demo portfolio (24 invented debtors, MXN and USD) into the configured database, MONGODB_URI included')
    .option('--as-of <date>', 'date the demo is relative to, YYYY-MM-DD (default: today in DEFAULT_TIMEZONE)')
    .action((opts: { asOf?: string }) =>
      withRuntime(async ({ config, db }) => {
        let today = calendarDateIn(new Date(), config.defaultTimezone);
        if (opts.asOf !== undefined) {
          const parsed = parseCalendarDate(opts.asOf);
          if (!parsed.ok) throw new CliError(`--as-of: ${parsed.reason}`, 'BAD_OPTION');
          today = parsed.value;
        }
        const report = await seedDemo(new MongoPortfolioStore(db.models), today, {
          language: config.defaultLocale,
          timezone: config.defaultTimezone,
        });
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      }),
    );
}
