import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConversationReference } from 'botbuilder';
import type { Activity, Message } from 'botframework-directlinejs';
import { DirectLineTestClient } from '../../support/directline-client.js';
import { useTestDatabase } from '../../support/database.js';
import { call, echoBot, startWebChatServer, type WebChatServer } from './harness.js';

const botText = (text: string) => (activity: Activity) => activity.from.role === 'bot' && (activity as Message).text === text;
const texts = (activities: Activity[]) => activities.map((a) => (a as Message).text);

describe('web chat across a server restart (same database, new process state)', () => {
  const db = useTestDatabase();
  const servers: WebChatServer[] = [];
  const clients: DirectLineTestClient[] = [];

  async function start(port?: number): Promise<WebChatServer> {
    const server = await startWebChatServer(db(), { logic: echoBot, ...(port ? { port } : {}) });
    servers.push(server);
    return server;
  }
  async function connect(server: WebChatServer, options: { token?: string; conversationId?: string; watermark?: string; webSocket?: boolean } = {}) {
    const token = options.token ?? ((await call(`${server.domain}/tokens/generate`, { body: {} })).json as { token: string }).token;
    const client = await DirectLineTestClient.connect({ domain: server.domain, webSocket: options.webSocket ?? true, pollingInterval: 200, ...options, token });
    clients.push(client);
    return client;
  }
  const referenceTo = (conversationId: string, userId: string): Partial<ConversationReference> => ({
    channelId: 'directline',
    serviceUrl: 'http://127.0.0.1/',
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
    user: { id: userId, name: '' },
    bot: { id: 'cobrabot', name: 'Cobrabot' },
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.end();
    for (const server of servers.splice(0)) await server.close();
  });

  for (const webSocket of [true, false]) {
    it(`a client that resumes with its watermark after a restart gets exactly what it missed (${webSocket ? 'WebSocket' : 'polling'})`, async () => {
      const first = await start();
      const before = await connect(first, { webSocket });
      // The greeting turn races the first message; the user sees the greeting first.
      await before.ready();
      await before.waitFor(botText(`hello ${before.userId}`));
      await before.say('antes');
      await before.waitFor(botText('echo: antes'));
      const { conversationId, token, watermark, userId } = before;
      const seenBefore = before.received.map((a) => a.id);
      before.end();
      const missedPost = await call(`${first.domain}/conversations/${conversationId}/activities`, { token, body: { type: 'message', text: 'perdido', from: { id: userId } } });
      expect(missedPost.status).to.equal(200);
      await first.close();
      servers.splice(servers.indexOf(first), 1);

      const second = await start();
      await second.adapter.continueConversationAsync('', referenceTo(conversationId, userId), async (context) => {
        await context.sendActivity('tras reinicio');
      });
      // The token the first process signed is still good: the key lives in the database.
      const after = await connect(second, { token, conversationId, watermark, webSocket });
      const missed = await after.waitForCount(() => true, 3, 5000, 'missed activities');
      expect(texts(missed)).to.deep.equal(['perdido', 'echo: perdido', 'tras reinicio']);
      expect(missed.map((a) => a.id)).not.to.include.members(seenBefore);

      await after.say('después');
      await after.waitFor(botText('echo: después'));
      const history = await call(`${second.domain}/conversations/${conversationId}/activities`, { token: after.token });
      const all = (history.json as { activities: Activity[] }).activities;
      expect(texts(all)).to.deep.equal([`hello ${userId}`, 'antes', 'echo: antes', 'perdido', 'echo: perdido', 'tras reinicio', 'después', 'echo: después']);
      // Numbers continue where the first process stopped: nothing overwritten, nothing skipped.
      expect(all.map((a) => Number(a.id!.split('|')[1]))).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    });
  }

  it('a connected WebSocket client reconnects by itself to the restarted server and misses nothing', async function () {
    this.timeout(20_000);
    const first = await start();
    const port = Number(new URL(first.url).port);
    const client = await connect(first);
    await client.ready();
    await client.waitFor(botText(`hello ${client.userId}`));
    await client.say('uno');
    await client.waitFor(botText('echo: uno'));
    await first.close();
    servers.splice(servers.indexOf(first), 1);

    const second = await start(port);
    await second.adapter.continueConversationAsync('', referenceTo(client.conversationId, client.userId), async (context) => {
      await context.sendActivity('mientras tanto');
    });
    // directlinejs waits 3 s (its shortest back-off) before it asks for a new stream URL.
    await client.waitFor(botText('mientras tanto'), 10_000);
    await client.say('dos');
    await client.waitFor(botText('echo: dos'));
    expect(texts(client.received)).to.deep.equal([`hello ${client.userId}`, 'uno', 'echo: uno', 'mientras tanto', 'dos', 'echo: dos']);
  });

  it('closing the server waits for running turns, so their replies are stored', async () => {
    const server = await startWebChatServer(db(), {
      logic: async (context) => {
        if (context.activity.type !== 'message') return;
        await sleep(300);
        await context.sendActivity('slow reply');
      },
    });
    const token = ((await call(`${server.domain}/tokens/generate`, { body: {} })).json as { token: string }).token;
    const started = await call(`${server.domain}/conversations`, { token, body: {} });
    const { conversationId } = started.json as { conversationId: string };
    const userId = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { user: string }).user;
    await call(`${server.domain}/conversations/${conversationId}/activities`, { token, body: { type: 'message', text: 'hurry', from: { id: userId } } });
    await server.close();

    const again = await start();
    const history = await call(`${again.domain}/conversations/${conversationId}/activities`, { token });
    expect(texts((history.json as { activities: Activity[] }).activities)).to.deep.equal(['hurry', 'slow reply']);
  });

  it('closes open streams when the server closes, instead of hanging', async () => {
    const server = await start();
    const client = await connect(server);
    await client.ready();
    await client.waitFor(botText(`hello ${client.userId}`));
    const closing = Date.now();
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    expect(Date.now() - closing).to.be.below(2000);
  });
});
