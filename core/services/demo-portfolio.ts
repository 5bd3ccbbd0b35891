import { addDays, type CalendarDate } from '../domain/calendar-date.js';

/**
 * An invoice of the demo, in days relative to "today" so the portfolio always has current,
 * overdue and long-overdue debt whatever day it is seeded.
 */
interface DemoInvoice {
  /** Days before today the invoice was issued. */
  readonly issued: number;
  /** Days from issue to due date. */
  readonly term: number;
  /** Decimal amount in the debtor's currency. */
  readonly amount: string;
  /** Paid before import: amount and days before today. */
  readonly paid?: { readonly amount: string; readonly daysAgo: number };
}

interface DemoDebtor {
  readonly name: string;
  readonly phone?: string;
  readonly email?: string;
  readonly documentId: string;
  readonly language: 'es' | 'en';
  readonly timezone: string;
  readonly country: string;
  readonly currency: 'MXN' | 'USD';
  readonly invoices: readonly DemoInvoice[];
}

// Invented people and companies. US phones use 555-01xx, the range reserved for fiction; e-mail
// addresses use the reserved example.* domains, so a demo reminder can never reach a real inbox.
const DEBTORS: readonly DemoDebtor[] = [
  {
    name: 'María Fernanda Gómez Ruiz', phone: '+525512345678', email: 'mfgomez@example.com', documentId: 'GORM850312MDF04',
    language: 'es', timezone: 'America/Mexico_City', country: 'MX', currency: 'MXN',
    invoices: [{ issued: 12, term: 30, amount: '2450.00' }, { issued: 42, term: 30, amount: '2450.00' }],
  },
  {
    name: 'José Ángel Hernández Peña', phone: '+525587654321', documentId: 'HEPJ790823HDF11',
    language: 'es', timezone: 'America/Mexico_City', country: 'MX', currency: 'MXN',
    invoices: [{ issued: 75, term: 30, amount: '8900.00', paid: { amount: '3000.00', daysAgo: 20 } }],
  },
  {
    name: 'Lucía Ramírez Ibáñez', phone: '+525543218765', email: 'lucia.ramirez@example.com', documentId: 'RAIL920114MDF27',
    language: 'es', timezone: 'America/Mexico_City', country: 'MX', currency: 'MXN',
    invoices: [{ issued: 200, term: 30, amount: '15300.50' }, { issued: 140, term: 30, amount: '4200.00' }],
  },
  {
    name: 'Ana Sofía Martínez Núñez', phone: '+528112345678', email: 'anasofia.mtz@example.com', documentId: 'MANA880530MNL35',
    language: 'es', timezone: 'America/Monterrey', country: 'MX', currency: 'MXN',
    invoices: [{ issued: 5, term: 15, amount: '1275.00' }],
  },
  {
    name: 'Jesús Eduardo Cortés Aguilar', phone: '+526641234567', documentId: 'COAJ750218HBC42',
    language: 'es', timezone: 'America/Tijuana', country: 'MX', currency: 'MXN',
    invoices: [
      { issued: 95, term: 30, amount: '6700.00', paid: { amount: '6700.00', daysAgo: 50 } },
      { issued: 35, term: 30, amount: '6700.00' },
    ],
  },
  {
    name: 'Guadalupe Sánchez Olvera', phone: '+529981234567', email: 'lupita.sanchez@example.com', documentId: 'SAOG660907MQR58',
    language: 'es', timezone: 'America/Cancun', country: 'MX', currency: 'MXN',
    invoices: [{ issued: 130, term: 60, amount: '22800.00', paid: { amount: '5000.00', daysAgo: 80 } }],
  },
  {
    name: 'Ferretería Los Álamos, S.A. de C.V.', phone: '+523331234567', email: 'cuentas@losalamos.example.com', documentId: 'FLA0405127Z3',
    language: 'es', timezone: 'America/Mexico_City', country: 'MX', currency: 'MXN',
    invoices: [
      { issued: 20, term: 30, amount: '48500.00' },
      { issued: 50, term: 30, amount: '31250.75', paid: { amount: '15000.00', daysAgo: 10 } },
      { issued: 80, term: 30, amount: '12999.99' },
    ],
  },
  {
    name: 'Andrés Felipe Muñoz Ospina', phone: '+573005550142', email: 'afmunoz@example.org', documentId: '1020456789',
    language: 'es', timezone: 'America/Bogota', country: 'CO', currency: 'USD',
    invoices: [{ issued: 60, term: 30, amount: '540.00' }],
  },
  {
    name: 'Valentina Ríos Quintero', phone: '+573105550133', documentId: '1036987412',
    language: 'es', timezone: 'America/Bogota', country: 'CO', currency: 'USD',
    invoices: [{ issued: 25, term: 30, amount: '189.90', paid: { amount: '89.90', daysAgo: 3 } }],
  },
  {
    name: 'Héctor Iñiguez Salazar', phone: '+523339876543', email: 'hector.iniguez@example.com', documentId: 'IISH810402HJC63',
    language: 'es', timezone: 'America/Mexico_City', country: 'MX', currency: 'MXN',
    invoices: [{ issued: 260, term: 30, amount: '9850.00', paid: { amount: '1500.00', daysAgo: 200 } }],
  },
  {
    name: 'Ximena Beltrán Dávila', email: 'ximena.beltran@example.com', documentId: 'BEDX990726MDF71',
    language: 'es', timezone: 'America/Mexico_City', country: 'MX', currency: 'MXN',
    invoices: [{ issued: 3, term: 30, amount: '850.00' }, { issued: 33, term: 30, amount: '850.00', paid: { amount: '850.00', daysAgo: 6 } }],
  },
  {
    name: 'Raúl Ordóñez Treviño', phone: '+528187654321', documentId: 'OOTR700111HNL89',
    language: 'es', timezone: 'America/Monterrey', country: 'MX', currency: 'MXN',
    invoices: [{ issued: 110, term: 45, amount: '17640.00' }],
  },
  {
    name: 'Camila Jiménez Acuña', phone: '+13105550177', email: 'camila.jimenez@example.com', documentId: 'CA-D4827391',
    language: 'es', timezone: 'America/Los_Angeles', country: 'US', currency: 'USD',
    invoices: [{ issued: 40, term: 30, amount: '320.00' }, { issued: 10, term: 30, amount: '320.00' }],
  },
  {
    name: 'Óscar Villaseñor Castañeda', phone: '+13125550163', documentId: 'IL-V5501238',
    language: 'es', timezone: 'America/Chicago', country: 'US', currency: 'USD',
    invoices: [{ issued: 150, term: 30, amount: '1275.40', paid: { amount: '400.00', daysAgo: 100 } }],
  },
  {
    name: 'Clínica Dental Sonrisa Plena', phone: '+525556781234', email: 'admin@sonrisaplena.example.com', documentId: 'CDS1109223K8',
    language: 'es', timezone: 'America/Mexico_City', country: 'MX', currency: 'MXN',
    invoices: [{ issued: 15, term: 30, amount: '36400.00' }, { issued: 45, term: 30, amount: '36400.00', paid: { amount: '20000.00', daysAgo: 8 } }],
  },
  {
    name: 'Emily Carter Whitfield', phone: '+12125550142', email: 'emily.whitfield@example.com', documentId: 'NY-W8812034',
    language: 'en', timezone: 'America/New_York', country: 'US', currency: 'USD',
    invoices: [{ issued: 8, term: 30, amount: '450.00' }],
  },
  {
    name: "Marcus O'Donnell", phone: '+13125550119', email: 'marcus.odonnell@example.com', documentId: 'IL-O2290457',
    language: 'en', timezone: 'America/Chicago', country: 'US', currency: 'USD',
    invoices: [{ issued: 55, term: 30, amount: '1280.00', paid: { amount: '500.00', daysAgo: 15 } }, { issued: 25, term: 30, amount: '1280.00' }],
  },
  {
    name: 'Priya Raman-Holt', phone: '+14155550128', documentId: 'CA-R6610983',
    language: 'en', timezone: 'America/Los_Angeles', country: 'US', currency: 'USD',
    invoices: [{ issued: 185, term: 30, amount: '2750.00' }],
  },
  {
    name: 'Daniel Brooks', phone: '+17205550188', email: 'dbrooks@example.org', documentId: 'CO-B3345129',
    language: 'en', timezone: 'America/Denver', country: 'US', currency: 'USD',
    invoices: [{ issued: 70, term: 30, amount: '615.25' }],
  },
  {
    name: 'Hannah Lindqvist', email: 'hannah.lindqvist@example.com', documentId: 'MA-L7704561',
    language: 'en', timezone: 'America/New_York', country: 'US', currency: 'USD',
    invoices: [{ issued: 28, term: 14, amount: '99.00' }, { issued: 58, term: 14, amount: '99.00', paid: { amount: '99.00', daysAgo: 30 } }],
  },
  {
    name: 'Northwind Dental Group, LLC', phone: '+16465550110', email: 'billing@northwind-dental.example.com', documentId: 'EIN-XX-4418203',
    language: 'en', timezone: 'America/New_York', country: 'US', currency: 'USD',
    invoices: [
      { issued: 100, term: 30, amount: '3400.00', paid: { amount: '1200.00', daysAgo: 40 } },
      { issued: 15, term: 30, amount: '3400.00' },
    ],
  },
  {
    name: 'Grace Okafor', phone: '+16025550134', documentId: 'AZ-O9023377',
    language: 'en', timezone: 'America/Phoenix', country: 'US', currency: 'USD',
    invoices: [{ issued: 320, term: 30, amount: '1890.00' }],
  },
  {
    name: 'Renée Dubois-Harper', phone: '+16175550151', email: 'renee.dh@example.com', documentId: 'MA-D1185620',
    language: 'en', timezone: 'America/New_York', country: 'US', currency: 'USD',
    invoices: [{ issued: 2, term: 30, amount: '210.00' }, { issued: 90, term: 30, amount: '845.60' }],
  },
  {
    name: 'Tomás Whitaker', phone: '+525598761234', email: 'tomas.whitaker@example.com', documentId: 'WITO830915HDF16',
    language: 'en', timezone: 'America/Mexico_City', country: 'MX', currency: 'MXN',
    invoices: [{ issued: 65, term: 30, amount: '5400.00', paid: { amount: '2700.00', daysAgo: 25 } }],
  },
];

