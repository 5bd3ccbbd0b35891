import { expect } from 'chai';
import { addDays, isTimeZone } from '../../../core/domain/calendar-date.js';
import { isCurrency } from '../../../core/domain/currency.js';
import { normalizePhone } from '../../../core/domain/phone.js';
import { MongoPortfolioStore } from '../../../core/infra/mongo-portfolio-store.js';
import { demoPortfolioRows, PORTFOLIO_COLUMNS, type PortfolioFileRow } from '../../../core/services/demo-portfolio.js';
import { seedDemo } from '../../../core/services/seed-demo.js';
import { clearCollections, useTestDatabase } from '../../support/database.js';

const TODAY = '2026-03-15';
const DEFAULTS = { language: 'es', timezone: 'America/Mexico_City' } as const;

/** Days past due on TODAY of an unpaid balance, or undefined when nothing is left to pay. */
function daysPastDue(row: PortfolioFileRow): number | undefined {
  if (row.paid_amount && Number(row.paid_amount) >= Number(row.amount)) return undefined;
  return Math.round((Date.parse(`${TODAY}T00:00:00Z`) - Date.parse(`${row.due_at}T00:00:00Z`)) / 86_400_000);
}

describe('demo portfolio', () => {
  const rows = demoPortfolioRows(TODAY);
  const debtors = new Map(rows.map((r) => [r.debtor_id, r]));

  it('has at least 20 debtors, each with a document_id', () => {
    expect(debtors.size).to.be.at.least(20);
    for (const d of debtors.values()) expect(d.document_id, d.debtor_id).to.have.length.of.at.least(4);
  });

  it('uses exactly the columns of the CSV contract on every row', () => {
    for (const r of rows) expect(Object.keys(r)).to.have.members([...PORTFOLIO_COLUMNS]);
  });

  it('speaks Spanish and English, in Mexican, Colombian and US time zones', () => {
    const languages = new Set([...debtors.values()].map((d) => d.language));
    expect([...languages].sort()).to.deep.equal(['en', 'es']);
    const zones = new Set([...debtors.values()].map((d) => d.timezone));
    for (const z of ['America/Mexico_City', 'America/Bogota', 'America/New_York', 'America/Los_Angeles']) expect(zones).to.include(z);
    for (const z of zones) expect(isTimeZone(z), z).to.equal(true);
  });

  it('has Mexican and US phones in valid E.164', () => {
    const phones = rows.map((r) => r.phone).filter((p): p is string => Boolean(p));
    expect(phones.some((p) => p.startsWith('+52'))).to.equal(true);
    expect(phones.some((p) => p.startsWith('+1'))).to.equal(true);
    for (const p of phones) expect(normalizePhone(p)).to.deep.equal({ ok: true, value: p });
  });

  it('bills in MXN and USD', () => {
    const currencies = new Set(rows.map((r) => r.currency));
    expect([...currencies].sort()).to.deep.equal(['MXN', 'USD']);
    for (const c of currencies) expect(isCurrency(c)).to.equal(true);
  });

  it('has invented names with accents', () => {
    expect([...debtors.values()].filter((d) => /[áéíóúñÁÉÍÓÚÑ]/.test(d.name)).length).to.be.at.least(5);
  });

  it('has current, overdue, long-overdue and partly paid invoices', () => {
    const pastDue = rows.map(daysPastDue).filter((d): d is number => d !== undefined);
    expect(pastDue.filter((d) => d <= 0).length, 'current').to.be.at.least(3);
    expect(pastDue.filter((d) => d > 0 && d <= 90).length, 'overdue').to.be.at.least(3);
    expect(pastDue.filter((d) => d > 90).length, 'long overdue').to.be.at.least(3);
    const partly = rows.filter((r) => r.paid_amount && Number(r.paid_amount) > 0 && Number(r.paid_amount) < Number(r.amount));
    expect(partly.length, 'partly paid').to.be.at.least(3);
    for (const r of partly) expect(r.paid_at, r.invoice_id).to.match(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('dates everything relative to today: nothing issued or paid in the future, payments after issue', () => {
    for (const r of rows) {
      expect(r.issued_at <= TODAY, r.invoice_id).to.equal(true);
      expect(r.due_at >= r.issued_at, r.invoice_id).to.equal(true);
      if (r.paid_at) expect(r.paid_at >= r.issued_at && r.paid_at <= TODAY, r.invoice_id).to.equal(true);
    }
    const later = demoPortfolioRows(addDays(TODAY, 10));
    expect(later[0]?.issued_at).to.equal(addDays(rows[0]?.issued_at ?? '', 10));
  });

  it('is deterministic', () => {
    expect(demoPortfolioRows(TODAY)).to.deep.equal(rows);
  });

  describe('imported through the import use case', () => {
    const db = useTestDatabase();
    beforeEach(() => clearCollections(db()));

    it('imports every row with zero rejections', async () => {
      const report = await seedDemo(new MongoPortfolioStore(db().models), TODAY, DEFAULTS);
      expect(report.rejected).to.deep.equal([]);
      expect(report.debtors.created).to.equal(debtors.size);
      expect(report.invoices.created).to.equal(rows.length);
      expect(await db().models.Debtor.countDocuments()).to.equal(debtors.size);
      expect(await db().models.Invoice.countDocuments()).to.equal(rows.length);
      expect(await db().models.Payment.countDocuments()).to.equal(rows.filter((r) => r.paid_amount).length);
    });

    it('changes nothing when seeded twice on the same day', async () => {
      const store = new MongoPortfolioStore(db().models);
      await seedDemo(store, TODAY, DEFAULTS);
      const again = await seedDemo(store, TODAY, DEFAULTS);
      expect(again.debtors).to.deep.equal({ created: 0, updated: 0, unchanged: debtors.size });
      expect(again.invoices).to.deep.equal({ created: 0, updated: 0, unchanged: rows.length });
      expect(again.rejected).to.deep.equal([]);
    });
  });
});
