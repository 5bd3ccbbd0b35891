import { expect } from 'chai';
import { useTestDatabase } from '../../support/database.js';
import { echoBot, startWebChatServer, type WebChatServer } from './harness.js';

type ErrorBody = { error: { code: string; message: string } };

describe('web chat: new conversations per client address', () => {
  const db = useTestDatabase();
  const START = Date.UTC(2026, 2, 1, 12, 0, 0);
  let clock = START;
  const servers: WebChatServer[] = [];
  const limits = { newConversationsPerAddress: 3, newConversationWindowMs: 60_000 };

  beforeEach(() => {
    clock = START;
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  async function start(env: NodeJS.ProcessEnv = {}): Promise<WebChatServer> {
    const server = await startWebChatServer(db(), { logic: echoBot, now: () => clock, limits, env });
    servers.push(server);
    return server;
  }

  async function post(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: unknown }> {
    const response = await fetch(url, { method: 'POST', headers });
    return { status: response.status, headers: response.headers, json: await response.json() };
  }
  const generate = (server: WebChatServer, forwardedFor?: string) =>
    post(`${server.domain}/tokens/generate`, forwardedFor ? { 'x-forwarded-for': forwardedFor } : {});

  it('answers 429 with Retry-After past the limit, for tokens and for token-less starts alike, and again after the window', async () => {
    const server = await start();
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock += 1000;
      const res = await generate(server);
      expect(res.status, `token ${i}`).to.equal(200);
      tokens.push((res.json as { token: string }).token);
    }
    const refused = await generate(server);
    expect(refused.status).to.equal(429);
    expect((refused.json as ErrorBody).error).to.deep.include({ code: 'TooManyRequests' });
    expect((refused.json as ErrorBody).error.message).to.match(/too many new conversations from this address: at most 3 every 1 minute; retry in 58 s/);
    // The first of the three came at +1 s and leaves the window at +61 s: 58 s from now (+3 s).
    expect(refused.headers.get('retry-after')).to.equal('58');
    expect((await post(`${server.domain}/conversations`)).status, 'a start without a token').to.equal(429);

    // A token already issued still starts its conversation: the limit is on new ones.
    const started = await post(`${server.domain}/conversations`, { authorization: `Bearer ${tokens[0]}` });
    expect(started.status).to.equal(201);

    clock += 58_000;
    expect((await generate(server)).status).to.equal(200);
    expect((await post(`${server.domain}/conversations`)).status).to.equal(429);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy', async () => {
    const direct = await start();
    for (let i = 0; i < 3; i++) expect((await generate(direct, `203.0.113.${i}`)).status).to.equal(200);
    expect((await generate(direct, '203.0.113.99')).status, 'a forged header is no new address').to.equal(429);

    clock = START + 10 * 60_000;
    const proxied = await start({ TRUST_PROXY: '127.0.0.1' });
    for (let i = 0; i < 3; i++) expect((await generate(proxied, '198.51.100.7')).status).to.equal(200);
    expect((await generate(proxied, '198.51.100.7')).status, 'the same client behind the proxy').to.equal(429);
    expect((await generate(proxied, '198.51.100.8')).status, 'another client behind the proxy').to.equal(200);
  });

  it('with TRUST_PROXY as a hop count, takes the address the nearest proxy saw, not what the client wrote before it', async () => {
    const proxied = await start({ TRUST_PROXY: '1' });
    // The client forges the first entry; the proxy appends the address it saw.
    for (let i = 0; i < 3; i++) expect((await generate(proxied, `10.9.9.${i}, 198.51.100.20`)).status).to.equal(200);
    expect((await generate(proxied, '10.9.9.99, 198.51.100.20')).status).to.equal(429);
    expect((await generate(proxied, '10.9.9.1, 198.51.100.21')).status).to.equal(200);
  });
});
