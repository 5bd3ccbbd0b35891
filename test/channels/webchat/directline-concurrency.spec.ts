import { expect } from 'chai';
import { WebSocket } from 'ws';
import { useTestDatabase } from '../../support/database.js';
import { call, startWebChatServer, type WebChatServer } from './harness.js';

interface StreamedActivity {
  id: string;
  type: string;
  text?: string;
  conversation: { id: string };
  from: { id: string; role: string };
}

const CONVERSATIONS = 200;
const MESSAGES_EACH = 2;

/** A raw Direct Line client: the conversation, its stream and what arrived on it. */
interface RawClient {
  conversationId: string;
  token: string;
  userId: string;
  socket: WebSocket;
  received: StreamedActivity[];
  watermarks: number[];
}

describe('web chat under load: 200 concurrent conversations on one server', () => {
  const db = useTestDatabase();
  let server: WebChatServer;

  before(async () => {
    server = await startWebChatServer(db(), {
      logic: async (context) => {
        const conversationId = context.activity.conversation.id;
        if (context.activity.type === 'conversationUpdate') await context.sendActivity(`welcome to ${conversationId}`);
        if (context.activity.type === 'message') await context.sendActivity(`${conversationId} got ${context.activity.text}`);
      },
    });
  });
  after(() => server.close());

  async function open(i: number): Promise<RawClient> {
    const started = await call(`${server.domain}/conversations`, { body: { user: { id: `dl_load_${i}` } } });
    expect(started.status).to.equal(201);
    const { conversationId, token, streamUrl } = started.json as { conversationId: string; token: string; streamUrl: string };
    const socket = new WebSocket(streamUrl);
    const client: RawClient = { conversationId, token, userId: `dl_load_${i}`, socket, received: [], watermarks: [] };
    socket.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      if (text === '') return;
      const frame = JSON.parse(text) as { activities: StreamedActivity[]; watermark?: string };
      client.received.push(...frame.activities);
      if (frame.watermark !== undefined) client.watermarks.push(Number(frame.watermark));
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  function settled(clients: RawClient[], expected: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve, reject) => {
      const check = () => {
        if (clients.every((c) => c.received.length >= expected)) return resolve();
        if (Date.now() > deadline) {
          const short = clients.filter((c) => c.received.length < expected).length;
          return reject(new Error(`${short} conversations still short of ${expected} activities`));
        }
        setTimeout(check, 25);
      };
      check();
    });
  }

  it('delivers every reply to its own conversation: none lost, none crossed, none repeated', async function () {
    this.timeout(60_000);
    const began = Date.now();
    const clients = await Promise.all(Array.from({ length: CONVERSATIONS }, (_, i) => open(i)));
    await Promise.all(
      clients.flatMap((c, i) =>
        Array.from({ length: MESSAGES_EACH }, async (_, m) => {
          const res = await call(`${server.domain}/conversations/${c.conversationId}/activities`, {
            token: c.token,
            body: { type: 'message', text: `m${m}-${i}`, from: { id: c.userId } },
          });
          expect(res.status).to.equal(200);
        }),
      ),
    );
    const perConversation = 1 + 2 * MESSAGES_EACH;
    await settled(clients, perConversation, 30_000);
    // A moment more, for anything that should not come.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const elapsed = Date.now() - began;

    clients.forEach((c, i) => {
      expect(c.received, `conversation ${i}`).to.have.length(perConversation);
      for (const activity of c.received) expect(activity.conversation.id).to.equal(c.conversationId);
      expect(new Set(c.received.map((a) => a.id)).size).to.equal(perConversation);
      const texts = c.received.map((a) => a.text);
      // The greeting turn may still be running when the first message is stored: no order between them.
      const expected = [`welcome to ${c.conversationId}`, ...Array.from({ length: MESSAGES_EACH }, (_, m) => [`m${m}-${i}`, `${c.conversationId} got m${m}-${i}`]).flat()];
      expect([...texts].sort()).to.deep.equal([...expected].sort());
      // Each reply comes after the message it answers.
      for (let m = 0; m < MESSAGES_EACH; m++) expect(texts.indexOf(`${c.conversationId} got m${m}-${i}`)).to.be.above(texts.indexOf(`m${m}-${i}`));
      for (let w = 1; w < c.watermarks.length; w++) expect(c.watermarks[w]).to.be.above(c.watermarks[w - 1]!);
    });
    for (const c of clients) c.socket.close();
    expect(elapsed, 'the whole run').to.be.below(30_000);
  });
});
