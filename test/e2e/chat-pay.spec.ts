import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildDebtorAssistant } from '../../app/assistant.js';
import { startServer, type RunningServer } from '../../app/main.js';
import { calendarDateIn } from '../../core/domain/calendar-date.js';
import { connectDatabase, type Database } from '../../core/infra/database.js';
import { loadConfig } from '../../core/infra/config.js';
import { MongoPortfolioStore } from '../../core/infra/mongo-portfolio-store.js';
import { seedDemo } from '../../core/services/seed-demo.js';
import { launchChromium } from '../support/chromium.js';
import { freshDatabaseUri } from '../support/database.js';

const RESULTS = path.resolve('test-results');
const SEND_BOX = '[data-id="webchat-sendbox-input"]';

/** A site of another origin whose page shows `/chat` of `chatOrigin()` in an iframe. */
async function embeddingSite(chatOrigin: () => string): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><title>Escuela</title><h1>Pagos</h1><iframe id="chat" src="${chatOrigin()}/chat?lang=es" style="width:400px;height:600px;border:0"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The whole product as a debtor meets it: `npm start`'s server (bot, Direct Line, pay page) on
 * a real database, Microsoft Web Chat in headless Chromium, a verified link, the balance, the
 * demo payment page, and the receipt back in the chat.
 */
