import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../core/infra/config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).to.equal(3000);
    expect(c.publicUrl).to.equal('http://localhost:3000');
    expect(c.defaultLocale).to.equal('es');
    expect(c.defaultTimezone).to.equal('America/Mexico_City');
    expect(c.mongodbUri).to.equal(undefined);
    expect(c.dataDir).to.match(/\/data$/);
    expect(c.whatsappEnabled).to.equal(false);
  });

  it('derives PUBLIC_URL from PORT and trims a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).to.equal('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://cobro.example.com/' }).publicUrl).to.equal('https://cobro.example.com');
  });

  const bad: [string, string, RegExp][] = [
    ['PORT', 'abc', /^Invalid configuration: PORT must be a number \(got "abc"\)$/],
    ['PORT', '70000', /^Invalid configuration: PORT must be 0-65535/],
    ['DEFAULT_LOCALE', 'fr', /^Invalid configuration: DEFAULT_LOCALE must be one of es, en/],
    ['DEFAULT_TIMEZONE', 'Mars/Olympus', /^Invalid configuration: DEFAULT_TIMEZONE must be an IANA time zone/],
    ['MONGODB_URI', 'postgres://x', /^Invalid configuration: MONGODB_URI must start with mongodb:\/\//],
    ['PUBLIC_URL', 'not a url', /^Invalid configuration: PUBLIC_URL must be an absolute URL/],
    ['ADMIN_API_TOKEN', 'short', /^Invalid configuration: ADMIN_API_TOKEN must be at least 16 characters/],
    ['WHATSAPP_ENABLED', 'maybe', /^Invalid configuration: WHATSAPP_ENABLED must be true or false/],
    ['LOG_LEVEL', 'loud', /^Invalid configuration: LOG_LEVEL must be one of/],
    ['CHAT_EMBED_ORIGINS', 'https://ok.example.com, www.example.com', /^Invalid configuration: CHAT_EMBED_ORIGINS must be origins such as https:\/\/www\.example\.com, separated by commas; "www\.example\.com" is not one/],
    ['CHAT_EMBED_ORIGINS', 'https://www.example.com/chat', /"https:\/\/www\.example\.com\/chat" is not one/],
    ['CHAT_EMBED_ORIGINS', '*', /"\*" is not one/],
    ['TRUST_PROXY', 'yes please', /^Invalid configuration: TRUST_PROXY must be true, false, a number of proxy hops, or proxy addresses .*; "yes" is none of these/],
    ['TRUST_PROXY', '10.0.0.0/33', /"10\.0\.0\.0\/33" is none of these/],
    ['TRUST_PROXY', '10.0.0.1, proxy.local', /"proxy\.local" is none of these/],
  ];
  for (const [variable, value, message] of bad) {
    it(`refuses ${variable}=${value} in one line naming the variable`, () => {
      let caught: unknown;
      try {
        loadConfig({ [variable]: value });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(ConfigError);
      expect((caught as ConfigError).variable).to.equal(variable);
      expect((caught as ConfigError).message).to.match(message);
      expect((caught as ConfigError).message).not.to.include('\n');
    });
  }

  it('reads CHAT_EMBED_ORIGINS as a list of origins, commas or spaces between, none by default', () => {
    expect(loadConfig({}).chatEmbedOrigins).to.deep.equal([]);
    expect(loadConfig({ CHAT_EMBED_ORIGINS: 'https://www.colegio.example, http://localhost:8080 https://WWW.colegio.example/ https://pay.example:443' }).chatEmbedOrigins).to.deep.equal([
      'https://www.colegio.example',
      'http://localhost:8080',
      'https://pay.example',
    ]);
  });

  it('reads TRUST_PROXY as true, false, a hop count or proxy addresses; trusting none by default', () => {
    expect(loadConfig({}).trustProxy).to.equal(false);
    expect(loadConfig({ TRUST_PROXY: 'TRUE' }).trustProxy).to.equal(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).to.equal(2);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8 ::1' }).trustProxy).to.deep.equal(['127.0.0.1', '10.0.0.0/8', '::1']);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', MONGODB_URI: ' ' }).port).to.equal(3000);
  });
});
