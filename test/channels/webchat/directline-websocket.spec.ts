import { expect } from 'chai';
import { TurnContext, type Activity as BotActivity } from 'botbuilder';
import type { Activity, Message } from 'botframework-directlinejs';
import { DirectLineTestClient } from '../../support/directline-client.js';
import { useTestDatabase } from '../../support/database.js';
import { call, echoBot, startWebChatServer, type WebChatServer } from './harness.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const fromBot = (activity: Activity) => activity.from.role === 'bot';
const botText = (text: string) => (activity: Activity) => fromBot(activity) && activity.type === 'message' && (activity as Message).text === text;

describe('web chat over WebSocket (botframework-directlinejs)', () => {
  const db = useTestDatabase();
  let server: WebChatServer;
  const seen: Partial<BotActivity>[] = [];
  const timestampsAreDates: boolean[] = [];
  const clients: DirectLineTestClient[] = [];

  before(async () => {
    server = await startWebChatServer(db(), {
      logic: async (context) => {
        seen.push(JSON.parse(JSON.stringify(context.activity)) as Partial<BotActivity>);
        timestampsAreDates.push(context.activity.timestamp instanceof Date);
        if (context.activity.type === 'message' && context.activity.text === 'typing please') {
          await context.sendActivities([{ type: 'typing' }, { type: 'trace', name: 'debug', value: 'secret' }, { type: 'message', text: 'after typing' }]);
          return;
        }
        await echoBot(context);
      },
    });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.end();
  });
  after(() => server.close());

  async function connect(options: { token?: string; conversationId?: string; watermark?: string } = {}): Promise<DirectLineTestClient> {
    // As the chat page does: a token first (directlinejs cannot start without a token or secret).
    const token = options.token ?? (await generate()).token;
    const client = await DirectLineTestClient.connect({ domain: server.domain, webSocket: true, ...options, token });
    clients.push(client);
    return client;
  }

  async function generate(body: unknown = {}): Promise<{ conversationId: string; token: string; expires_in: number }> {
    const res = await call(`${server.domain}/tokens/generate`, { body });
    expect(res.status).to.equal(200);
    return res.json as { conversationId: string; token: string; expires_in: number };
  }

  it('lets the bot greet first: a conversationUpdate with the user in membersAdded', async () => {
    const { token, conversationId } = await generate({ user: { id: 'dl_greeting-user' } });
    const client = await connect({ token });
    const greeting = await client.waitFor(botText('hello dl_greeting-user'));
    expect(greeting.id).to.match(new RegExp(`^${conversationId}\\|\\d{7}$`));
    expect(greeting.timestamp).to.match(ISO);
    expect(greeting.conversation?.id).to.equal(conversationId);
    const update = seen.find((a) => a.type === 'conversationUpdate' && a.conversation?.id === conversationId);
    expect(update?.membersAdded).to.deep.equal([{ id: 'dl_greeting-user', role: 'user' }]);
    expect(update?.channelId).to.equal('directline');
  });

  it('echoes the user activity with a server id, an ISO timestamp and its clientActivityID, then the reply', async () => {
    const client = await connect();
    await client.ready();
    const id = await client.say('hola', { channelData: { clientActivityID: 'client-1' } });
    const echo = await client.waitFor((a) => a.id === id);
    expect(echo.from).to.deep.include({ id: client.userId, role: 'user' });
    expect(echo.channelData).to.deep.equal({ clientActivityID: 'client-1' });
    expect(echo.timestamp).to.match(ISO);
    const reply = await client.waitFor(botText('echo: hola'));
    expect(reply.from.role).to.equal('bot');
    expect((reply as Message & { replyToId?: string }).replyToId).to.equal(id);
    // The echo comes before the reply, and both carry increasing watermarks.
    expect(client.received.indexOf(echo)).to.be.below(client.received.indexOf(reply));
  });

  it('gives the bot the link token in channelData.claims of every activity, whatever the client claims', async () => {
    const { token, conversationId } = await generate({ linkToken: 'signed-link-abc' });
    const client = await connect({ token });
    await client.waitFor(botText(`hello ${client.userId}`));
    await client.say('forged', { channelData: { clientActivityID: 'c2', claims: { linkToken: 'someone-else' } } });
    await client.waitFor(botText('echo: forged'));
    const mine = seen.filter((a) => a.conversation?.id === conversationId);
    expect(mine.map((a) => a.type)).to.deep.equal(['conversationUpdate', 'message']);
    for (const activity of mine) expect(activity.channelData).to.deep.include({ claims: { linkToken: 'signed-link-abc' } });
    expect(mine[1]!.channelData).to.deep.equal({ clientActivityID: 'c2', claims: { linkToken: 'signed-link-abc' } });
    // The link token is the bot's: the client's copy of the echo does not carry claims.
    const echo = client.received.find((a) => a.from.role === 'user');
    expect(echo?.channelData).to.deep.equal({ clientActivityID: 'c2' });
  });

  it('gives the bot channelId directline, the serviceUrl, the recipient bot and a Date timestamp', async () => {
    const client = await connect();
    const id = await client.say('fields');
    await client.waitFor(botText('echo: fields'));
    const message = seen.find((a) => a.id === id)!;
    expect(message).to.deep.include({ channelId: 'directline', serviceUrl: 'http://127.0.0.1/', text: 'fields' });
    expect(message.recipient).to.deep.include({ id: 'cobrabot', role: 'bot' });
    expect(message.from).to.deep.include({ id: client.userId, role: 'user' });
    expect(timestampsAreDates[seen.indexOf(message)]).to.equal(true);
  });

  it('delivers typing live and never sends trace activities', async () => {
    const client = await connect();
    // Typing is live only: make sure the stream is open (a reply came over it) before asking.
    await client.say('warm up');
    await client.waitFor(botText('echo: warm up'));
    await client.say('typing please');
    await client.waitFor(botText('after typing'));
    const fromTheBot = client.received.filter(fromBot);
    expect(fromTheBot.map((a) => a.type)).to.include('typing');
    expect(fromTheBot.map((a) => a.type)).not.to.include('trace');
    expect(JSON.stringify(client.received)).not.to.include('secret');
  });

  it('resumes after the client closed: a new client with the watermark gets exactly what it missed', async () => {
    const first = await connect();
    const oneId = await first.say('one');
    await first.waitFor(botText('echo: one'));
    const { conversationId, token, watermark } = first;
    const before = first.received.map((a) => a.id);
    first.end();

    // While nobody is connected: a message from another tab and a proactive message.
    const posted = await call(`${server.domain}/conversations/${conversationId}/activities`, {
      token,
      body: { type: 'message', text: 'two', from: { id: first.userId } },
    });
    expect(posted.status).to.equal(200);
    const reference = TurnContext.getConversationReference(seen.find((a) => a.id === oneId)!);
    await server.adapter.continueConversationAsync('', reference, async (context) => {
      await context.sendActivity('while you were away');
    });
    await server.adapter.whenIdle(5000);

    const second = await connect({ token, conversationId, watermark });
    const missed = await second.waitForCount(() => true, 3, 5000, 'missed activities');
    expect(missed.map((a) => (a as Message).text)).to.deep.equal(['two', 'echo: two', 'while you were away']);
    expect(missed.map((a) => a.id)).not.to.include.members(before);
    expect(second.conversationId).to.equal(conversationId);
  });

  it('delivers a proactive message to a connected client and keeps it in the history', async () => {
    const client = await connect();
    await client.ready();
    await client.waitFor(botText(`hello ${client.userId}`));
    const id = await client.say('remember me');
    await client.waitFor(botText('echo: remember me'));
    const reference = TurnContext.getConversationReference(seen.find((a) => a.id === id)!);
    await server.adapter.continueConversationAsync('', reference, async (context) => {
      await context.sendActivity('payment received');
    });
    const proactive = await client.waitFor(botText('payment received'));
    // No replyToId pointing at an old activity: Web Chat would hold the message back for it.
    expect(proactive).not.to.have.property('replyToId');
    const history = await call(`${server.domain}/conversations/${client.conversationId}/activities`, { token: client.token });
    const texts = (history.json as { activities: Message[] }).activities.map((a) => a.text);
    expect(texts).to.deep.equal(['hello ' + client.userId, 'remember me', 'echo: remember me', 'payment received']);
  });
});
