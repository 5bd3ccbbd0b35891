import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../core/infra/database.js';
import type { DebtorDoc, InvoiceDoc, PaymentDoc } from '../core/infra/models.js';
import { MongoPortfolioStore } from '../core/infra/mongo-portfolio-store.js';
import { importPortfolio, parseCsv } from '../core/services/import-portfolio.js';
import { measure, startBenchDatabase } from './support.js';

const DEBTORS = 25_000;
const INVOICES_PER_DEBTOR = 4;
const ROWS = DEBTORS * INVOICES_PER_DEBTOR;
const BATCH = 1000;

const COLUMNS = [
  'debtor_id', 'name', 'phone', 'email', 'document_id', 'language', 'timezone', 'country', 'telegram_user_id',
  'invoice_id', 'amount', 'currency', 'issued_at', 'due_at', 'paid_amount', 'paid_at',
] as const;

const FIRST = ['María', 'José', 'Ana', 'Íñigo', 'Zoë', 'Ramón', 'Begoña', 'John', 'Mary', 'Ñusta'];
const LAST = ['García', 'Núñez', 'Peña', "O'Brien", 'Smith', 'Ibáñez', 'López, hijo', 'Müller'];

/** One generated portfolio row, with the documents the import should make of it. */
interface Generated {
  readonly cells: Record<(typeof COLUMNS)[number], string>;
  readonly debtor?: DebtorDoc;
  readonly invoice: InvoiceDoc;
  readonly payment?: PaymentDoc;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Row `k` of debtor `d`: deterministic; a quarter of debtors in USD, a third of first invoices partly paid. */
function generate(d: number, k: number, now: Date): Generated {
  const usd = d % 4 === 0;
  const debtorId = `D${String(d).padStart(6, '0')}`;
  const name = `${FIRST[d % FIRST.length]} ${LAST[(d * 7) % LAST.length]}`;
  const local = String(10_000_000 + ((d * 7919) % 89_999_999)).slice(0, 8);
  const e164 = usd ? `+1212${200 + (d % 700)}${local.slice(0, 4)}` : `+5255${local}`;
  // A third of Mexican debtors give national digits and rely on the country column.
  const phone = !usd && d % 3 === 0 ? e164.slice(3) : e164;
  const telegram = d % 5 === 0 ? String(100_000_000 + d) : '';
  const invoiceId = `F${String(d).padStart(6, '0')}-${k}`;
  const minor = 10_000 + ((d * 37 + k * 101) % 9_000_000);
  const amount = `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
  const issuedAt = addDays('2025-01-01', (d + k * 30) % 365);
  const dueAt = addDays(issuedAt, 30);
  const paid = k === 0 && d % 3 === 0;
  const paidMinor = Math.floor(minor / 2);
  const paidAt = addDays(issuedAt, 5);
  const currency = usd ? 'USD' : 'MXN';
  const cells = {
    debtor_id: debtorId,
    name,
    phone,
    email: `d${d}@example.com`,
    document_id: `DOC${d}X${d % 10}`,
    language: usd ? 'en' : 'es',
    timezone: usd ? 'America/New_York' : 'America/Mexico_City',
    country: usd ? 'US' : 'MX',
    telegram_user_id: telegram,
    invoice_id: invoiceId,
    amount,
    currency,
    issued_at: issuedAt,
    due_at: dueAt,
    paid_amount: paid ? `${Math.floor(paidMinor / 100)}.${String(paidMinor % 100).padStart(2, '0')}` : '',
    paid_at: paid ? paidAt : '',
  };
  const debtor: DebtorDoc | undefined =
    k === 0
      ? {
          _id: debtorId,
          name,
          phone: e164,
          email: cells.email,
          documentId: cells.document_id,
          language: cells.language,
          timezone: cells.timezone,
          country: cells.country,
          ...(telegram ? { telegramUserId: telegram } : {}),
          createdAt: now,
          updatedAt: now,
        }
      : undefined;
  const invoice: InvoiceDoc = { _id: invoiceId, debtorId, amount: minor, currency, issuedAt, dueAt, createdAt: now, updatedAt: now };
  const payment: PaymentDoc | undefined = paid
    ? { _id: `import:${invoiceId}:0`, invoiceId, debtorId, amount: paidMinor, currency, paidAt, source: 'import', recordedAt: now }
    : undefined;
  return { cells, invoice, ...(debtor ? { debtor } : {}), ...(payment ? { payment } : {}) };
}

function* portfolio(now: Date): Generator<Generated> {
  for (let d = 0; d < DEBTORS; d++) for (let k = 0; k < INVOICES_PER_DEBTOR; k++) yield generate(d, k, now);
}

function csvLine(values: readonly string[]): string {
  return `${values.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')}\n`;
}

async function writeCsv(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write(csvLine(COLUMNS));
  for (const { cells } of portfolio(new Date())) {
    if (!out.write(csvLine(COLUMNS.map((c) => cells[c])))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The baseline: the same documents, inserted with plain insertMany in batches. */
async function bareInsert(db: Database): Promise<{ debtors: number; invoices: number; payments: number }> {
  const native = db.connection.db;
  if (!native) throw new Error('bench: database not connected');
  const debtors = native.collection<DebtorDoc>('debtors');
  const invoices = native.collection<InvoiceDoc>('invoices');
  const payments = native.collection<PaymentDoc>('payments');
  const batch = { debtors: [] as DebtorDoc[], invoices: [] as InvoiceDoc[], payments: [] as PaymentDoc[] };
  const counts = { debtors: 0, invoices: 0, payments: 0 };
  const flush = async (all: boolean) => {
    if (batch.debtors.length >= BATCH || (all && batch.debtors.length)) {
      counts.debtors += (await debtors.insertMany(batch.debtors.splice(0))).insertedCount;
    }
    if (batch.invoices.length >= BATCH || (all && batch.invoices.length)) {
      counts.invoices += (await invoices.insertMany(batch.invoices.splice(0))).insertedCount;
    }
    if (batch.payments.length >= BATCH || (all && batch.payments.length)) {
      counts.payments += (await payments.insertMany(batch.payments.splice(0))).insertedCount;
    }
  };
  for (const row of portfolio(new Date())) {
    if (row.debtor) batch.debtors.push(row.debtor);
    batch.invoices.push(row.invoice);
    if (row.payment) batch.payments.push(row.payment);
    await flush(false);
  }
  await flush(true);
  return counts;
}

const mib = (n: number) => `${n.toFixed(0)} MiB`;
const perSecond = (ms: number) => ROWS / (ms / 1000);

/**
 * Import of a generated 100k-row CSV (25k debtors x 4 invoices, MXN and USD, a twelfth of the
 * invoices partly paid) into a fresh database, against a bare insertMany of the same documents
 * into another fresh database on the same FerretDB, in the same run.
 */
export async function run(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cobrabot-import-bench-'));
  const bench = await startBenchDatabase();
  try {
    const file = path.join(dir, 'portfolio.csv');
    await writeCsv(file);

    const importDb = await bench.open('bench_import');
    const imported = await measure(() =>
      importPortfolio(parseCsv(createReadStream(file)), new MongoPortfolioStore(importDb.models), {
        defaults: { language: 'es', timezone: 'America/Mexico_City' },
      }),
    );
    const report = imported.result;
    if (report.rejected.length || report.invoices.created !== ROWS || report.debtors.created !== DEBTORS) {
      throw new Error(`bench: unexpected import report ${JSON.stringify({ ...report, rejected: report.rejected.slice(0, 3) })}`);
    }
    const payments = await importDb.models.Payment.countDocuments();

    const insertDb = await bench.open('bench_insert');
    const inserted = await measure(() => bareInsert(insertDb));
    if (inserted.result.invoices !== ROWS || inserted.result.payments !== payments) {
      throw new Error(`bench: baseline wrote ${JSON.stringify(inserted.result)}, the import ${payments} payments`);
    }

    const a = perSecond(imported.ms);
    const b = perSecond(inserted.ms);
    return [
      `rows: ${ROWS} (${DEBTORS} debtors, ${ROWS} invoices, ${payments} payment entries), CSV ${mib(statSync(file).size / 2 ** 20)}`,
      `(a) importPortfolio, CSV file stream -> fresh db: ${(imported.ms / 1000).toFixed(2)} s, ${a.toFixed(0)} rows/s, peak RSS ${mib(imported.peakRssMiB)}, peak heap ${mib(imported.peakHeapMiB)}`,
      `(b) bare insertMany x${BATCH} of the same documents:  ${(inserted.ms / 1000).toFixed(2)} s, ${b.toFixed(0)} rows/s, peak RSS ${mib(inserted.peakRssMiB)}, peak heap ${mib(inserted.peakHeapMiB)}`,
      `ratio (a)/(b) in rows/s: ${(a / b).toFixed(2)} (goal >= 0.5)`,
    ].join('\n');
  } finally {
    await bench.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
