import { expect } from 'chai';
import { useTestDatabase } from '../../support/database.js';
import { call, echoBot, startWebChatServer } from './harness.js';

describe('Direct Line stream URLs', () => {
  const db = useTestDatabase();

  async function streamUrl(publicUrl: string): Promise<{ url: string }> {
    const server = await startWebChatServer(db(), { logic: echoBot, publicUrl });
    try {
      const started = await call(`${server.domain}/conversations`, { body: {} });
      return { url: (started.json as { streamUrl: string }).streamUrl };
    } finally {
      await server.close();
    }
  }

  it('derives wss:// from an https PUBLIC_URL, keeping its path, with the token in the query', async () => {
    const { url } = await streamUrl('https://cobro.example.com/base/');
    expect(url).to.match(/^wss:\/\/cobro\.example\.com\/base\/v3\/directline\/conversations\/[\w-]+\/stream\?t=[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('derives ws:// from an http PUBLIC_URL', async () => {
    const { url } = await streamUrl('http://localhost:3000');
    expect(url).to.match(/^ws:\/\/localhost:3000\/v3\/directline\/conversations\//);
  });

  it('uses the Host the client reached when no PUBLIC_URL is configured', async () => {
    // An empty PUBLIC_URL is "not configured", as the config treats a blank variable.
    const server = await startWebChatServer(db(), { logic: echoBot, publicUrl: '' });
    try {
      const started = await call(`${server.domain}/conversations`, { body: {} });
      expect((started.json as { streamUrl: string }).streamUrl.startsWith(`${server.url.replace('http', 'ws')}/v3/directline/`)).to.equal(true);
    } finally {
      await server.close();
    }
  });
});
