import { expect } from 'chai';
import { buildDebtorAssistant } from '../../../app/assistant.js';
import { loadConfig } from '../../../core/infra/config.js';
import { connectDatabase, type Database } from '../../../core/infra/database.js';
import { MongoPortfolioStore } from '../../../core/infra/mongo-portfolio-store.js';
import { seedDemo } from '../../../core/services/seed-demo.js';
import { cobrabot } from '../../support/cli.js';
import { freshDatabaseUri } from '../../support/database.js';

describe('cobrabot chat-link', function () {
  this.timeout(60_000);
  let uri: string;
  let db: Database;

  before(async () => {
    uri = freshDatabaseUri();
    db = await connectDatabase(uri);
    await seedDemo(new MongoPortfolioStore(db.models), '2026-12-03', { language: 'es', timezone: 'America/Mexico_City' });
  });
  after(async () => {
    await db.connection.dropDatabase();
    await db.close();
  });

  it('prints a PUBLIC_URL/chat?t= link whose token verifies as the debtor', async () => {
    const out = await cobrabot(['chat-link', 'DEMO-016'], { MONGODB_URI: uri, PUBLIC_URL: 'https://cobro.example.com' });
    expect(out.code, out.stderr).to.equal(0);
    const url = new URL(out.stdout.trim());
    expect(`${url.origin}${url.pathname}`).to.equal('https://cobro.example.com/chat');
    expect(url.searchParams.get('lang'), 'the page opens in the debtor’s language').to.equal('en');
    const token = url.searchParams.get('t');
    expect(token).to.be.a('string');
    const runtime = { config: loadConfig({ MONGODB_URI: uri }), db, close: async () => undefined };
    const assistant = buildDebtorAssistant(runtime);
    const verified = await assistant.verifyLinkToken(token!);
    expect(verified.ok && verified.value.debtorId).to.equal('DEMO-016');
  });

  it('opens a Spanish-speaking debtor’s link in Spanish', async () => {
    const out = await cobrabot(['chat-link', 'DEMO-001'], { MONGODB_URI: uri, PUBLIC_URL: 'https://cobro.example.com/' });
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout).to.match(/^https:\/\/cobro\.example\.com\/chat\?lang=es&t=[\w%-]+\n$/);
  });

  it('refuses an unknown debtor in one line, exit 1', async () => {
    const out = await cobrabot(['chat-link', 'NOPE-1'], { MONGODB_URI: uri });
    expect(out.code).to.equal(1);
    expect(out.stderr).to.equal('cobrabot: no debtor with debtor_id NOPE-1\n');
    expect(out.stdout).to.equal('');
  });

  it('refuses a bad --hours in one line, exit 1', async () => {
    const out = await cobrabot(['chat-link', 'DEMO-001', '--hours', '0'], { MONGODB_URI: uri });
    expect(out.code).to.equal(1);
    expect(out.stderr).to.match(/^cobrabot: --hours: must be a whole number from 1 to 720 \(got "0"\)\n$/);
  });
});