/** The columns of a portfolio file (CONTRACT.md section 3), in file order. */
export const PORTFOLIO_COLUMNS = [
  'debtor_id', 'name', 'phone', 'email', 'document_id', 'language', 'timezone', 'country', 'telegram_user_id',
  'invoice_id', 'amount', 'currency', 'issued_at', 'due_at', 'paid_amount', 'paid_at',
] as const;

/** One row of a portfolio file: every column of {@link PORTFOLIO_COLUMNS}, `''` when empty. */
export type PortfolioFileRow = Record<(typeof PORTFOLIO_COLUMNS)[number], string>;

/**
 * The demo portfolio as import rows (CONTRACT.md section 3; every column present, `''` when
 * empty, as a CSV would give them): 24 invented debtors, Spanish and English speakers in Mexico,
 * Colombia and the United States, owing MXN and USD, with current, overdue and long-overdue
 * invoices, some partly or fully paid. Dates are relative to `today`, so the portfolio looks the
 * same whichever day it is seeded. Deterministic: the same `today` gives the same rows.
 *
 * Debtor references start with `DEMO-` so later features can tell demo debtors apart.
 *
 * @example
 * const rows = demoPortfolioRows('2026-03-15');
 * rows[0].debtor_id; // 'DEMO-001'
 */
export function demoPortfolioRows(today: CalendarDate): PortfolioFileRow[] {
  const rows: PortfolioFileRow[] = [];
  let invoiceNo = 1000;
  DEBTORS.forEach((d, i) => {
    const debtorId = `DEMO-${String(i + 1).padStart(3, '0')}`;
    for (const inv of d.invoices) {
      invoiceNo += 1;
      const issuedAt = addDays(today, -inv.issued);
      rows.push({
        debtor_id: debtorId,
        name: d.name,
        phone: d.phone ?? '',
        email: d.email ?? '',
        document_id: d.documentId,
        language: d.language,
        timezone: d.timezone,
        country: d.country,
        telegram_user_id: '',
        invoice_id: `DEMO-INV-${invoiceNo}`,
        amount: inv.amount,
        currency: d.currency,
        issued_at: issuedAt,
        due_at: addDays(issuedAt, inv.term),
        paid_amount: inv.paid?.amount ?? '',
        paid_at: inv.paid ? addDays(today, -inv.paid.daysAgo) : '',
      });
    }
  });
  return rows;
}
