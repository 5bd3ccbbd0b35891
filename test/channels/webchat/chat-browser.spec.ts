import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../support/chromium.js';
import { useTestDatabase } from '../../support/database.js';
import { echoBot, startWebChatServer, type WebChatServer } from './harness.js';

const RESULTS = path.resolve('test-results');
const SEND_BOX = '[data-id="webchat-sendbox-input"]';

describe('the /chat page in headless Chromium (Microsoft Web Chat on our Direct Line)', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  let server: WebChatServer;
  let browser: Browser;
  let page: Page;
  const linkTokens: (string | undefined)[] = [];
  const botSaw: string[] = [];
  const problems: string[] = [];

  before(async () => {
    server = await startWebChatServer(db(), {
      creditorName: 'Colegio Demo',
      logic: async (context) => {
        const claims = (context.activity.channelData as { claims?: { linkToken?: string } } | undefined)?.claims;
        linkTokens.push(claims?.linkToken);
        if (context.activity.type === 'message') botSaw.push(context.activity.text ?? '');
        await echoBot(context);
      },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A message bubble's visible text (Web Chat also renders each text for screen readers). */
  const bubble = (text: string | RegExp) => page.locator('.webchat__bubble p').filter({ hasText: text });

  it('opens /chat?t=…, shows the greeting, sends a message and shows the echo bot’s reply', async () => {
    await page.goto(`${server.url}/chat?lang=en&t=link-token-123`);
    await bubble(/^hello dl_/).waitFor({ timeout: 15_000 });
    expect(await page.locator('#creditor').textContent()).to.equal('Colegio Demo');
    expect(await page.locator('html').getAttribute('lang')).to.equal('en');

    await page.locator(SEND_BOX).fill('hola robot');
    await page.locator(SEND_BOX).press('Enter');
    await bubble('echo: hola robot').waitFor({ timeout: 10_000 });
    // The server's echo confirmed the user's bubble: Web Chat shows "Sending" until it comes,
    // and "Send failed" when it does not.
    await page.waitForTimeout(300);
    expect(await page.getByText(/^sending/i).count()).to.equal(0);
    expect(await page.getByText(/send failed/i).count()).to.equal(0);

    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS, 'webchat-smoke.png'), fullPage: true });
    expect(linkTokens).to.deep.equal(['link-token-123', 'link-token-123']);
    expect(botSaw).to.deep.equal(['hola robot']);
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('resumes the same conversation after a reload, replaying it', async () => {
    const saved = async () => JSON.parse(String(await page.evaluate("sessionStorage.getItem('cobrabot.chat') || '{}'"))) as { conversationId?: string; watermark?: string };
    const before = await saved();
    expect(before.watermark).to.match(/^\d+$/);
    await page.reload();
    await bubble('echo: hola robot').waitFor({ timeout: 15_000 });
    const after = await saved();
    expect(after.conversationId).to.equal(before.conversationId);
    await page.locator(SEND_BOX).fill('otra vez');
    await page.locator(SEND_BOX).press('Enter');
    await bubble('echo: otra vez').waitFor({ timeout: 10_000 });
    // Still one greeting: the reload did not start a new conversation.
    expect(await bubble(/^hello dl_/).count()).to.equal(1);
  });

  it('keeps a message over 4,000 characters in the box and says why, instead of sending it', async () => {
    const long = 'x'.repeat(4001);
    await page.locator(SEND_BOX).fill(long);
    await page.locator(SEND_BOX).press('Enter');
    await page.getByText(/too long/i).first().waitFor({ timeout: 5000 });
    expect(await page.locator(SEND_BOX).inputValue()).to.equal(long);
    expect(await bubble(long).count()).to.equal(0);
    await server.adapter.whenIdle(2000);
    expect(botSaw).to.deep.equal(['hola robot', 'otra vez']);
  });
});
