import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Options of {@link chatPageRoutes}. */
export interface ChatPageOptions {
  /** Shown in the page header; none when absent. */
  readonly creditorName?: string;
  /** Language of the page when neither `?lang=` nor the browser's language is `es` or `en`. */
  readonly defaultLocale?: string;
  /** Where the Direct Line endpoint is mounted (default `/v3/directline`). */
  readonly directLinePath?: string;
  /**
   * Origins of other sites allowed to show the page in an iframe (config `CHAT_EMBED_ORIGINS`);
   * this server's own pages always may. Browsers refuse every other framing.
   */
  readonly embedOrigins?: readonly string[];
}

/** A static file held in memory, with its compressed forms made on first demand. */
interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  readonly cacheControl: string;
  encoded?: Promise<{ br: Buffer; gzip: Buffer }>;
}

const WEB_CHAT_DIR = fileURLToPath(new URL('../../web/chat/', import.meta.url));
/** Long enough to matter, short of "for ever": the page asks for a version-stamped URL anyway. */
const BUNDLE_CACHE = 'public, max-age=31536000, immutable';
/** Our own small files change with each release and are revalidated (cheap, thanks to the ETag). */
const PAGE_CACHE = 'no-cache';
const compressBrotli = promisify(brotliCompress);
const compressGzip = promisify(gzip);

/**
 * Where botframework-webchat's UMD bundle is. Its package `exports` hide `package.json` and
 * `dist/`, so the main entry is resolved (CommonJS condition) and `dist` found beside it.
 */
function webChatBundle(): { file: string; packageJson: string } {
  const require = createRequire(import.meta.url);
  const main = require.resolve('botframework-webchat');
  const root = path.resolve(path.dirname(main), '..');
  return { file: path.join(root, 'dist', 'webchat.js'), packageJson: path.join(root, 'package.json') };
}

function asset(body: Buffer, type: string, cacheControl: string): Asset {
  // Weak: the same ETag names the plain, gzip and brotli forms of the file.
  return { body, type, cacheControl, etag: `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * Sends `file`, compressed when the client accepts it (the Web Chat bundle is 3.9 MB, about 1 MB
 * gzipped), answering 304 when the client's copy is current.
 */
async function sendAsset(request: FastifyRequest, reply: FastifyReply, file: Asset, extraHeaders: Record<string, string> = {}): Promise<FastifyReply> {
  reply.header('content-type', file.type).header('cache-control', file.cacheControl).header('etag', file.etag).header('vary', 'accept-encoding').headers(extraHeaders);
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (file.body.length > 1024 && /\b(br|gzip)\b/.test(accepted)) {
    file.encoded ??= Promise.all([
      compressBrotli(file.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: file.body.length } }),
      compressGzip(file.body, { level: 9 }),
    ]).then(([br, gz]) => ({ br, gzip: gz }));
    const encoded = await file.encoded;
    const encoding = /\bbr\b/.test(accepted) ? 'br' : 'gzip';
    return reply.header('content-encoding', encoding).send(encoded[encoding]);
  }
  return reply.send(file.body);
}

/**
 * The web chat page (CONTRACT.md section 6): `GET /chat` serves Microsoft's Web Chat UI on this
 * server's Direct Line endpoint; `/chat?t=TOKEN` opens it with a chat link token, `?lang=es|en`
 * picks the language. Everything comes from this server: `/chat/webchat.js` is the
 * botframework-webchat bundle from node_modules (cached for a year under a version-stamped URL),
 * `/chat/chat.js` and `/chat/chat.css` the page's own code, `/chat/config` a small JSON
 * `{ creditorName, defaultLocale, directLinePath }`.
 */
export async function chatPageRoutes(app: FastifyInstance, options: ChatPageOptions): Promise<void> {
  const bundle = webChatBundle();
  const { version } = JSON.parse(await readFile(bundle.packageJson, 'utf8')) as { version: string };
  const html = (await readFile(path.join(WEB_CHAT_DIR, 'index.html'), 'utf8')).replaceAll('{{WEBCHAT_VERSION}}', encodeURIComponent(version));
  const page = asset(Buffer.from(html), 'text/html; charset=utf-8', PAGE_CACHE);
  const script = asset(await readFile(path.join(WEB_CHAT_DIR, 'chat.js')), 'text/javascript; charset=utf-8', PAGE_CACHE);
  const style = asset(await readFile(path.join(WEB_CHAT_DIR, 'chat.css')), 'text/css; charset=utf-8', PAGE_CACHE);
  const webChat = asset(await readFile(bundle.file), 'text/javascript; charset=utf-8', BUNDLE_CACHE);
  const config = {
    creditorName: options.creditorName ?? null,
    defaultLocale: options.defaultLocale ?? 'es',
    directLinePath: options.directLinePath ?? '/v3/directline',
  };

  // Web Chat injects its styles at run time (hence 'unsafe-inline' for styles only); scripts,
  // connections and images come from this origin alone. Framing: this origin and the sites the
  // operator named, so that no other page can wrap the chat to pass itself off as the creditor.
  const frameAncestors = ["'self'", ...(options.embedOrigins ?? [])].join(' ');
  const pageHeaders = {
    'content-security-policy':
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' data: blob:; connect-src 'self' ws: wss:; font-src 'self' data:; frame-ancestors ${frameAncestors}; base-uri 'none'; form-action 'none'`,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  };

  app.get('/chat', async (request, reply) => sendAsset(request, reply, page, pageHeaders));
  app.get('/chat/', async (request, reply) => {
    const query = request.url.indexOf('?');
    return reply.redirect(`/chat${query >= 0 ? request.url.slice(query) : ''}`, 301);
  });
  app.get('/chat/chat.js', async (request, reply) => sendAsset(request, reply, script));
  app.get('/chat/chat.css', async (request, reply) => sendAsset(request, reply, style));
  app.get('/chat/webchat.js', async (request, reply) => sendAsset(request, reply, webChat));
  app.get('/chat/config', async (_request, reply) => reply.header('cache-control', 'no-cache').send(config));
}
