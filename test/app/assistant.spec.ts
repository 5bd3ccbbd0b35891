import { expect } from 'chai';
import { buildDebtorAssistant, buildLocalPayments, DEFAULT_CREDITOR_NAME } from '../../app/assistant.js';
import type { Runtime } from '../../app/runtime.js';
import { loadConfig } from '../../core/infra/config.js';
import { useTestDatabase } from '../support/database.js';
import { clearAll, FakeClock, NOW, RecordingMessenger, seedPortfolio } from '../support/conversation-fixtures.js';

describe('buildDebtorAssistant', () => {
  const db = useTestDatabase();
  let runtime: Runtime;
  beforeEach(async () => {
    await clearAll(db());
    await seedPortfolio(db());
    runtime = { config: loadConfig({ PUBLIC_URL: 'https://cobro.example.com/' }), db: db(), close: async () => undefined };
  });

  it('names the demo creditor unless told otherwise', () => {
    expect(buildDebtorAssistant(runtime).creditorName).to.equal(DEFAULT_CREDITOR_NAME);
    expect(buildDebtorAssistant(runtime, { creditorName: 'Clínica Sol' }).creditorName).to.equal('Clínica Sol');
  });

  it('signs chat links with one secret kept in the database, so every process accepts them', async () => {
    const clock = new FakeClock(NOW);
    const token = await buildDebtorAssistant(runtime, { clock }).issueLinkToken('D-EN', 60);
    const other = buildDebtorAssistant(runtime, { clock });
    expect(await other.verifyLinkToken(token)).to.deep.include({ ok: true });
    expect(await db().connection.db!.collection<{ _id: string }>('settings').countDocuments({ _id: 'link-token' })).to.equal(1);
  });

  it('refuses links signed with a secret given to another assistant', async () => {
    const clock = new FakeClock(NOW);
    const token = await buildDebtorAssistant(runtime, { clock, linkTokenSecret: Buffer.alloc(32, 1) }).issueLinkToken('D-EN', 60);
    expect(await buildDebtorAssistant(runtime, { clock }).verifyLinkToken(token)).to.deep.equal({ ok: false, reason: 'invalid' });
  });

  it('makes pay links under PUBLIC_URL that the local payments pay, with the receipt through the messenger', async () => {
    const clock = new FakeClock(NOW);
    const messenger = new RecordingMessenger();
    const link = await buildDebtorAssistant(runtime, { clock }).createPaymentLink('D-EN', { currency: 'USD' });
    if (!link.ok) throw new Error(link.reason);
    const m = /^https:\/\/cobro\.example\.com\/pay\/([A-Za-z0-9_-]{22})$/.exec(link.value.url);
    expect(m, link.value.url).to.not.equal(null);
    const result = await buildLocalPayments(runtime, messenger, { clock }).complete(m![1]!);
    expect(result.status).to.equal('recorded');
    expect(messenger.sent.map((s) => s.debtorId)).to.deep.equal(['D-EN']);
  });
});
