import type { CalendarDate } from '../domain/calendar-date.js';
import type { Language } from '../domain/portfolio.js';
import type { PortfolioStore } from '../ports/portfolio-store.port.js';
import { demoPortfolioRows } from './demo-portfolio.js';
import { importPortfolio } from './import-portfolio.js';

/** What {@link seedDemo} reports: the import report of CONTRACT.md section 3. */
export type DemoSeedReport = Awaited<ReturnType<typeof importPortfolio>>;

/**
 * Imports the demo portfolio ({@link demoPortfolioRows}) through the ordinary import use case,
 * so the demo obeys exactly the rules a real portfolio does. Idempotent: seeding twice changes
 * nothing the second time (as long as `today` is the same day).
 *
 * Callers decide whether to seed: `npm start` only into an empty embedded database, never into
 * one named by `MONGODB_URI`; `cobrabot demo seed` wherever it is pointed.
 */
export async function seedDemo(
  store: PortfolioStore,
  today: CalendarDate,
  defaults: { readonly language: Language; readonly timezone: string },
): Promise<DemoSeedReport> {
  return importPortfolio(demoPortfolioRows(today), store, { defaults: { language: defaults.language, timezone: defaults.timezone } });
}
