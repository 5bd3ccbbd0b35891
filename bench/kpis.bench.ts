import { readdirSync, readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import type { Document } from 'mongodb';
import { addDays } from '../core/domain/calendar-date.js';
import { MongoLedgerReader } from '../core/infra/mongo-ledger-reader.js';
import type { Database } from '../core/infra/database.js';
import type { LedgerReader } from '../core/ports/ledger-reader.port.js';
import { computeKpiReport } from '../core/services/kpi-report.js';
import { measure, startBenchDatabase } from './support.js';

/**
 * KPIs over 100k invoices against one plain cursor read of the same invoices, same database,
 * same run. Goal (issue 2): the report takes at most 1.5x the plain read.
 */
const INVOICES = 100_000;
const DEBTORS = 25_000;
const AS_OF = '2026-03-31';
const INSERT_BATCH = 5_000;

/** Deterministic PRNG (mulberry32): the same portfolio every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Portfolio {
  invoices: Document[];
  payments: Document[];
}

/**
 * About 25k debtors (70% MXN, 30% USD), 4 invoices each on average, issued over the 18 months
 * before D (a few after it); half paid in full (some in two instalments, a few with a reversal
 * and a re-payment), 15% partly paid, the rest unpaid, so current, overdue and long-overdue all
 * occur. Some payments fall after D.
 */
function* portfolioBatches(): Generator<Portfolio> {
  const rand = prng(20260331);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const now = new Date('2026-04-01T12:00:00Z');
  let batch: Portfolio = { invoices: [], payments: [] };
  for (let n = 0; n < INVOICES; n++) {
    const debtor = n % DEBTORS;
    const currency = debtor % 10 < 7 ? 'MXN' : 'USD';
    const amount = currency === 'MXN' ? int(100_00, 20_000_00) : int(10_00, 2_000_00);
    const issuedAt = addDays(AS_OF, rand() < 0.01 ? int(1, 20) : -int(0, 540));
    const dueAt = addDays(issuedAt, [15, 30, 30, 45, 60][int(0, 4)]!);
    const invoiceId = `INV-${String(n).padStart(7, '0')}`;
    const debtorId = `D-${String(debtor).padStart(6, '0')}`;
    batch.invoices.push({ _id: invoiceId, debtorId, amount, currency, issuedAt, dueAt, createdAt: now, updatedAt: now });
    let seq = 0;
    const pay = (value: number, paidAt: string) =>
      batch.payments.push({
        _id: `${invoiceId}:${seq++}`,
        invoiceId,
        debtorId,
        amount: value,
        currency,
        paidAt,
        source: 'import',
        recordedAt: now,
      });
    const roll = rand();
    if (roll < 0.5) {
      const paidAt = addDays(dueAt, int(-20, 60));
      if (rand() < 0.2) {
        const first = Math.floor(amount / 2);
        pay(first, addDays(paidAt, -15));
        pay(amount - first, paidAt);
      } else if (rand() < 0.03) {
        pay(amount, paidAt);
        pay(-amount, paidAt);
        pay(amount, addDays(paidAt, 7));
      } else {
        pay(amount, paidAt);
      }
    } else if (roll < 0.65) {
      pay(Math.floor(amount * (0.2 + 0.6 * rand())), addDays(issuedAt, int(0, 90)));
    }
    if (batch.invoices.length === INSERT_BATCH) {
      yield batch;
      batch = { invoices: [], payments: [] };
    }
  }
  if (batch.invoices.length) yield batch;
}

/** Inserts the bench portfolio into `db` (exported for ad-hoc experiments). */
export async function seedInto(db: Database): Promise<{ invoices: number; payments: number }> {
  const invoices = db.models.Invoice.collection;
  const payments = db.models.Payment.collection;
  let counts = { invoices: 0, payments: 0 };
  for (const batch of portfolioBatches()) {
    await invoices.insertMany(batch.invoices, { ordered: false });
    if (batch.payments.length) await payments.insertMany(batch.payments, { ordered: false });
    counts = { invoices: counts.invoices + batch.invoices.length, payments: counts.payments + batch.payments.length };
  }
  return counts;
}

/** A full collection, so each measurement starts from the same heap. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  return typeof gc === 'function' ? () => (gc as () => void)() : () => undefined;
}

async function plainRead(db: Database): Promise<number> {
  let n = 0;
  for await (const doc of db.models.Invoice.collection.find({})) if (doc) n++;
  return n;
}

/**
 * CPU time (ms) of the FerretDB serving `port`, read from /proc: unlike wall time it does not
 * move when other work shares the machine. Undefined where /proc is not Linux's.
 */
function serverCpu(port: number): (() => number) | undefined {
  try {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes('ferretdb') && cmdline.includes(`--listen-addr=127.0.0.1:${port}`)) {
        return () => {
          const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          // utime + stime, in clock ticks of 10 ms (USER_HZ is 100 on Linux).
          return (Number(fields[11]) + Number(fields[12])) * 10;
        };
      }
    }
  } catch (error) {
    if (!(error instanceof Error && 'code' in error)) throw error;
  }
  return undefined;
}

