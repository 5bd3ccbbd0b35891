import { expect } from 'chai';
import { fastify, type FastifyInstance, type InjectOptions } from 'fastify';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { importsRoutes } from '../../../app/http/imports.route.js';
import type { Runtime } from '../../../app/runtime.js';
import { loadConfig } from '../../../core/infra/config.js';
import { clearCollections, useTestDatabase } from '../../support/database.js';

const HEADER = 'debtor_id,name,phone,language,invoice_id,amount,currency,issued_at,due_at,paid_amount,paid_at';
const CSV = [
  HEADER,
  'D1,"Muñoz, Íñigo",+525512345678,,I1,1500.00,MXN,2026-01-10,2026-02-10,500,2026-01-20',
  'D1,"Muñoz, Íñigo",+525512345678,,I2,250.50,MXN,2026-01-10,2026-02-10,,',
  'D2,Ann Lee,,en,I3,99.99,USD,2026-01-10,2026-01-09,,',
].join('\r\n');

const REPORT = {
  debtors: { created: 1, updated: 0, unchanged: 0 },
  invoices: { created: 2, updated: 0, unchanged: 0 },
  rejected: [{ row: 3, column: 'due_at', error: 'due_at 2026-01-09 is before issued_at 2026-01-10' }],
};

describe('POST /api/v1/imports', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  let app: FastifyInstance;

  beforeEach(async () => {
    await clearCollections(db());
    const runtime: Runtime = {
      config: loadConfig({ DEFAULT_LOCALE: 'es', DEFAULT_TIMEZONE: 'America/Bogota' }),
      db: db(),
      close: async () => undefined,
    };
    app = fastify();
    await app.register(importsRoutes, { runtime, prefix: '/api/v1' });
    await app.ready();
  });
  afterEach(() => app.close());

  const post = (payload: InjectOptions['payload'], contentType: string, query = '') =>
    app.inject({ method: 'POST', url: `/api/v1/imports${query}`, headers: { 'content-type': contentType }, payload });

  it('imports a CSV body and answers 200 with the report', async () => {
    const res = await post(CSV, 'text/csv');
    expect(res.statusCode, res.body).to.equal(200);
    expect(res.json()).to.deep.equal(REPORT);
    const debtor = await db().models.Debtor.findById('D1').lean();
    expect(debtor).to.include({ name: 'Muñoz, Íñigo', language: 'es', timezone: 'America/Bogota' });
    expect(await db().models.Payment.countDocuments()).to.equal(1);
  });

  it('streams a CSV body sent in small chunks, with a charset parameter', async () => {
    const bytes = Buffer.from(CSV, 'utf8');
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const res = await post(Readable.from(chunks), 'text/csv; charset=utf-8');
    expect(res.statusCode, res.body).to.equal(200);
    expect(res.json()).to.deep.equal(REPORT);
  });

  it('imports a JSON array of rows', async () => {
    const rows = [
      { debtor_id: 'D9', name: 'Zoë', invoice_id: 'J1', amount: 12.5, currency: 'USD', issued_at: '2026-01-01', due_at: '2026-01-31' },
      { debtor_id: 'D9', name: 'Zoë', invoice_id: 'J2', amount: '0', currency: 'USD', issued_at: '2026-01-01', due_at: '2026-01-31' },
    ];
    const res = await post(rows, 'application/json');
    expect(res.statusCode, res.body).to.equal(200);
    expect(res.json()).to.deep.equal({
      debtors: { created: 1, updated: 0, unchanged: 0 },
      invoices: { created: 1, updated: 0, unchanged: 0 },
      rejected: [{ row: 2, column: 'amount', error: 'amount must be more than 0: 0' }],
    });
    expect((await db().models.Invoice.findById('J1').lean())?.amount).to.equal(1250);
  });

  it('with ?dryRun=true reports the same and writes nothing', async () => {
    const dry = await post(CSV, 'text/csv', '?dryRun=true');
    expect(dry.statusCode, dry.body).to.equal(200);
    expect(dry.json()).to.deep.equal(REPORT);
    expect(await db().models.Debtor.countDocuments()).to.equal(0);
    expect(await db().models.Invoice.countDocuments()).to.equal(0);
    expect(await db().models.Payment.countDocuments()).to.equal(0);
  });

  it('answers 400 naming a missing required column and writes nothing', async () => {
    const res = await post(CSV.replace(',due_at', ''), 'text/csv');
    expect(res.statusCode).to.equal(400);
    expect(res.json()).to.deep.equal({ error: 'missing required column: due_at' });
    expect(await db().models.Debtor.countDocuments()).to.equal(0);
  });

  it('answers 400 when the first JSON row lacks a required key', async () => {
    const res = await post([{ debtor_id: 'D1', name: 'A', invoice_id: 'I1', amount: '1', currency: 'MXN', issued_at: '2026-01-01' }], 'application/json');
    expect(res.statusCode).to.equal(400);
    expect(res.json()).to.deep.equal({ error: 'missing required column: due_at' });
  });

  it('answers 400 for a JSON body that is not an array', async () => {
    const res = await post({ rows: [] }, 'application/json');
    expect(res.statusCode).to.equal(400);
    expect(res.json()).to.deep.equal({ error: 'the body must be a JSON array of row objects' });
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await post('[{"debtor_id": ', 'application/json');
    expect(res.statusCode).to.equal(400);
  });

  it('answers 400 for a CSV with broken quoting', async () => {
    const res = await post(`${HEADER}\nD1,"Ana"x,,,I1,1,MXN,2026-01-01,2026-01-02,,\n`, 'text/csv');
    expect(res.statusCode).to.equal(400);
    expect(res.json().error).to.match(/^not valid CSV: Invalid Closing Quote/);
  });

  it('answers 415 for another content type', async () => {
    const res = await post(CSV, 'text/plain');
    expect(res.statusCode).to.equal(415);
    expect(await db().models.Debtor.countDocuments()).to.equal(0);
  });

  it('answers a refused upload over a real connection while the body is still arriving, and keeps serving', async () => {
    // Shut down without waiting for the client's keep-alive connection.
    const served = fastify({ forceCloseConnections: true });
    await served.register(importsRoutes, { runtime: { config: loadConfig({}), db: db(), close: async () => undefined }, prefix: '/api/v1' });
    await served.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = served.server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/api/v1/imports`;
      const body = `${HEADER.replace(',due_at', '')}\n${'D1,Ana,,,I1,1,MXN,2026-01-01,,\n'.repeat(20_000)}`;
      const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body });
      expect(refused.status).to.equal(400);
      expect(await refused.json()).to.deep.equal({ error: 'missing required column: due_at' });
      const next = await fetch(`${url}?dryRun=true`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV, signal: AbortSignal.timeout(5000) });
      expect(next.status).to.equal(200);
      expect(await next.json()).to.deep.equal(REPORT);
    } finally {
      await served.close();
    }
  });
});
