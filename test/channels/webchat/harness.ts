import type { FastifyInstance } from 'fastify';
import type { TurnContext } from 'botbuilder';
import { buildServer } from '../../../app/http/server.js';
import type { Runtime } from '../../../app/runtime.js';
import { DirectLineAdapter, type BotLogic } from '../../../channels/webchat/directline-adapter.js';
import type { DirectLineLimits } from '../../../channels/webchat/directline-routes.js';
import { loadConfig } from '../../../core/infra/config.js';
import type { Database } from '../../../core/infra/database.js';
import { MongoConversationLog } from '../../../core/infra/mongo-conversation-log.js';
import { getOrCreateSecret } from '../../../core/infra/server-secrets.js';

/** A web chat server on 127.0.0.1, as `npm start` mounts it, with the bot a test gives. */
export interface WebChatServer {
  readonly app: FastifyInstance;
  readonly adapter: DirectLineAdapter;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `http://127.0.0.1:PORT/v3/directline` */
  readonly domain: string;
  close(): Promise<void>;
}

/** Options of {@link startWebChatServer}. */
export interface WebChatServerOptions {
  readonly logic: BotLogic;
  readonly limits?: Partial<DirectLineLimits>;
  readonly now?: () => number;
  readonly keepAliveMs?: number;
  /** Called with the adapter before the server starts (add middleware here). */
  readonly setup?: (adapter: DirectLineAdapter) => void;
  readonly creditorName?: string;
  /** Listen on this port (0: any free one). */
  readonly port?: number;
  /** PUBLIC_URL as configured; default the listening address. */
  readonly publicUrl?: string;
  /** The environment the server's configuration is read from (default: none set). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Starts the HTTP server with the web chat mounted, on `db`: the token secret comes from the
 * database (as in production), so a second server on the same database accepts the first one's
 * tokens and resumes its conversations.
 */
export async function startWebChatServer(db: Database, options: WebChatServerOptions): Promise<WebChatServer> {
  const runtime: Runtime = { config: loadConfig(options.env ?? {}), db, close: async () => undefined };
  let base = 'http://127.0.0.1';
  const adapter = new DirectLineAdapter({ log: new MongoConversationLog(db), serviceUrl: 'http://127.0.0.1/', ...(options.now ? { now: options.now } : {}) });
  options.setup?.(adapter);
  const app = await buildServer(runtime, {
    webchat: {
      adapter,
      logic: options.logic,
      tokenSecret: await getOrCreateSecret(db, 'directline-token'),
      publicUrl: options.publicUrl ?? (() => base),
      // Specs open hundreds of conversations from 127.0.0.1; the per-address limit has its own spec.
      limits: { newConversationsPerAddress: 100_000, ...options.limits },
      ...(options.now ? { now: options.now } : {}),
      ...(options.keepAliveMs ? { keepAliveMs: options.keepAliveMs } : {}),
      ...(options.creditorName ? { creditorName: options.creditorName } : {}),
    },
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address !== 'object') throw new Error('the test server has no port');
  base = `http://127.0.0.1:${address.port}`;
  return { app, adapter, url: base, domain: `${base}/v3/directline`, close: () => app.close() };
}

/** A bot that greets new members and echoes every message as `echo: TEXT`. */
export const echoBot: BotLogic = async (context: TurnContext) => {
  if (context.activity.type === 'conversationUpdate') {
    for (const member of context.activity.membersAdded ?? []) {
      if (member.id !== context.activity.recipient.id) await context.sendActivity(`hello ${member.id}`);
    }
    return;
  }
  if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
};

/** JSON over fetch, for the raw protocol tests. */
export async function call(
  url: string,
  init: { method?: string; token?: string; body?: unknown; rawBody?: string; contentType?: string } = {},
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.rawBody !== undefined) body = init.rawBody;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  const response = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch (error) {
    throw new Error(`${url} answered ${response.status} with non-JSON: ${text.slice(0, 200)}`, { cause: error });
  }
  return { status: response.status, headers: response.headers, json };
}
