import type { FastifyInstance } from 'fastify';
import { calendarDateIn } from '../../core/domain/calendar-date.js';
import { MongoLedgerReader } from '../../core/infra/mongo-ledger-reader.js';
import { parseKpiQuery } from '../../core/kpis/kpi-query.js';
import { computeKpiReport } from '../../core/services/kpi-report.js';
import type { RouteOptions } from './route-options.js';

/**
 * `GET /api/v1/kpis?asOf=YYYY-MM-DD&currency=CUR`: the KPI report as JSON, the same as
 * `cobrabot kpis`. `asOf` defaults to today in DEFAULT_TIMEZONE. A bad parameter gets 400
 * `{ "error": "asOf: ..." }`. Authentication is the enclosing scope's business.
 * The server mounts this plugin under its `/api/v1` admin scope.
 */
export async function kpisRoutes(app: FastifyInstance, opts: RouteOptions): Promise<void> {
  app.get<{ Querystring: Record<string, unknown> }>('/kpis', async (request, reply) => {
    const parsed = parseKpiQuery({ asOf: request.query.asOf, currency: request.query.currency });
    if (!parsed.ok) return reply.code(400).send({ error: `${parsed.field}: ${parsed.reason}` });
    const { runtime } = opts;
    const asOf = parsed.value.asOf ?? calendarDateIn(new Date(), runtime.config.defaultTimezone);
    const reader = new MongoLedgerReader(runtime.db.models);
    const report = parsed.value.currency
      ? await computeKpiReport(reader, { asOf, currency: parsed.value.currency })
      : await computeKpiReport(reader, { asOf });
    return reply.header('cache-control', 'no-store').send(report);
  });
}
