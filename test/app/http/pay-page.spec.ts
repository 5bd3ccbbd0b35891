import { expect } from 'chai';
import Fastify, { type FastifyInstance } from 'fastify';
import { payPageRoutes } from '../../../app/http/pay-page.route.js';
import { useTestDatabase } from '../../support/database.js';
import { clearAll, harness, seedPortfolio, tokenOf, type Harness } from '../../support/conversation-fixtures.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('GET and POST /pay/:token', () => {
  const db = useTestDatabase();
  let h: Harness;
  let app: FastifyInstance;
  let anaToken: string;
  let johnToken: string;

  beforeEach(async () => {
    await clearAll(db());
    await seedPortfolio(db());
    h = harness(db());
    app = Fastify();
    await app.register(payPageRoutes, { payments: h.payments });
    await app.ready();
    const ana = await h.assistant.createPaymentLink('D-ES', { currency: 'MXN' });
    const john = await h.assistant.createPaymentLink('D-EN', { currency: 'USD' });
    if (!ana.ok || !john.ok) throw new Error('links');
    anaToken = tokenOf(ana.value.url);
    johnToken = tokenOf(john.value.url);
  });
  afterEach(async () => app.close());

  const ledgerCount = () => db().models.Payment.countDocuments({ _id: { $regex: `^local:${anaToken}:` } });

  it('renders a Spanish debtor\'s page in Spanish, marked DEMO, with es-MX amounts and dates', async () => {
    const res = await app.inject({ method: 'GET', url: `/pay/${anaToken}` });
    expect(res.statusCode).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['referrer-policy']).to.equal('no-referrer');
    expect(res.body).to.contain('<html lang="es">');
    expect(res.body).to.contain('DEMOSTRACIÓN');
    expect(res.body).to.contain('Pago a Colegio Azul');
    expect(res.body).to.contain('<span class="total">$11,850.50 MXN</span>');
    expect(res.body).to.contain('<td>M1</td><td>15 feb 2026</td><td class="n">$11,600.00 MXN</td>');
    expect(res.body).to.contain('<td>M2</td><td>31 mar 2026</td><td class="n">$250.50 MXN</td>');
    expect(res.body).to.contain(`<form method="post" action="${anaToken}"><button type="submit">Pagar $11,850.50 MXN</button></form>`);
    expect(res.body).not.to.contain('Ana');
  });

  it('renders an English debtor\'s page in English with en-US amounts and dates', async () => {
    const res = await app.inject({ method: 'GET', url: `/pay/${johnToken}` });
    expect(res.statusCode).to.equal(200);
    expect(res.body).to.contain('<html lang="en">');
    expect(res.body).to.contain('DEMO: this page stands in for a payment provider.');
    expect(res.body).to.contain('<span class="total">$1,234.56 USD</span>');
    expect(res.body).to.contain('<td>E1</td><td>Mar 1, 2026</td><td class="n">$1,234.56 USD</td>');
    expect(res.body).to.contain('Pay $1,234.56 USD');
  });

  it('escapes the creditor name', async () => {
    const other = harness(db());
    const evil = Fastify();
    await evil.register(payPageRoutes, {
      payments: { describe: async (t) => other.payments.describe(t).then((r) => (r.ok ? { ok: true, value: { ...r.value, creditorName: '<b>x</b>' } } : r)), complete: other.payments.complete },
    });
    const res = await evil.inject({ method: 'GET', url: `/pay/${anaToken}` });
    await evil.close();
    expect(res.body).to.contain('&lt;b&gt;x&lt;/b&gt;');
    expect(res.body).not.to.contain('<b>x</b>');
  });

  it('POST records the payment, calls the messenger once and confirms in the debtor\'s language', async () => {
    const res = await app.inject({ method: 'POST', url: `/pay/${anaToken}`, headers: FORM, payload: '' });
    expect(res.statusCode).to.equal(200);
    expect(res.body).to.contain('Pago recibido');
    expect(res.body).to.contain('Registramos su pago de $11,850.50 MXN a Colegio Azul.');
    expect(res.body).to.contain('Le enviamos el comprobante al chat.');
    expect(await ledgerCount()).to.equal(2);
    expect(h.messenger.sent).to.have.length(1);
    expect(h.messenger.sent[0]?.debtorId).to.equal('D-ES');
  });

  it('a second POST confirms again without paying twice or sending a second receipt', async () => {
    await app.inject({ method: 'POST', url: `/pay/${anaToken}`, headers: FORM, payload: '' });
    const res = await app.inject({ method: 'POST', url: `/pay/${anaToken}`, headers: FORM, payload: 'pay=1' });
    expect(res.statusCode).to.equal(200);
    expect(res.body).to.contain('Este pago ya estaba registrado: no se cobró otra vez.');
    expect(await ledgerCount()).to.equal(2);
    expect(h.messenger.sent).to.have.length(1);
  });

  it('two simultaneous POSTs pay once', async () => {
    const [a, b] = await Promise.all([
      app.inject({ method: 'POST', url: `/pay/${anaToken}`, headers: FORM, payload: '' }),
      app.inject({ method: 'POST', url: `/pay/${anaToken}`, headers: FORM, payload: '' }),
    ]);
    expect([a.statusCode, b.statusCode]).to.deep.equal([200, 200]);
    expect(await ledgerCount()).to.equal(2);
    expect(h.messenger.sent).to.have.length(1);
  });

  it('says so, with 410, when a paid link is opened again', async () => {
    await app.inject({ method: 'POST', url: `/pay/${johnToken}`, headers: FORM, payload: '' });
    const res = await app.inject({ method: 'GET', url: `/pay/${johnToken}` });
    expect(res.statusCode).to.equal(410);
    expect(res.body).to.contain('Link already paid');
    expect(res.body).not.to.contain('<form');
  });

  it('answers an expired link with 410 on GET and POST, and records nothing', async () => {
    h.clock.advance(7 * 24 * 3600_000);
    const get = await app.inject({ method: 'GET', url: `/pay/${anaToken}` });
    const post = await app.inject({ method: 'POST', url: `/pay/${anaToken}`, headers: FORM, payload: '' });
    expect([get.statusCode, post.statusCode]).to.deep.equal([410, 410]);
    expect(get.body).to.contain('Enlace vencido');
    expect(await ledgerCount()).to.equal(0);
    expect(h.messenger.sent).to.have.length(0);
  });

  it('answers a link out of date (its invoices paid by another link) with 410 on GET and POST', async () => {
    const again = await h.assistant.createPaymentLink('D-ES', { invoiceIds: ['M2'] });
    if (!again.ok) throw new Error(again.reason);
    await app.inject({ method: 'POST', url: `/pay/${anaToken}`, headers: FORM, payload: '' });
    const url = `/pay/${tokenOf(again.value.url)}`;
    const get = await app.inject({ method: 'GET', url });
    const post = await app.inject({ method: 'POST', url, headers: FORM, payload: '' });
    expect([get.statusCode, post.statusCode]).to.deep.equal([410, 410]);
    expect(post.body).to.contain('Enlace desactualizado');
    expect(await ledgerCount()).to.equal(2);
    expect(h.messenger.sent).to.have.length(1);
  });

  it('answers an unknown token with 404 in the browser\'s language, or Spanish by default', async () => {
    const unknown = 'Q'.repeat(22);
    const es = await app.inject({ method: 'GET', url: `/pay/${unknown}` });
    expect(es.statusCode).to.equal(404);
    expect(es.body).to.contain('Enlace no encontrado');
    const en = await app.inject({ method: 'POST', url: `/pay/${unknown}`, headers: { ...FORM, 'accept-language': 'en-US,en;q=0.9' }, payload: '' });
    expect(en.statusCode).to.equal(404);
    expect(en.body).to.contain('Link not found');
  });

  it('POST without a body works too (a button without a name)', async () => {
    const res = await app.inject({ method: 'POST', url: `/pay/${johnToken}` });
    expect(res.statusCode).to.equal(200);
    expect(res.body).to.contain('Payment received');
  });
});
