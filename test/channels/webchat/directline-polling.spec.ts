import { expect } from 'chai';
import type { Activity, Message } from 'botframework-directlinejs';
import { DirectLineTestClient } from '../../support/directline-client.js';
import { useTestDatabase } from '../../support/database.js';
import { call, echoBot, startWebChatServer, type WebChatServer } from './harness.js';

const botText = (text: string) => (activity: Activity) => activity.from.role === 'bot' && (activity as Message).text === text;

describe('web chat over polling (botframework-directlinejs, webSocket: false)', () => {
  const db = useTestDatabase();
  let server: WebChatServer;
  const clients: DirectLineTestClient[] = [];

  before(async () => {
    server = await startWebChatServer(db(), { logic: echoBot });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.end();
  });
  after(() => server.close());

  async function connect(options: { token?: string; conversationId?: string; watermark?: string } = {}): Promise<DirectLineTestClient> {
    const token = options.token ?? ((await call(`${server.domain}/tokens/generate`, { body: {} })).json as { token: string }).token;
    const client = await DirectLineTestClient.connect({ domain: server.domain, webSocket: false, pollingInterval: 200, ...options, token });
    clients.push(client);
    return client;
  }

  it('gets the greeting, the echo with its clientActivityID and the reply by polling', async () => {
    const client = await connect();
    await client.waitFor(botText(`hello ${client.userId}`));
    const id = await client.say('por sondeo', { channelData: { clientActivityID: 'poll-1' } });
    const echo = await client.waitFor((a) => a.id === id);
    expect(echo.channelData).to.deep.equal({ clientActivityID: 'poll-1' });
    await client.waitFor(botText('echo: por sondeo'));
    expect(client.received.map((a) => (a as Message).text)).to.deep.equal([`hello ${client.userId}`, 'por sondeo', 'echo: por sondeo']);
  });

  it('resumes from its watermark after closing, receiving only what came after', async () => {
    const first = await connect();
    await first.say('uno');
    await first.waitFor(botText('echo: uno'));
    const { conversationId, token, watermark, userId } = first;
    expect(watermark).to.match(/^\d+$/);
    first.end();

    const posted = await call(`${server.domain}/conversations/${conversationId}/activities`, { token, body: { type: 'message', text: 'dos', from: { id: userId } } });
    expect(posted.status).to.equal(200);
    await server.adapter.whenIdle(5000);

    const second = await connect({ token, conversationId, watermark });
    const missed = await second.waitForCount(() => true, 2, 5000, 'missed activities');
    expect(missed.map((a) => (a as Message).text)).to.deep.equal(['dos', 'echo: dos']);
    // Another poll round brings nothing twice.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(second.received).to.have.length(2);
  });

  it('answers GET activities with { activities, watermark } and an unchanged watermark when nothing is new', async () => {
    const client = await connect();
    await client.waitFor(botText(`hello ${client.userId}`));
    const url = `${server.domain}/conversations/${client.conversationId}/activities`;
    const all = await call(url, { token: client.token });
    expect(all.status).to.equal(200);
    const body = all.json as { activities: Activity[]; watermark: string };
    expect(body.activities).to.have.length(1);
    expect(body.watermark).to.equal('0');
    const none = await call(`${url}?watermark=${body.watermark}`, { token: client.token });
    expect(none.json).to.deep.equal({ activities: [], watermark: '0' });
  });
});
