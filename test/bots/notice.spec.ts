import { expect } from 'chai';
import { renderNotice } from '../../bots/notice.js';
import { I18nextTranslator } from '../../core/infra/i18next-translator.js';
import type { DebtorNotice } from '../../core/domain/debtor-notice.js';

describe('renderNotice', () => {
  const translator = I18nextTranslator.load();
  const receipt: DebtorNotice = {
    kind: 'receipt',
    amount: 120_000,
    currency: 'MXN',
    invoiceIds: ['F-101'],
    paidAt: '2026-03-10',
    remaining: [{ currency: 'MXN', balance: 25_050 }],
  };

  it('writes a receipt in Spanish: creditor, amount, date, invoice, what is left, how to pay and stop', () => {
    const { text, locale } = renderNotice(receipt, 'es', { translator, creditorName: 'Colegio Azul', country: 'MX' });
    expect(locale).to.equal('es-MX');
    expect(text).to.include('Colegio Azul: recibimos su pago de $1,200.00 MXN el 10 de marzo de 2026 (factura F-101)');
    expect(text).to.include('Saldo pendiente: $250.50 MXN');
    expect(text).to.include('«pagar»');
    expect(text).to.include('BAJA');
  });

  it('writes a receipt in English for several invoices with nothing left', () => {
    const notice: DebtorNotice = { ...receipt, currency: 'USD', amount: 143_456, invoiceIds: ['INV-201', 'INV-202'], remaining: [{ currency: 'USD', balance: 0 }] };
    const { text } = renderNotice(notice, 'en', { translator, creditorName: 'Colegio Azul', country: 'US' });
    expect(text).to.include('Colegio Azul: we received your payment of $1,434.56 USD on March 10, 2026 (invoices INV-201 and INV-202)');
    expect(text).to.include('You have no outstanding balance left.');
    expect(text).to.include('STOP');
  });
});