interface Figures {
  ms: number;
  /** CPU of this process and of FerretDB during the measurement. */
  cpuMs: number;
  peakRssMiB: number;
  /** Peak heap above the heap at the start (after a full collection). */
  heapGrowthMiB: number;
}

async function measured<T>(gc: () => void, cpu: () => number, body: () => Promise<T>): Promise<{ result: T; figures: Figures }> {
  gc();
  const heapBefore = process.memoryUsage().heapUsed / 2 ** 20;
  const cpuBefore = cpu();
  const m = await measure(body);
  return {
    result: m.result,
    figures: { ms: m.ms, cpuMs: cpu() - cpuBefore, peakRssMiB: m.peakRssMiB, heapGrowthMiB: m.peakHeapMiB - heapBefore },
  };
}

/**
 * What (b) really holds, as opposed to its peak heap (which counts garbage V8 has not collected
 * yet): an extra, untimed run that collects at the end of each stream.
 */
async function liveHeap(gc: () => void, inner: LedgerReader): Promise<{ afterPayments: number; afterInvoices: number }> {
  const heap = () => process.memoryUsage().heapUsed / 2 ** 20;
  gc();
  const before = heap();
  const live = { afterPayments: 0, afterInvoices: 0 };
  const reader: LedgerReader = {
    async *payments(filter) {
      yield* inner.payments(filter);
      gc();
      live.afterPayments = heap() - before;
    },
    async *invoices(filter) {
      yield* inner.invoices(filter);
      gc();
      live.afterInvoices = heap() - before;
    },
  };
  await computeKpiReport(reader, { asOf: AS_OF });
  return live;
}

const ROUNDS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (v: number) => `${v.toFixed(0)} MiB`;
const line = (f: Figures) => `${s(f.ms)} (CPU ${s(f.cpuMs)}), peak heap +${mib(f.heapGrowthMiB)}, peak RSS ${mib(f.peakRssMiB)}`;

export async function run(): Promise<string> {
  const bench = await startBenchDatabase();
  try {
    const db = await bench.open('kpis_bench');
    const gc = collector();
    const seeded = await measure(() => seedInto(db));
    const reader = new MongoLedgerReader(db.models);
    const ferretCpu = serverCpu(bench.server.port);
    const cpu = () => {
      const own = process.cpuUsage();
      return (own.user + own.system) / 1000 + (ferretCpu?.() ?? 0);
    };
    const out = [
      `portfolio: ${seeded.result.invoices} invoices, ${DEBTORS} debtors, ${seeded.result.payments} payment entries, MXN + USD (inserted in ${s(seeded.ms)})`,
      `(a) = one plain read of the invoices, find({}) iterated to the end; (b) = computeKpiReport as of ${AS_OF}`,
    ];
    // The machine may be shared and FerretDB's timings wander: alternate a and b and keep medians.
    const plain: Figures[] = [];
    const kpis: Figures[] = [];
    let report: unknown;
    for (let round = 1; round <= ROUNDS; round++) {
      const a = await measured(gc, cpu, () => plainRead(db));
      const b = await measured(gc, cpu, () => computeKpiReport(reader, { asOf: AS_OF }));
      plain.push(a.figures);
      kpis.push(b.figures);
      report = b.result;
      out.push(`round ${round}: (a) ${line(a.figures)} [${a.result} documents]; (b) ${line(b.figures)}; ratio ${(b.figures.ms / a.figures.ms).toFixed(2)}`);
    }
    const a = median(plain.map((f) => f.ms));
    const b = median(kpis.map((f) => f.ms));
    const cpuA = median(plain.map((f) => f.cpuMs));
    const cpuB = median(kpis.map((f) => f.cpuMs));
    const who = ferretCpu ? 'this process + FerretDB' : 'this process only';
    const live = await liveHeap(gc, reader);
    out.push(
      `median (a) ${s(a)}, CPU ${s(cpuA)}, peak heap +${mib(Math.max(...plain.map((f) => f.heapGrowthMiB)))}, peak RSS ${mib(plain[0]!.peakRssMiB)} (round 1)`,
      `median (b) ${s(b)}, CPU ${s(cpuB)}, peak heap +${mib(Math.max(...kpis.map((f) => f.heapGrowthMiB)))}, peak RSS ${mib(kpis[0]!.peakRssMiB)} (round 1)`,
      `live heap of (b), after full collections: +${mib(live.afterPayments)} once the payments are in (read-ahead included), +${mib(live.afterInvoices)} at the end`,
      `ratio (b)/(a), wall time: ${(b / a).toFixed(2)} (goal: at most 1.5); CPU (${who}): ${(cpuB / cpuA).toFixed(2)}`,
      'note: (b) streams payments and invoices on two cursors at once. FerretDB scans a whole table per query, so (b) costs',
      '  the CPU of (a) plus a scan of the payments; its wall time gains from the overlap only while a second core is free.',
      `report: ${JSON.stringify(report)}`,
    );
    return out.join('\n');
  } finally {
    await bench.stop();
  }
}
