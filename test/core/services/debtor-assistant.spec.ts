import { expect } from 'chai';
import { CARD_REDACTED } from '../../../core/domain/card-redaction.js';
import { conversationModelsFor } from '../../../core/infra/conversation-models.js';
import { HmacLinkTokenSigner } from '../../../core/infra/hmac-link-token-signer.js';
import { UnknownDebtorError } from '../../../core/services/create-debtor-assistant.js';
import type { BalanceView, DebtorProfile } from '../../../core/services/debtor-assistant.js';
import { useTestDatabase } from '../../support/database.js';
import { clearAll, harness, keyOf, NOW, seedPortfolio, tokenOf, type Harness } from '../../support/conversation-fixtures.js';

const ANA: DebtorProfile = { debtorId: 'D-ES', name: 'Ana López', language: 'es', timezone: 'America/Mexico_City', country: 'MX' };
const JOHN: DebtorProfile = { debtorId: 'D-EN', name: 'John Smith', language: 'en', timezone: 'America/New_York', country: 'US' };
const MINUTE = 60_000;

describe('DebtorAssistant on MongoDB', () => {
  const db = useTestDatabase();
  let h: Harness;
  beforeEach(async () => {
    await clearAll(db());
    await seedPortfolio(db());
    h = harness(db());
  });

  describe('link tokens', () => {
    it('verifies a token it issued as the debtor, with a token fit for a Telegram /start payload', async () => {
      const token = await h.assistant.issueLinkToken('D-ES', 3600);
      expect(token).to.match(/^[A-Za-z0-9_-]{1,64}$/);
      expect(await h.assistant.verifyLinkToken(token)).to.deep.equal({ ok: true, value: ANA });
    });

    it('accepts a token one second before it expires and calls it expired from then on', async () => {
      const token = await h.assistant.issueLinkToken('D-ES', 3600);
      h.clock.advance(3599_000);
      expect((await h.assistant.verifyLinkToken(token)).ok).to.equal(true);
      h.clock.advance(1000);
      expect(await h.assistant.verifyLinkToken(token)).to.deep.equal({ ok: false, reason: 'expired' });
    });

    it('lasts the policy default of 7 days when no ttl is given', async () => {
      const token = await h.assistant.issueLinkToken('D-EN');
      h.clock.advance(7 * 24 * 3600_000 - 1000);
      expect(await h.assistant.verifyLinkToken(token)).to.deep.equal({ ok: true, value: JOHN });
      h.clock.advance(1000);
      expect(await h.assistant.verifyLinkToken(token)).to.deep.equal({ ok: false, reason: 'expired' });
    });

    it('calls any altered character invalid', async () => {
      const token = await h.assistant.issueLinkToken('D-ES', 3600);
      for (let i = 0; i < token.length; i++) {
        const altered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
        expect(await h.assistant.verifyLinkToken(altered), `character ${i}`).to.deep.equal({ ok: false, reason: 'invalid' });
      }
    });

    it('calls a token that names another debtor, or extends its own expiry, invalid', async () => {
      const bytes = Buffer.from(await h.assistant.issueLinkToken('D-ES', 60), 'base64url');
      const otherDebtor = Buffer.concat([bytes.subarray(0, 5), Buffer.from('D-EN'), bytes.subarray(-16)]).toString('base64url');
      expect(await h.assistant.verifyLinkToken(otherDebtor)).to.deep.equal({ ok: false, reason: 'invalid' });
      const later = Buffer.from(bytes);
      later.writeUInt32BE(later.readUInt32BE(1) + 86_400, 1);
      expect(await h.assistant.verifyLinkToken(later.toString('base64url'))).to.deep.equal({ ok: false, reason: 'invalid' });
    });

    it('calls a token signed with another secret, or no token at all, invalid', async () => {
      const foreign = await new HmacLinkTokenSigner(Buffer.alloc(32, 7)).sign({ debtorId: 'D-ES', expiresAt: new Date(Date.parse(NOW) + 3600_000) });
      expect(await h.assistant.verifyLinkToken(foreign)).to.deep.equal({ ok: false, reason: 'invalid' });
      for (const junk of ['', 'abc', 'not a token!', 'x'.repeat(600)]) {
        expect(await h.assistant.verifyLinkToken(junk), junk).to.deep.equal({ ok: false, reason: 'invalid' });
      }
    });

    it('says unknown-debtor for a valid token of an id no debtor has', async () => {
      const token = await h.assistant.issueLinkToken('D-GONE', 60);
      expect(await h.assistant.verifyLinkToken(token)).to.deep.equal({ ok: false, reason: 'unknown-debtor' });
    });
  });

  describe('channel identities', () => {
    it('verifies the phone on file written in E.164, with spaces, or as WhatsApp digits with the old Mexican mobile 1', async () => {
      for (const phone of ['+525512345678', '+52 55 1234 5678', '525512345678', '5215512345678']) {
        expect(await h.assistant.verifyByPhone(phone), phone).to.deep.equal({ ok: true, value: ANA });
      }
    });

    it('refuses an unknown or unparseable phone', async () => {
      expect(await h.assistant.verifyByPhone('+525500000000')).to.deep.equal({ ok: false, reason: 'unknown-phone' });
      expect(await h.assistant.verifyByPhone('hello')).to.deep.equal({ ok: false, reason: 'unknown-phone' });
    });

    it('refuses a phone two debtors share: neither may see the other debt', async () => {
      await db().models.Debtor.updateOne({ _id: 'D-PAID' }, { $set: { phone: '+525512345678' } });
      expect(await h.assistant.verifyByPhone('+525512345678')).to.deep.equal({ ok: false, reason: 'unknown-phone' });
    });

    it('verifies the Telegram user id on file and refuses others', async () => {
      expect(await h.assistant.verifyByTelegramUser('111222333')).to.deep.equal({ ok: true, value: ANA });
      expect(await h.assistant.verifyByTelegramUser('999')).to.deep.equal({ ok: false, reason: 'unknown-user' });
    });
  });

  describe('verifyDocument', () => {
    it('verifies debtor_id plus the last 4 characters of document_id, in any letter case', async () => {
      expect(await h.assistant.verifyDocument(keyOf('c1'), 'D-ES', 'rn07')).to.deep.equal({ ok: true, value: ANA });
      expect(await h.assistant.verifyDocument(keyOf('c2'), ' D-EN ', '6789')).to.deep.equal({ ok: true, value: JOHN });
    });

    it('counts down the attempts left, then locks the conversation for 15 minutes on the third failure', async () => {
      const key = keyOf('c1');
      expect(await h.assistant.verifyDocument(key, 'D-ES', '0000')).to.deep.equal({ ok: false, reason: 'mismatch', attemptsLeft: 2 });
      expect(await h.assistant.verifyDocument(key, 'D-ES', '1111')).to.deep.equal({ ok: false, reason: 'mismatch', attemptsLeft: 1 });
      const until = new Date(Date.parse(NOW) + 15 * MINUTE);
      expect(await h.assistant.verifyDocument(key, 'D-ES', '2222')).to.deep.equal({ ok: false, reason: 'locked', lockedUntil: until });
      expect(await h.assistant.verificationLock(key)).to.deep.equal(until);
    });

    it('answers an unknown debtor_id exactly like a wrong document, and locks on it too', async () => {
      const key = keyOf('c1');
      expect(await h.assistant.verifyDocument(key, 'NOBODY', 'RN07')).to.deep.equal({ ok: false, reason: 'mismatch', attemptsLeft: 2 });
      expect(await h.assistant.verifyDocument(key, 'D-ES', '0000')).to.deep.equal({ ok: false, reason: 'mismatch', attemptsLeft: 1 });
      expect((await h.assistant.verifyDocument(key, 'NOBODY', '0000')).ok).to.equal(false);
      expect(await h.assistant.verificationLock(key)).to.deep.equal(new Date(Date.parse(NOW) + 15 * MINUTE));
    });

    it('refuses even the right answer while locked, and accepts it once 15 minutes have passed', async () => {
      const key = keyOf('c1');
      for (const guess of ['0000', '1111', '2222']) await h.assistant.verifyDocument(key, 'D-ES', guess);
      h.clock.advance(15 * MINUTE - 1);
      expect(await h.assistant.verifyDocument(key, 'D-ES', 'RN07')).to.deep.equal({
        ok: false,
        reason: 'locked',
        lockedUntil: new Date(Date.parse(NOW) + 15 * MINUTE),
      });
      h.clock.advance(1);
      expect(await h.assistant.verificationLock(key)).to.equal(undefined);
      expect(await h.assistant.verifyDocument(key, 'D-ES', 'RN07')).to.deep.equal({ ok: true, value: ANA });
    });

    it('gives three fresh attempts after a lock ends', async () => {
      const key = keyOf('c1');
      for (const guess of ['0000', '1111', '2222']) await h.assistant.verifyDocument(key, 'D-ES', guess);
      h.clock.advance(15 * MINUTE);
      expect(await h.assistant.verifyDocument(key, 'D-ES', '3333')).to.deep.equal({ ok: false, reason: 'mismatch', attemptsLeft: 2 });
    });

    it('locks the debtor_id tried: failures spread over conversations lock it everywhere', async () => {
      await h.assistant.verifyDocument(keyOf('c1'), 'D-ES', '0000');
      await h.assistant.verifyDocument(keyOf('c2'), 'D-ES', '1111');
      h.clock.advance(MINUTE);
      const until = new Date(Date.parse(NOW) + 16 * MINUTE);
      expect(await h.assistant.verifyDocument(keyOf('c3'), 'D-ES', '2222')).to.deep.equal({ ok: false, reason: 'locked', lockedUntil: until });
      expect(await h.assistant.verifyDocument(keyOf('c4'), 'D-ES', 'RN07')).to.deep.equal({ ok: false, reason: 'locked', lockedUntil: until });
      // The fresh conversation itself is not locked: it may verify another debtor.
      expect(await h.assistant.verificationLock(keyOf('c4'))).to.equal(undefined);
      expect(await h.assistant.verifyDocument(keyOf('c4'), 'D-EN', '6789')).to.deep.equal({ ok: true, value: JOHN });
    });

    it('starts the count again after a success', async () => {
      const key = keyOf('c1');
      await h.assistant.verifyDocument(key, 'D-ES', '0000');
      await h.assistant.verifyDocument(key, 'D-ES', '1111');
      expect((await h.assistant.verifyDocument(key, 'D-ES', 'RN07')).ok).to.equal(true);
      expect(await h.assistant.verifyDocument(key, 'D-ES', '2222')).to.deep.equal({ ok: false, reason: 'mismatch', attemptsLeft: 2 });
    });

    it('refuses a debtor without a document on file and answers shorter or longer input as a mismatch', async () => {
      await db().models.Debtor.updateOne({ _id: 'D-EN' }, { $unset: { documentId: 1 } });
      expect(await h.assistant.verifyDocument(keyOf('c1'), 'D-EN', '6789')).to.deep.equal({ ok: false, reason: 'mismatch', attemptsLeft: 2 });
      expect(await h.assistant.verifyDocument(keyOf('c2'), 'D-ES', 'PRN07')).to.deep.equal({ ok: false, reason: 'mismatch', attemptsLeft: 2 });
    });

    it('stores one document per attempt, in MongoDB, shared by every assistant on the database', async () => {
      const key = keyOf('c1');
      await h.assistant.verifyDocument(key, 'D-ES', '0000');
      await harness(db(), h.clock).assistant.verifyDocument(key, 'D-ES', '1111');
      expect(await conversationModelsFor(db().connection).VerificationAttempt.countDocuments({ conversation: 'webchat:c1' })).to.equal(2);
      expect(await h.assistant.verifyDocument(key, 'D-ES', '2222')).to.have.property('reason', 'locked');
    });
  });

  describe('profile and language', () => {
    it('gives the profile of a debtor, undefined for an unknown one', async () => {
      expect(await h.assistant.profile('D-EN')).to.deep.equal(JOHN);
      expect(await h.assistant.profile('NOBODY')).to.equal(undefined);
    });

    it('stores the language on the debtor', async () => {
      await h.assistant.setLanguage('D-ES', 'en');
      expect(await h.assistant.profile('D-ES')).to.deep.equal({ ...ANA, language: 'en' });
      expect((await db().models.Debtor.findById('D-ES').lean())?.language).to.equal('en');
    });

    it('ignores a language for an unknown debtor', async () => {
      await h.assistant.setLanguage('NOBODY', 'en');
      expect(await db().models.Debtor.countDocuments({ _id: 'NOBODY' })).to.equal(0);
    });
  });

  describe('balance', () => {
    const expected: BalanceView = {
      asOf: '2026-03-09',
      invoices: [
        { invoiceId: 'M1', amount: 1_200_000, balance: 1_160_000, currency: 'MXN', issuedAt: '2026-02-01', dueAt: '2026-02-15', daysOverdue: 22 },
        { invoiceId: 'U1', amount: 8_000, balance: 4_000, currency: 'USD', issuedAt: '2026-02-10', dueAt: '2026-02-20', daysOverdue: 17 },
        { invoiceId: 'M2', amount: 25_050, balance: 25_050, currency: 'MXN', issuedAt: '2026-03-01', dueAt: '2026-03-31', daysOverdue: -22 },
      ],
      totals: [
        { currency: 'MXN', balance: 1_185_050 },
        { currency: 'USD', balance: 4_000 },
      ],
    };

    it('lists open invoices net of every ledger entry, per invoice and per currency, on the debtor\'s calendar', async () => {
      expect(await h.assistant.balance('D-ES')).to.deep.equal(expected);
    });

    it('counts a payment dated after the debtor\'s today, and a reversal', async () => {
      const recordedAt = new Date(NOW);
      await db().models.Payment.insertMany([
        { _id: 'stripe:1', invoiceId: 'U1', debtorId: 'D-ES', amount: 1_000, currency: 'USD', paidAt: '2026-03-10', source: 'stripe', recordedAt },
        { _id: 'import:M1:1', invoiceId: 'M1', debtorId: 'D-ES', amount: -40_000, currency: 'MXN', paidAt: '2026-02-10', source: 'import', recordedAt },
      ]);
      const view = await h.assistant.balance('D-ES');
      expect(view.invoices.map((i) => [i.invoiceId, i.balance])).to.deep.equal([['M1', 1_200_000], ['U1', 3_000], ['M2', 25_050]]);
      expect(view.totals).to.deep.equal([{ currency: 'MXN', balance: 1_225_050 }, { currency: 'USD', balance: 3_000 }]);
    });

    it('moves to the next day at midnight in the debtor\'s zone, not in UTC', async () => {
      h.clock.set('2026-03-10T05:59:59Z');
      expect((await h.assistant.balance('D-ES')).asOf).to.equal('2026-03-09');
      h.clock.set('2026-03-10T06:00:00Z');
      const view = await h.assistant.balance('D-ES');
      expect(view.asOf).to.equal('2026-03-10');
      expect(view.invoices[0]?.daysOverdue).to.equal(23);
    });

    it('is empty for a debtor who paid everything', async () => {
      expect(await h.assistant.balance('D-PAID')).to.deep.equal({ asOf: '2026-03-09', invoices: [], totals: [] });
    });

    it('throws a coded error for an unknown debtor (a caller bug, not an outcome)', async () => {
      const error = await h.assistant.balance('NOBODY').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(UnknownDebtorError);
      expect(error).to.have.property('code', 'UNKNOWN_DEBTOR');
    });
  });

  describe('createPaymentLink', () => {
    it('links the whole open balance of a currency and stores the link', async () => {
      const link = await h.assistant.createPaymentLink('D-ES', { currency: 'MXN' });
      if (!link.ok) throw new Error(link.reason);
      const token = tokenOf(link.value.url);
      expect(link.value).to.deep.equal({ url: `http://pay.test/pay/${token}`, amount: 1_185_050, currency: 'MXN', invoiceIds: ['M1', 'M2'] });
      expect(await h.stores.paymentLinks.find(token)).to.deep.equal({
        token,
        provider: 'local',
        debtorId: 'D-ES',
        currency: 'MXN',
        amount: 1_185_050,
        invoices: [
          { invoiceId: 'M1', amount: 1_160_000 },
          { invoiceId: 'M2', amount: 25_050 },
        ],
        createdAt: new Date(NOW),
        expiresAt: new Date(Date.parse(NOW) + 7 * 24 * 3600_000),
      });
    });

    it('links chosen invoices of one currency, each for its open balance', async () => {
      const link = await h.assistant.createPaymentLink('D-ES', { invoiceIds: ['U1'] });
      expect(link.ok && { amount: link.value.amount, currency: link.value.currency, invoiceIds: link.value.invoiceIds }).to.deep.equal({
        amount: 4_000,
        currency: 'USD',
        invoiceIds: ['U1'],
      });
    });

    it('refuses chosen invoices in two currencies', async () => {
      expect(await h.assistant.createPaymentLink('D-ES', { invoiceIds: ['M1', 'U1'] })).to.deep.equal({ ok: false, reason: 'mixed-currencies' });
    });

    it('refuses an invoice of another debtor, a paid one, one not issued yet and a made-up one', async () => {
      for (const id of ['E1', 'P1', 'F1', 'NOPE']) {
        expect(await h.assistant.createPaymentLink('D-ES', { invoiceIds: ['M1', id] }), id).to.deep.equal({ ok: false, reason: 'unknown-invoice' });
      }
    });

    it('says nothing-due for a currency with nothing open and for no invoices', async () => {
      expect(await h.assistant.createPaymentLink('D-ES', { currency: 'EUR' })).to.deep.equal({ ok: false, reason: 'nothing-due' });
      expect(await h.assistant.createPaymentLink('D-ES', { invoiceIds: [] })).to.deep.equal({ ok: false, reason: 'nothing-due' });
      expect(await h.assistant.createPaymentLink('D-PAID', { currency: 'MXN' })).to.deep.equal({ ok: false, reason: 'nothing-due' });
    });
  });

  describe('promiseToPay', () => {
    it('promises the whole balance of the first currency by default, and stores it', async () => {
      const result = await h.assistant.promiseToPay('D-ES', '2026-03-14');
      const promise = { promiseId: 'promise:D-ES:2026-03-14:MXN:1185050', debtorId: 'D-ES', date: '2026-03-14', amount: 1_185_050, currency: 'MXN' };
      expect(result).to.deep.equal({ ok: true, value: promise, maxDays: 30 });
      expect(await h.stores.promises.forDebtor('D-ES')).to.deep.equal([{ ...promise, createdAt: new Date(NOW) }]);
    });

    it('promises a given amount in a given currency', async () => {
      const result = await h.assistant.promiseToPay('D-ES', '2026-03-09', { amount: 2_000, currency: 'USD' });
      expect(result).to.deep.include({ ok: true, maxDays: 30 });
      expect(result.ok && result.value).to.deep.include({ amount: 2_000, currency: 'USD', date: '2026-03-09' });
    });

    it('refuses yesterday on the debtor\'s calendar, though it is today in UTC', async () => {
      expect(await h.assistant.promiseToPay('D-ES', '2026-03-08')).to.deep.equal({ ok: false, reason: 'date-in-past', maxDays: 30 });
      expect((await h.assistant.promiseToPay('D-ES', '2026-03-09')).ok).to.equal(true);
    });

    it('accepts 30 days ahead and refuses 31', async () => {
      expect((await h.assistant.promiseToPay('D-ES', '2026-04-08')).ok).to.equal(true);
      expect(await h.assistant.promiseToPay('D-ES', '2026-04-09')).to.deep.equal({ ok: false, reason: 'too-far', maxDays: 30 });
    });

    it('says nothing-due when nothing is open in the currency', async () => {
      expect(await h.assistant.promiseToPay('D-PAID', '2026-03-12')).to.deep.equal({ ok: false, reason: 'nothing-due', maxDays: 30 });
      expect(await h.assistant.promiseToPay('D-ES', '2026-03-12', { amount: 100, currency: 'EUR' })).to.deep.equal({
        ok: false,
        reason: 'nothing-due',
        maxDays: 30,
      });
    });

    it('stores the same promise made twice once', async () => {
      await h.assistant.promiseToPay('D-ES', '2026-03-14');
      h.clock.advance(MINUTE);
      await h.assistant.promiseToPay('D-ES', '2026-03-14');
      expect(await h.stores.promises.forDebtor('D-ES')).to.have.length(1);
    });
  });

  describe('openDispute', () => {
    it('stores the dispute with card numbers redacted, pauses collection and queues the conversation', async () => {
      const key = keyOf('c1', 'user-1');
      await h.assistant.openDispute(key, 'D-ES', 'No reconozco el cargo a mi tarjeta 4111 1111 1111 1111');
      const [dispute] = await h.stores.disputes.forDebtor('D-ES');
      expect(dispute).to.deep.include({ debtorId: 'D-ES', key, reason: `No reconozco el cargo a mi tarjeta ${CARD_REDACTED}`, openedAt: new Date(NOW), status: 'open' });
      expect(await h.stores.holds.holdOf('D-ES')).to.deep.equal({ debtorId: 'D-ES', reason: 'dispute', since: new Date(NOW), disputeId: dispute?.disputeId });
      expect(await h.assistant.handoffState(key)).to.equal('queued');
      expect(await h.stores.handoffs.find(key)).to.deep.include({ reason: 'dispute', debtorId: 'D-ES' });
    });

    it('keeps the first hold when the debtor disputes again', async () => {
      await h.assistant.openDispute(keyOf('c1'), 'D-ES', 'uno');
      const first = await h.stores.holds.holdOf('D-ES');
      h.clock.advance(MINUTE);
      await h.assistant.openDispute(keyOf('c2'), 'D-ES', 'dos');
      expect(await h.stores.holds.holdOf('D-ES')).to.deep.equal(first);
      expect(await h.stores.disputes.forDebtor('D-ES')).to.have.length(2);
    });
  });

  describe('requestHuman and handoffState', () => {
    it('is the bot\'s until someone asks for a human', async () => {
      expect(await h.assistant.handoffState(keyOf('c1'))).to.equal('bot');
    });

    it('queues the conversation with what the agent console needs', async () => {
      const key = keyOf('c1', 'user-1', 'telegram');
      await h.assistant.requestHuman(key, 'asked', 'D-ES');
      expect(await h.assistant.handoffState(key)).to.equal('queued');
      expect(await h.stores.handoffs.queued()).to.deep.equal([
        { key, state: 'queued', reason: 'asked', debtorId: 'D-ES', queuedAt: new Date(NOW), updatedAt: new Date(NOW) },
      ]);
    });

    it('keeps the first reason and time when asked again, and queues conversations apart', async () => {
      await h.assistant.requestHuman(keyOf('c1'), 'not-understood');
      h.clock.advance(MINUTE);
      await h.assistant.requestHuman(keyOf('c1'), 'asked', 'D-ES');
      await h.assistant.requestHuman(keyOf('c2'), 'asked');
      const queued = await h.stores.handoffs.queued();
      expect(queued.map((r) => [r.key.conversationId, r.reason, r.queuedAt.toISOString()])).to.deep.equal([
        ['c1', 'not-understood', '2026-03-10T05:30:00.000Z'],
        ['c2', 'asked', '2026-03-10T05:31:00.000Z'],
      ]);
      expect(await h.assistant.handoffState(keyOf('c3'))).to.equal('bot');
    });

    it('queues again a conversation an agent handed back to the bot', async () => {
      await h.assistant.requestHuman(keyOf('c1'), 'asked');
      await conversationModelsFor(db().connection).Handoff.updateOne({ _id: 'webchat:c1' }, { $set: { state: 'bot' } });
      h.clock.advance(MINUTE);
      await h.assistant.requestHuman(keyOf('c1'), 'plan');
      expect(await h.stores.handoffs.find(keyOf('c1'))).to.deep.include({ state: 'queued', reason: 'plan', queuedAt: new Date(Date.parse(NOW) + MINUTE) });
    });
  });

  describe('optOut', () => {
    it('bars a verified debtor on that channel only, at once', async () => {
      await h.assistant.optOut(keyOf('c1', 'user-1', 'whatsapp'), 'D-ES');
      expect(await h.assistant.isOptedOut('D-ES', 'whatsapp')).to.equal(true);
      expect(await h.assistant.isOptedOut('D-ES', 'telegram')).to.equal(false);
      expect(await h.assistant.isOptedOut('D-EN', 'whatsapp')).to.equal(false);
    });

    it('is idempotent: saying it twice keeps one refusal per subject, with the first time', async () => {
      const key = keyOf('c1', 'user-1', 'whatsapp');
      await h.assistant.optOut(key, 'D-ES');
      h.clock.advance(MINUTE);
      await h.assistant.optOut(key, 'D-ES');
      const docs = await conversationModelsFor(db().connection).ConsentRefusal.find({}).sort({ _id: 1 }).lean();
      expect(docs.map((d) => [d._id, d.at.toISOString()])).to.deep.equal([
        ['whatsapp:debtor:D-ES', '2026-03-10T05:30:00.000Z'],
        ['whatsapp:user:user-1', '2026-03-10T05:30:00.000Z'],
      ]);
      expect(await h.assistant.isOptedOut('D-ES', 'whatsapp')).to.equal(true);
    });

    it('binds the Telegram account on file when said before verifying', async () => {
      await h.assistant.optOut(keyOf('chat-9', '111222333', 'telegram'));
      expect(await h.assistant.isOptedOut('D-ES', 'telegram')).to.equal(true);
    });

    it('binds the debtor who later talks from the same channel user', async () => {
      const key = keyOf('c1', 'anon-7', 'webchat');
      await h.assistant.optOut(key);
      expect(await h.assistant.isOptedOut('D-EN', 'webchat')).to.equal(false);
      await h.assistant.saveConversationReference('D-EN', 'webchat', { conversation: { id: 'c1' } }, key);
      expect(await h.assistant.isOptedOut('D-EN', 'webchat')).to.equal(true);
    });
  });

  describe('recordTranscript', () => {
    it('stores the message with card numbers redacted and phones kept', async () => {
      const key = keyOf('c1');
      const at = new Date(NOW);
      await h.assistant.recordTranscript({ key, direction: 'in', text: 'tarjeta 4111-1111-1111-1111, tel +52 1 55 1234 5678', debtorId: 'D-ES', at });
      await h.assistant.recordTranscript({ key, direction: 'out', text: 'Gracias', at: new Date(at.getTime() + 1), author: 'bot' });
      const entries = await h.stores.transcripts.forConversation(key);
      expect(entries.map(({ entryId: _id, ...rest }) => rest)).to.deep.equal([
        { key, direction: 'in', text: `tarjeta ${CARD_REDACTED}, tel +52 1 55 1234 5678`, debtorId: 'D-ES', at },
        { key, direction: 'out', text: 'Gracias', at: new Date(at.getTime() + 1), author: 'bot' },
      ]);
    });

    it('never stores the card number anywhere in the collection', async () => {
      await h.assistant.recordTranscript({ key: keyOf('c1'), direction: 'in', text: '4539578763621486', at: new Date(NOW) });
      const raw = await conversationModelsFor(db().connection).Transcript.find({}).lean();
      expect(JSON.stringify(raw)).not.to.contain('4539578763621486');
    });
  });

  describe('saveConversationReference', () => {
    it('keeps the latest reference per debtor and channel, and knows the one used last', async () => {
      await h.assistant.saveConversationReference('D-ES', 'telegram', { conversation: { id: 't1' }, user: { id: '111222333' } });
      h.clock.advance(MINUTE);
      await h.assistant.saveConversationReference('D-ES', 'webchat', { conversation: { id: 'w1' } });
      h.clock.advance(MINUTE);
      await h.assistant.saveConversationReference('D-ES', 'webchat', { conversation: { id: 'w2' }, 'dotted.key': true });
      expect(await h.stores.conversationReferences.latest('D-ES')).to.deep.equal({
        debtorId: 'D-ES',
        channel: 'webchat',
        reference: { conversation: { id: 'w2' }, 'dotted.key': true },
        savedAt: new Date(Date.parse(NOW) + 2 * MINUTE),
      });
      expect(await h.stores.conversationReferences.find('D-ES', 'telegram')).to.deep.equal({
        debtorId: 'D-ES',
        channel: 'telegram',
        reference: { conversation: { id: 't1' }, user: { id: '111222333' } },
        userId: '111222333',
        savedAt: new Date(NOW),
      });
    });

    it('does not let an older save overwrite a newer one', async () => {
      h.clock.advance(MINUTE);
      await h.assistant.saveConversationReference('D-ES', 'webchat', { conversation: { id: 'new' } });
      h.clock.advance(-MINUTE);
      await h.assistant.saveConversationReference('D-ES', 'webchat', { conversation: { id: 'old' } });
      expect((await h.stores.conversationReferences.find('D-ES', 'webchat'))?.reference).to.deep.equal({ conversation: { id: 'new' } });
    });

    it('has nothing for a debtor never seen', async () => {
      expect(await h.stores.conversationReferences.latest('D-EN')).to.equal(undefined);
    });
  });

  it('names the creditor', () => {
    expect(h.assistant.creditorName).to.equal('Colegio Azul');
  });
});