describe('end to end: a debtor checks the balance and pays in the web chat (headless Chromium)', function () {
  this.timeout(90_000);
  let db: Database;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let base: string;
  let allowedSite: Awaited<ReturnType<typeof embeddingSite>>;
  let otherSite: Awaited<ReturnType<typeof embeddingSite>>;
  const problems: string[] = [];

  before(async () => {
    const uri = freshDatabaseUri();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    allowedSite = await embeddingSite(() => base);
    otherSite = await embeddingSite(() => base);
    const env = {
      MONGODB_URI: uri, PORT: String(port), PUBLIC_URL: base, LOG_LEVEL: 'silent', CREDITOR_NAME: 'Colegio Azul', ADMIN_API_TOKEN: 'e2e-admin-token-0123456789',
      CHAT_EMBED_ORIGINS: allowedSite.origin,
    };
    db = await connectDatabase(uri);
    await seedDemo(new MongoPortfolioStore(db.models), calendarDateIn(new Date(), 'America/Mexico_City'), { language: 'es', timezone: 'America/Mexico_City' });
    server = await startServer(env, { write: () => true } as unknown as NodeJS.WritableStream);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    page.on('pageerror', (error) => problems.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await allowedSite?.close();
    await otherSite?.close();
    await db?.connection.dropDatabase();
    await db?.close();
  });

  /** The assistant on the test's database, as the server builds it: issues the chat links. */
  const assistant = () =>
    buildDebtorAssistant({ config: loadConfig({ MONGODB_URI: 'mongodb://unused/x', PUBLIC_URL: base }), db, close: async () => undefined });
  const pageLanguageIs = (lang: string) => page.waitForFunction(`document.documentElement.lang === '${lang}'`, undefined, { timeout: 10_000 });
  const bubble = (text: string | RegExp) => page.locator('.webchat__bubble p').filter({ hasText: text });
  const say = async (text: string) => {
    await page.locator(SEND_BOX).fill(text);
    await page.locator(SEND_BOX).press('Enter');
  };

  it('verifies by link, shows the balance, pays on the demo page and delivers the receipt', async () => {
    const token = await assistant().issueLinkToken('DEMO-001', 3600);

    await page.goto(`${base}/chat?lang=es&t=${encodeURIComponent(token)}`);
    await bubble(/asistente virtual de Colegio Azul/).first().waitFor({ timeout: 20_000 });
    await bubble(/María Fernanda/).first().waitFor({ timeout: 10_000 });

    await say('saldo');
    await bubble(/Su saldo con Colegio Azul/).waitFor({ timeout: 10_000 });
    const totalLine = await bubble(/Total pendiente/).first().textContent();
    expect(totalLine).to.match(/Total pendiente: \$[\d,]+\.\d{2} MXN/);

    await say('pagar');
    await bubble(/Qué desea pagar/).waitFor({ timeout: 10_000 });
    await say('1');
    await bubble(/enlace de pago seguro/).waitFor({ timeout: 10_000 });
    const payUrl = await page.locator(`a[href*="/pay/"]`).first().getAttribute('href');
    expect(payUrl).to.match(new RegExp(`^${base}/pay/`));

    const payPage = await browser.newPage();
    await payPage.goto(payUrl!);
    expect(await payPage.locator('body').textContent()).to.match(/DEMOSTRACIÓN/);
    await payPage.locator('button[type="submit"], form button').first().click();
    await payPage.getByText(/Registramos su pago/).waitFor({ timeout: 10_000 });
    await payPage.close();

    await bubble(/recibimos su pago de/).waitFor({ timeout: 15_000 });
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS, 'e2e-balance-pay-receipt.png'), fullPage: true });

    // The whole balance was two invoices: one ledger entry each, and nothing left open.
    const paid = await db.models.Payment.find({ debtorId: 'DEMO-001', source: 'local' }).lean();
    expect(new Set(paid.map((p) => p.invoiceId)).size).to.equal(2);
    expect((await assistant().balance('DEMO-001')).invoices).to.deep.equal([]);
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('in English: promises a payment date and asks for a person', async () => {
    const token = await assistant().issueLinkToken('DEMO-016', 3600);
    await page.evaluate('sessionStorage.clear()');
    await page.goto(`${base}/chat?lang=en&t=${encodeURIComponent(token)}`);
    await bubble(/Emily/).first().waitFor({ timeout: 20_000 });

    // The menu's options are all in sight at once (none hidden in a carousel), numbered.
    const options = page.locator('.webchat__suggested-action');
    await options.first().waitFor({ timeout: 10_000 });
    expect(await options.allInnerTexts()).to.have.length(6);
    const viewport = page.viewportSize()!;
    for (const box of await Promise.all((await options.all()).map((o) => o.boundingBox()))) {
      expect(box, 'a menu option has a box').to.not.equal(null);
      expect(box!.x).to.be.at.least(0);
      expect(box!.x + box!.width, 'a menu option runs off the screen').to.be.at.most(viewport.width);
    }
    await options.filter({ hasText: /^1\. Check my balance$/ }).click();
    await bubble(/Your balance with Colegio Azul/).waitFor({ timeout: 10_000 });

    await say("I'll pay next Monday");
    await bubble(/we have recorded your payment commitment to Colegio Azul/).waitFor({ timeout: 10_000 });
    const promises = await db.connection.collection('payment_promises').countDocuments({ debtorId: 'DEMO-016' });
    expect(promises).to.equal(1);

    await say('agent');
    await bubble(/asked a person from the Colegio Azul team/).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(RESULTS, 'e2e-promise-human-en.png'), fullPage: true });
    // Queued for people: the bot stays silent from now on.
    const before = await page.locator('.webchat__bubble').count();
    await say('hello?');
    await page.waitForTimeout(1500);
    expect(await page.locator('.webchat__bubble').count()).to.equal(before + 1);
  });

  it('speaks Web Chat’s own words in the bot’s language, following a switch (placeholder, page language)', async () => {
    const token = await assistant().issueLinkToken('DEMO-017', 3600);
    await page.evaluate('sessionStorage.clear()');
    // Opened in Spanish, for a debtor who speaks English: the bot's English wins.
    await page.goto(`${base}/chat?lang=es&t=${encodeURIComponent(token)}`);
    await bubble(/Hello, Marcus/).first().waitFor({ timeout: 20_000 });
    await pageLanguageIs('en');
    expect(await page.locator(SEND_BOX).getAttribute('placeholder')).to.equal('Type your message');

    await say('español');
    await bubble(/seguimos en español/).waitFor({ timeout: 10_000 });
    await pageLanguageIs('es');
    expect(await page.locator(SEND_BOX).getAttribute('placeholder')).to.equal('Escriba su mensaje');
    // The conversation so far is still on screen after Web Chat redraws in Spanish.
    expect(await bubble(/Hello, Marcus/).count()).to.be.at.least(1);
    await say('saldo');
    await bubble(/Su saldo con Colegio Azul/).waitFor({ timeout: 10_000 });
  });

  it('opens inside an iframe of a site named in CHAT_EMBED_ORIGINS, and a browser refuses it to any other site', async () => {
    const embedded = await browser.newPage();
    try {
      await embedded.goto(`${allowedSite.origin}/`);
      const chat = embedded.frameLocator('#chat');
      await chat.locator('.webchat__bubble p').filter({ hasText: /asistente virtual de Colegio Azul/ }).first().waitFor({ timeout: 20_000 });
      mkdirSync(RESULTS, { recursive: true });
      await embedded.screenshot({ path: path.join(RESULTS, 'e2e-embedded-iframe.png') });

      await embedded.goto(`${otherSite.origin}/`, { waitUntil: 'load' });
      // Chromium puts its own error page in a frame it refuses to show: no Web Chat, no greeting.
      const frame = embedded.frames().find((f) => f !== embedded.mainFrame());
      expect(frame, 'the iframe exists').to.not.equal(undefined);
      expect(frame!.url()).to.equal('chrome-error://chromewebdata/');
      expect(await frame!.locator('.webchat__bubble').count()).to.equal(0);
    } finally {
      await embedded.close();
    }
  });

  // Last: it spends this address's allowance of new conversations for the rest of the file.
  it('tells a connection that opened too many chats when to come back, in its language', async () => {
    let refused: Response | undefined;
    for (let i = 0; i < 61 && !refused; i++) {
      const res = await fetch(`${base}/v3/directline/tokens/generate`, { method: 'POST' });
      if (res.status === 429) refused = res;
      else expect(res.status).to.equal(200);
    }
    expect(refused, 'the 61st new conversation in 10 minutes is refused').not.to.equal(undefined);
    const minutes = Math.ceil(Number(refused!.headers.get('retry-after')) / 60);
    const fresh = await browser.newPage();
    try {
      await fresh.goto(`${base}/chat?lang=es`);
      const error = fresh.locator('.chat-error');
      await error.waitFor({ timeout: 10_000 });
      expect(await error.textContent()).to.equal(`Se abrieron demasiados chats desde su conexión. Inténtelo de nuevo en ${minutes} minutos.`);
      await fresh.goto(`${base}/chat?lang=en`);
      await error.waitFor({ timeout: 10_000 });
      expect(await error.textContent()).to.match(/^Too many chats were opened from your connection\. Please try again in \d+ minutes\.$/);
    } finally {
      await fresh.close();
    }
  });
});
