import { expect } from 'chai';
import { WebSocket } from 'ws';
import type { TurnContext } from 'botbuilder';
import { useTestDatabase } from '../../support/database.js';
import { call, echoBot, startWebChatServer, type WebChatServer } from './harness.js';

interface Started {
  conversationId: string;
  token: string;
  userId: string;
  url: string;
}
type ErrorBody = { error: { code: string; message: string } };

describe('web chat limits and bad input (raw Direct Line over HTTP)', () => {
  const db = useTestDatabase();
  const START = Date.UTC(2026, 2, 1, 12, 0, 0);
  let clock = START;
  let server: WebChatServer;
  const botSaw: string[] = [];

  before(async () => {
    server = await startWebChatServer(db(), {
      now: () => clock,
      keepAliveMs: 100,
      logic: async (context: TurnContext) => {
        if (context.activity.type === 'message') botSaw.push(context.activity.text ?? '');
        if (context.activity.text === 'boom') throw new Error('the bot failed');
        await echoBot(context);
      },
    });
  });
  beforeEach(() => {
    clock = START;
  });
  after(() => server.close());

  async function startConversation(body: unknown = {}): Promise<Started> {
    const generated = await call(`${server.domain}/tokens/generate`, { body });
    const { token } = generated.json as { token: string };
    const started = await call(`${server.domain}/conversations`, { token, body: {} });
    expect(started.status).to.equal(201);
    const { conversationId } = started.json as { conversationId: string };
    const userId = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { user: string }).user;
    // The greeting turn would race the first message: let it finish, as a user reading it would.
    await server.adapter.whenIdle(2000);
    return { conversationId, token, userId, url: `${server.domain}/conversations/${conversationId}/activities` };
  }
  const message = (c: Started, text: string, extra: object = {}) => ({ type: 'message', text, from: { id: c.userId }, ...extra });
  const errorOf = (json: unknown) => (json as ErrorBody).error;
  const history = async (c: Started) => ((await call(c.url, { token: c.token })).json as { activities: { text?: string }[] }).activities.map((a) => a.text);

  describe('sizes', () => {
    it('answers 413 MessageSizeTooBig, as JSON, for a body over 64 KiB', async () => {
      const c = await startConversation();
      const res = await call(c.url, { token: c.token, body: message(c, 'x', { value: 'y'.repeat(70_000) }) });
      expect(res.status).to.equal(413);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(errorOf(res.json).code).to.equal('MessageSizeTooBig');
    });

    it('refuses a message over 4,000 characters with 400 MessageTooLong and never gives it to the bot', async () => {
      const c = await startConversation();
      const long = 'a'.repeat(4001);
      const res = await call(c.url, { token: c.token, body: message(c, long) });
      expect(res.status).to.equal(400);
      expect(errorOf(res.json)).to.deep.include({ code: 'MessageTooLong' });
      expect(errorOf(res.json).message).to.include('4000');
      await server.adapter.whenIdle(2000);
      expect(botSaw).not.to.include(long);
      expect(await history(c)).to.deep.equal([`hello ${c.userId}`]);
    });

    it('accepts exactly 4,000 characters, counted as characters, not UTF-16 units', async () => {
      const c = await startConversation();
      const emoji = '😀'.repeat(4000);
      const res = await call(c.url, { token: c.token, body: message(c, emoji) });
      expect(res.status).to.equal(200);
      await server.adapter.whenIdle(2000);
      expect(botSaw).to.include(emoji);
    });
  });

  describe('floods', () => {
    it('answers 429 TooManyRequests with Retry-After past 10 messages in 10 s, per conversation', async () => {
      const c = await startConversation();
      const other = await startConversation();
      for (let i = 0; i < 10; i++) {
        clock += 500;
        const ok = await call(c.url, { token: c.token, body: message(c, `m${i}`) });
        expect(ok.status, `message ${i}`).to.equal(200);
      }
      const refused = await call(c.url, { token: c.token, body: message(c, 'one too many') });
      expect(refused.status).to.equal(429);
      expect(errorOf(refused.json).code).to.equal('TooManyRequests');
      // The oldest of the ten leaves the window 10 s after it came: 5.5 s from now.
      expect(refused.headers.get('retry-after')).to.equal('6');
      expect((await call(other.url, { token: other.token, body: message(other, 'not me') })).status).to.equal(200);
      clock += 6000;
      expect((await call(c.url, { token: c.token, body: message(c, 'later') })).status).to.equal(200);
      await server.adapter.whenIdle(2000);
      expect(botSaw).not.to.include('one too many');
      const texts = await history(c);
      expect(texts).to.include('echo: later');
      expect(texts).not.to.include('one too many');
    });
  });

  describe('malformed activities', () => {
    const cases: [string, (c: Started) => unknown, RegExp][] = [
      ['an array', () => [{ type: 'message' }], /JSON object, not an array/],
      ['a string', () => 'hello', /JSON object, not string/],
      ['no type', (c) => ({ text: 'x', from: { id: c.userId } }), /activity\.type is missing/],
      ['a type clients may not send', (c) => ({ type: 'invoke', from: { id: c.userId } }), /"invoke" is not accepted/],
      ['from that is not an object', () => ({ type: 'message', text: 'x', from: 'me' }), /activity\.from must be an object/],
      ["someone else's from.id", () => ({ type: 'message', text: 'x', from: { id: 'dl_someone-else' } }), /from\.id is not the user/],
      ['from.role bot', (c) => ({ type: 'message', text: 'x', from: { id: c.userId, role: 'bot' } }), /from\.role must be "user"/],
      ['text that is not a string', (c) => ({ type: 'message', text: 42, from: { id: c.userId } }), /activity\.text must be a string/],
      ['channelData that is not an object', (c) => ({ type: 'message', text: 'x', from: { id: c.userId }, channelData: [] }), /channelData must be an object/],
      ['an event without a name', (c) => ({ type: 'event', from: { id: c.userId } }), /event activity needs a string name/],
    ];
    for (const [what, body, problem] of cases) {
      it(`answers 400 BadArgument naming the problem for ${what}`, async () => {
        const c = await startConversation();
        const res = await call(c.url, { token: c.token, body: body(c) });
        expect(res.status).to.equal(400);
        expect(errorOf(res.json).code).to.equal('BadArgument');
        expect(errorOf(res.json).message).to.match(problem);
      });
    }

    it('answers 400 NotSupported for attachments, and for uploads', async () => {
      const c = await startConversation();
      const res = await call(c.url, { token: c.token, body: message(c, 'x', { attachments: [{ contentType: 'image/png', contentUrl: 'http://x/y.png' }] }) });
      expect(res.status).to.equal(400);
      expect(errorOf(res.json).code).to.equal('NotSupported');
      const upload = await call(`${server.domain}/conversations/${c.conversationId}/upload?userId=${c.userId}`, {
        token: c.token,
        rawBody: '--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhi\r\n--b--\r\n',
        contentType: 'multipart/form-data; boundary=b',
      });
      expect(upload.status).to.equal(400);
      expect(errorOf(upload.json).code).to.equal('NotSupported');
    });

    it('answers 400 for a body that is not JSON and 415 for one that is not declared JSON', async () => {
      const c = await startConversation();
      const broken = await call(c.url, { token: c.token, rawBody: '{"type":' });
      expect(broken.status).to.equal(400);
      expect(errorOf(broken.json).code).to.equal('BadArgument');
      const text = await call(c.url, { token: c.token, rawBody: 'hello', contentType: 'text/plain' });
      expect(text.status).to.equal(415);
      expect(errorOf(text.json).code).to.equal('BadArgument');
    });

    it('answers 400 for a watermark that is not a number', async () => {
      const c = await startConversation();
      const res = await call(`${c.url}?watermark=abc`, { token: c.token });
      expect(res.status).to.equal(400);
      expect(errorOf(res.json).message).to.match(/watermark/);
    });

    it('checks tokens/generate input: user id and link token', async () => {
      const badUser = await call(`${server.domain}/tokens/generate`, { body: { user: { id: 'has spaces and ; semicolons' } } });
      expect(badUser.status).to.equal(400);
      expect(errorOf(badUser.json).message).to.match(/user\.id/);
      const longLink = await call(`${server.domain}/tokens/generate`, { body: { linkToken: 'x'.repeat(1025) } });
      expect(longLink.status).to.equal(400);
      expect(errorOf(longLink.json).message).to.match(/linkToken/);
      const empty = await call(`${server.domain}/tokens/generate`, { rawBody: '' });
      expect(empty.status).to.equal(200);
    });
  });

  describe('conversations and tokens', () => {
    it('answers 404 NotFound for a conversation that was never started, and for unknown operations', async () => {
      const generated = (await call(`${server.domain}/tokens/generate`, { body: {} })).json as { token: string; conversationId: string };
      const res = await call(`${server.domain}/conversations/${generated.conversationId}/activities`, { token: generated.token });
      expect(res.status).to.equal(404);
      expect(errorOf(res.json).code).to.equal('NotFound');
      const unknown = await call(`${server.domain}/no/such/thing`);
      expect(unknown.status).to.equal(404);
      expect(errorOf(unknown.json).code).to.equal('NotFound');
    });

    it('answers 403 TokenExpired once the token has expired, on every call', async () => {
      const c = await startConversation();
      clock += 1801 * 1000;
      for (const res of [
        await call(c.url, { token: c.token }),
        await call(c.url, { token: c.token, body: message(c, 'late') }),
        await call(`${server.domain}/conversations/${c.conversationId}`, { token: c.token }),
        await call(`${server.domain}/tokens/refresh`, { method: 'POST', token: c.token }),
      ]) {
        expect(res.status).to.equal(403);
        expect(errorOf(res.json).code).to.equal('TokenExpired');
      }
    });

    it('answers 403 BadToken for a forged, missing or foreign token', async () => {
      const c = await startConversation();
      const other = await startConversation();
      const [header, payload] = c.token.split('.');
      const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), exp: 9_999_999_999 })).toString('base64url');
      for (const token of [`${header}.${forgedPayload}.${c.token.split('.')[2]}`, 'not-a-token', undefined, other.token]) {
        const res = await call(c.url, token === undefined ? {} : { token });
        expect(res.status, String(token)).to.equal(403);
        expect(errorOf(res.json).code).to.equal('BadToken');
      }
    });

    it('refreshes a token: a new one for the same conversation, valid past the old expiry', async () => {
      const c = await startConversation();
      clock += 1000 * 1000;
      const refreshed = await call(`${server.domain}/tokens/refresh`, { method: 'POST', token: c.token });
      expect(refreshed.status).to.equal(200);
      const body = refreshed.json as { token: string; conversationId: string; expires_in: number };
      expect(body).to.include({ conversationId: c.conversationId, expires_in: 1800 });
      clock += 1000 * 1000;
      expect((await call(c.url, { token: c.token })).status).to.equal(403);
      expect((await call(c.url, { token: body.token })).status).to.equal(200);
    });

    it('answers 201 for the first start and 200 after, greeting once', async () => {
      const generated = (await call(`${server.domain}/tokens/generate`, { body: {} })).json as { token: string; conversationId: string };
      const first = await call(`${server.domain}/conversations`, { token: generated.token, body: {} });
      const again = await call(`${server.domain}/conversations`, { token: generated.token, body: {} });
      expect([first.status, again.status]).to.deep.equal([201, 200]);
      const answer = again.json as { conversationId: string; streamUrl: string };
      expect(answer.conversationId).to.equal(generated.conversationId);
      expect(answer.streamUrl).to.match(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${generated.conversationId}/stream\\?t=`));
      await server.adapter.whenIdle(2000);
      const url = `${server.domain}/conversations/${generated.conversationId}/activities`;
      const greetings = ((await call(url, { token: generated.token })).json as { activities: unknown[] }).activities;
      expect(greetings).to.have.length(1);
    });

    it('keeps the conversation going after the bot throws', async () => {
      const c = await startConversation();
      expect((await call(c.url, { token: c.token, body: message(c, 'boom') })).status).to.equal(200);
      expect((await call(c.url, { token: c.token, body: message(c, 'still there?') })).status).to.equal(200);
      await server.adapter.whenIdle(2000);
      expect(await history(c)).to.deep.equal([`hello ${c.userId}`, 'boom', 'still there?', 'echo: still there?']);
    });

    it('redacts card numbers before storing, echoing or handing the text to the bot', async () => {
      const c = await startConversation();
      await call(c.url, { token: c.token, body: message(c, 'mi tarjeta 4111 1111 1111 1111') });
      await server.adapter.whenIdle(2000);
      const stored = await history(c);
      expect(stored).to.include('mi tarjeta [card redacted]');
      expect(JSON.stringify(stored)).not.to.include('4111');
      expect(botSaw).not.to.include('mi tarjeta 4111 1111 1111 1111');
    });
  });

  describe('the stream', () => {
    function open(url: string): Promise<{ socket: WebSocket; frames: string[] } | { status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const socket = new WebSocket(url);
        const frames: string[] = [];
        socket.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
        socket.on('open', () => resolve({ socket, frames }));
        socket.on('unexpected-response', (_request, response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        socket.on('error', reject);
      });
    }
    const streamUrlOf = async (c: Started, watermark?: string) =>
      ((await call(`${server.domain}/conversations/${c.conversationId}${watermark === undefined ? '' : `?watermark=${watermark}`}`, { token: c.token })).json as { streamUrl: string }).streamUrl;

    it('refuses a stream with a bad token (403) or for an unknown conversation (404), as JSON', async () => {
      const c = await startConversation();
      const url = new URL(await streamUrlOf(c));
      url.searchParams.set('t', 'forged');
      const forged = await open(url.href);
      expect(forged).to.deep.include({ status: 403 });
      expect(JSON.parse((forged as { body: string }).body).error.code).to.equal('BadToken');
      const generated = (await call(`${server.domain}/tokens/generate`, { body: {} })).json as { token: string; conversationId: string };
      const unknown = await open(`${url.origin}/v3/directline/conversations/${generated.conversationId}/stream?t=${generated.token}`);
      expect(unknown).to.deep.include({ status: 404 });
    });

    it('sends the backlog after the watermark, then empty keep-alive frames, ignoring client pings', async () => {
      const c = await startConversation();
      await call(c.url, { token: c.token, body: message(c, 'first') });
      await server.adapter.whenIdle(2000);
      const opened = await open(await streamUrlOf(c, '0'));
      if (!('socket' in opened)) throw new Error(`stream refused: ${opened.status}`);
      opened.socket.send('');
      await new Promise((resolve) => setTimeout(resolve, 350));
      const [backlog, ...rest] = opened.frames;
      expect(JSON.parse(backlog!)).to.deep.include({ watermark: '2' });
      expect(JSON.parse(backlog!).activities.map((a: { text: string }) => a.text)).to.deep.equal(['first', 'echo: first']);
      expect(rest.length).to.be.at.least(2);
      expect(rest.every((frame) => frame === '')).to.equal(true);
      expect(opened.socket.readyState).to.equal(WebSocket.OPEN);
      opened.socket.close();
    });
  });
});
