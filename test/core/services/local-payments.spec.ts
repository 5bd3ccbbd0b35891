import { expect } from 'chai';
import { LocalPaymentGateway } from '../../../core/infra/local-payment-gateway.js';
import { localPaymentId } from '../../../core/services/local-payments.js';
import { useTestDatabase } from '../../support/database.js';
import { clearAll, harness, NOW, seedPortfolio, tokenOf, type Harness } from '../../support/conversation-fixtures.js';

describe('local demo payments', () => {
  const db = useTestDatabase();
  let h: Harness;
  let token: string;
  beforeEach(async () => {
    await clearAll(db());
    await seedPortfolio(db());
    h = harness(db());
    const link = await h.assistant.createPaymentLink('D-ES', { currency: 'MXN' });
    if (!link.ok) throw new Error(link.reason);
    token = tokenOf(link.value.url);
  });

  const localEntries = async () =>
    (await db().models.Payment.find({ source: 'local', _id: { $ne: 'local:x:U1' } }).lean())
      .map((p) => ({ _id: p._id, invoiceId: p.invoiceId, amount: p.amount, currency: p.currency, paidAt: p.paidAt }))
      .sort((a, b) => (a._id < b._id ? -1 : 1));

  it('records one ledger entry per invoice, keyed by the token, dated on the debtor\'s calendar', async () => {
    const result = await h.payments.complete(token);
    expect(result.status).to.equal('recorded');
    expect(await localEntries()).to.deep.equal([
      { _id: localPaymentId(token, 'M1'), invoiceId: 'M1', amount: 1_160_000, currency: 'MXN', paidAt: '2026-03-09' },
      { _id: localPaymentId(token, 'M2'), invoiceId: 'M2', amount: 25_050, currency: 'MXN', paidAt: '2026-03-09' },
    ]);
    expect((await h.assistant.balance('D-ES')).totals).to.deep.equal([{ currency: 'USD', balance: 4_000 }]);
  });

  it('sends one receipt with what remains open', async () => {
    await h.payments.complete(token);
    expect(h.messenger.sent).to.deep.equal([
      {
        debtorId: 'D-ES',
        notice: {
          kind: 'receipt',
          amount: 1_185_050,
          currency: 'MXN',
          invoiceIds: ['M1', 'M2'],
          paidAt: '2026-03-09',
          remaining: [{ currency: 'USD', balance: 4_000 }],
        },
      },
    ]);
  });

  it('records a second click once: already-paid, no second entry, no second receipt', async () => {
    await h.payments.complete(token);
    h.clock.advance(5_000);
    const again = await h.payments.complete(token);
    expect(again.status).to.equal('already-paid');
    expect(await localEntries()).to.have.length(2);
    expect(h.messenger.sent).to.have.length(1);
  });

  it('records two simultaneous clicks once', async () => {
    const results = await Promise.all([h.payments.complete(token), h.payments.complete(token), h.payments.complete(token)]);
    expect(results.map((r) => r.status).sort()).to.deep.equal(['already-paid', 'already-paid', 'recorded']);
    expect(await localEntries()).to.have.length(2);
    expect(h.messenger.sent).to.have.length(1);
  });

  it('refuses a second link for a balance another link paid meanwhile: stale, nothing recorded twice', async () => {
    const second = await h.assistant.createPaymentLink('D-ES', { currency: 'MXN' });
    if (!second.ok) throw new Error(second.reason);
    const other = tokenOf(second.value.url);
    expect((await h.payments.complete(token)).status).to.equal('recorded');
    expect(await h.payments.describe(other)).to.have.nested.property('value.status', 'stale');
    expect((await h.payments.complete(other)).status).to.equal('stale');
    expect(await localEntries()).to.have.length(2);
    expect(h.messenger.sent).to.have.length(1);
    expect((await h.assistant.balance('D-ES')).totals).to.deep.equal([{ currency: 'USD', balance: 4_000 }]);
  });

  it('calls a link stale when part of an invoice was paid by other means', async () => {
    await db().models.Payment.create({ _id: 'manual:M2', invoiceId: 'M2', debtorId: 'D-ES', amount: 50, currency: 'MXN', paidAt: '2026-03-09', source: 'manual', recordedAt: new Date(NOW) });
    expect((await h.payments.complete(token)).status).to.equal('stale');
    expect(await localEntries()).to.deep.equal([]);
  });

  it('refuses an expired link and records nothing', async () => {
    h.clock.advance(7 * 24 * 3600_000);
    const result = await h.payments.complete(token);
    expect(result.status).to.equal('expired');
    expect(await localEntries()).to.deep.equal([]);
    expect(h.messenger.sent).to.deep.equal([]);
  });

  it('still confirms a link paid before it expired', async () => {
    await h.payments.complete(token);
    h.clock.advance(8 * 24 * 3600_000);
    expect((await h.payments.complete(token)).status).to.equal('already-paid');
    expect(await h.payments.describe(token)).to.deep.include({ ok: true });
  });

  it('answers unknown for a token never issued, and for a Stripe link', async () => {
    expect(await h.payments.complete('A'.repeat(22))).to.deep.equal({ status: 'unknown' });
    expect(await h.payments.complete('../../etc')).to.deep.equal({ status: 'unknown' });
    await h.stores.paymentLinks.create({
      token: 'S'.repeat(22),
      provider: 'stripe',
      debtorId: 'D-ES',
      currency: 'USD',
      amount: 4_000,
      invoices: [{ invoiceId: 'U1', amount: 4_000 }],
      createdAt: new Date(NOW),
      expiresAt: new Date(Date.parse(NOW) + 3600_000),
    });
    expect(await h.payments.complete('S'.repeat(22))).to.deep.equal({ status: 'unknown' });
  });

  it('keeps the payment when the receipt cannot be sent, and sends it on the next try', async () => {
    h.messenger.answer = () => {
      throw new Error('channel down');
    };
    const failed = await h.payments.complete(token).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed).to.be.instanceOf(Error).with.property('message', 'channel down');
    expect(await localEntries()).to.have.length(2);
    h.messenger.answer = () => ({ ok: true, value: { channel: 'telegram' } });
    const retry = await h.payments.complete(token);
    expect(retry.status).to.equal('recorded');
    expect(await localEntries()).to.have.length(2);
    expect(h.messenger.sent.map((s) => s.notice.amount)).to.deep.equal([1_185_050, 1_185_050]);
  });

  it('reports an unreachable debtor as a value, payment recorded', async () => {
    h.messenger.answer = () => ({ ok: false, reason: 'unreachable' });
    const result = await h.payments.complete(token);
    expect(result).to.deep.include({ status: 'recorded', receipt: { ok: false, reason: 'unreachable' } });
  });

  it('describes the link as the page shows it, in the debtor\'s locale', async () => {
    expect(await h.payments.describe(token)).to.deep.equal({
      ok: true,
      value: {
        token,
        status: 'open',
        creditorName: 'Colegio Azul',
        language: 'es',
        locale: 'es-MX',
        timezone: 'America/Mexico_City',
        currency: 'MXN',
        amount: 1_185_050,
        invoices: [
          { invoiceId: 'M1', amount: 1_160_000, dueAt: '2026-02-15' },
          { invoiceId: 'M2', amount: 25_050, dueAt: '2026-03-31' },
        ],
        expiresAt: new Date(Date.parse(NOW) + 7 * 24 * 3600_000),
      },
    });
  });

  it('builds URLs under PUBLIC_URL, whatever its trailing slashes', async () => {
    const gateway = new LocalPaymentGateway(h.stores.paymentLinks, 'https://cobro.example.com/base//', () => 'T'.repeat(22));
    const link = await gateway.createPaymentLink({
      debtorId: 'D-EN',
      currency: 'USD',
      amount: 1,
      invoices: [{ invoiceId: 'E1', amount: 1 }],
      createdAt: new Date(NOW),
      expiresAt: new Date(NOW),
    });
    expect(link).to.deep.equal({ token: 'T'.repeat(22), url: `https://cobro.example.com/base/pay/${'T'.repeat(22)}` });
  });
});
