import { expect } from 'chai';
import { useTestDatabase } from '../../support/database.js';
import { echoBot, startWebChatServer, type WebChatServer } from './harness.js';

describe('the /chat page (HTTP)', () => {
  const db = useTestDatabase();
  let server: WebChatServer;
  before(async () => {
    server = await startWebChatServer(db(), { logic: echoBot, creditorName: 'Colegio Demo' });
  });
  after(() => server.close());

  it('serves the page with everything from this server: no third-party script, style or connection', async () => {
    const res = await fetch(`${server.url}/chat?t=abc&lang=en`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    const html = await res.text();
    expect(html).to.match(/<script src="\/chat\/webchat\.js\?v=4\.18\.\d+"><\/script>/);
    expect(html).to.include('<script src="/chat/chat.js"></script>');
    expect(html).not.to.match(/(src|href)="(https?:)?\/\//);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("script-src 'self'");
    expect(csp).to.include("connect-src 'self' ws: wss:");
    // Only this server's own pages may frame it unless the operator names other sites.
    expect(csp).to.include("frame-ancestors 'self';");
    // The page URL carries a chat link token: it must not leak to other sites.
    expect(res.headers.get('referrer-policy')).to.equal('no-referrer');
  });

  it('serves the Web Chat bundle from node_modules, compressed, with long cache headers and an ETag', async () => {
    const res = await fetch(`${server.url}/chat/webchat.js?v=4.18.1`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/javascript/);
    expect(res.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding')).to.equal('gzip');
    const body = await res.text();
    expect(body.length).to.be.above(3_000_000);
    expect(body).to.include('renderWebChat');
    const again = await fetch(`${server.url}/chat/webchat.js`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).to.equal(304);
  });

  it("answers /chat/config with the creditor's name", async () => {
    const res = await fetch(`${server.url}/chat/config`);
    expect(await res.json()).to.deep.equal({ creditorName: 'Colegio Demo', defaultLocale: 'es', directLinePath: '/v3/directline' });
  });

  it('redirects /chat/ to /chat, keeping the link token', async () => {
    const res = await fetch(`${server.url}/chat/?t=abc`, { redirect: 'manual' });
    expect(res.status).to.equal(301);
    expect(res.headers.get('location')).to.equal('/chat?t=abc');
  });
});
