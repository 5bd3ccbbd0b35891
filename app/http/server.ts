import { createHash, timingSafeEqual } from 'node:crypto';
import { fastify, LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Logger } from '../../core/infra/logger.js';
import type { BotLogic, DirectLineAdapter } from '../../channels/webchat/directline-adapter.js';
import { directLineRoutes, type DirectLineLimits } from '../../channels/webchat/directline-routes.js';
import type { Runtime } from '../runtime.js';
import type { Language } from '../../core/domain/portfolio.js';
import type { LocalPayments } from '../../core/services/local-payments.js';
import { chatPageRoutes } from './chat-page.route.js';
import { payPageRoutes } from './pay-page.route.js';
import { importsRoutes } from './imports.route.js';
import { kpisRoutes } from './kpis.route.js';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** Bearer token of the admin API; without one the admin API answers 503. */
  readonly adminToken?: string;
  /** Where request and error lines go; silent when absent. */
  readonly logger?: Logger;
  /** The web chat channel: the Direct Line endpoint and the `/chat` page; absent, neither is served. */
  readonly webchat?: WebChatMount;
  /** The local demo payment provider's page `/pay/TOKEN`; absent, not served. */
  readonly payments?: LocalPayments;
  /** Language of pages that cannot tell the visitor's (default `es`). */
  readonly defaultLanguage?: Language;
}

/** What {@link buildServer} needs to serve the web chat (CONTRACT.md section 6). */
export interface WebChatMount {
  readonly adapter: DirectLineAdapter;
  /** The bot's turn logic, typically `(context) => bot.run(context)`. */
  readonly logic: BotLogic;
  /** Signs Direct Line tokens: `getOrCreateSecret(db, 'directline-token')`, so tokens survive restarts. */
  readonly tokenSecret: string;
  /** Stream URLs are built from it; unset, from each request's Host header. */
  readonly publicUrl?: string | (() => string);
  /** Shown in the chat page's header. */
  readonly creditorName?: string;
  /** The page's language when neither `?lang=` nor the browser's is `es` or `en`. */
  readonly defaultLocale?: string;
  /** Other sites that may show the chat page in an iframe (config `CHAT_EMBED_ORIGINS`). */
  readonly embedOrigins?: readonly string[];
  /** Overrides of the Direct Line limits (tests, benchmarks). */
  readonly limits?: Partial<DirectLineLimits>;
  /** Milliseconds between keep-alive frames (default 15 s). */
  readonly keepAliveMs?: number;
  /** Milliseconds since the epoch, for token expiry and rate limits (tests). */
  readonly now?: () => number;
}

/** Where the Direct Line endpoint of the web chat is mounted (CONTRACT.md section 6). */
export const DIRECT_LINE_PREFIX = '/v3/directline';

/** Prefix of the admin API (CONTRACT.md sections 3-5). */
export const ADMIN_API_PREFIX = '/api/v1';

/** How long `/healthz` waits for the database before calling it down. */
const HEALTH_PING_TIMEOUT_MS = 1000;

/** Compares in time independent of where the strings differ, and of their lengths. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The route pattern of a request, for labels and logs: never the raw URL (ids, tokens). */
function routeLabel(request: FastifyRequest): string {
  if (request.is404) return 'unmatched';
  return request.routeOptions.url ?? 'unmatched';
}

function adminAuth(adminToken: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!adminToken) {
      await reply.code(503).send({ error: 'admin API disabled: set ADMIN_API_TOKEN' });
      return;
    }
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match?.[1]) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'missing admin token: send Authorization: Bearer <ADMIN_API_TOKEN>' });
      return;
    }
    if (!sameSecret(match[1], adminToken)) {
      await reply.code(401).header('www-authenticate', 'Bearer error="invalid_token"').send({ error: 'wrong admin token' });
    }
  };
}

/** `TRUST_PROXY` as Fastify takes it: a number of hops trusts that many proxies nearest the server. */
function fastifyTrustProxy(trust: Runtime['config']['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return typeof trust === 'boolean' ? trust : [...trust];
}

/**
 * The HTTP server: `GET /healthz`, `GET /metrics` and the admin API under `/api/v1` (bearer
 * token, checked before any admin route or admin 404 runs). Unknown routes get a JSON 404;
 * failures a JSON 500 that never carries a stack trace or an internal message.
 *
 * Not listening yet: call `listen`, or `inject` in tests.
 *
 * @example
 * const app = await buildServer(runtime, { adminToken, logger });
 * await app.listen({ port: 3000, host: '0.0.0.0' });
 */
export async function buildServer(runtime: Runtime, options: ServerOptions): Promise<FastifyInstance> {
  // Typed as Fastify's base logger: a pino Logger would make the instance type incompatible
  // with the plain FastifyInstance that route plugins receive.
  const loggerInstance: FastifyBaseLogger | undefined = options.logger;
  const app: FastifyInstance = fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: false }),
    // Fastify's own request lines carry the raw URL (ids, future chat tokens in the query):
    // this server logs one line per request with the route pattern instead.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
    // Client addresses (rate limits, logs) come from X-Forwarded-For only through trusted proxies.
    trustProxy: fastifyTrustProxy(runtime.config.trustProxy),
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status code.',
    labelNames,
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = routeLabel(request);
    const labels = { method: request.method, route, status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
    const quiet = route === '/healthz' || route === '/metrics';
    request.log[quiet ? 'debug' : 'info'](
      { method: request.method, route, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Client errors raised by Fastify (bad JSON, body too large, unsupported type): their
      // messages describe the request, not the server.
      return reply.code(status).send({ error: error.message });
    }
    request.log.error({ err: error, route: routeLabel(request) }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });

  app.setNotFoundHandler(async (request, reply) => reply.code(404).send({ error: `not found: ${request.method} ${request.url.split('?')[0]}` }));

  // The banner prints the server's own URL: answer it rather than 404.
  app.get('/', async () => ({
    name: 'cobrabot',
    endpoints: { health: '/healthz', metrics: '/metrics', adminApi: ADMIN_API_PREFIX },
  }));

  app.get('/healthz', async (_request, reply) => {
    const up = await runtime.db.ping(HEALTH_PING_TIMEOUT_MS);
    return reply
      .code(up ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(up ? { status: 'ok', db: 'up' } : { status: 'degraded', db: 'down' });
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await registry.metrics();
    return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(text);
  });

  await app.register(
    async (api) => {
      api.addHook('onRequest', adminAuth(options.adminToken));
      // Its own 404 so that unknown admin paths answer 401/503 first and reveal nothing.
      api.setNotFoundHandler(async (request, reply) =>
        reply.code(404).send({ error: `not found: ${request.method} ${request.url.split('?')[0]}` }),
      );
      await api.register(importsRoutes, { runtime });
      await api.register(kpisRoutes, { runtime });
    },
    { prefix: ADMIN_API_PREFIX },
  );

  if (options.payments) {
    await app.register(payPageRoutes, { payments: options.payments, ...(options.defaultLanguage ? { defaultLanguage: options.defaultLanguage } : {}) });
  }

  if (options.webchat) {
    const { adapter, logic, tokenSecret, publicUrl, limits, keepAliveMs, now, creditorName, defaultLocale, embedOrigins } = options.webchat;
    await app.register(directLineRoutes, {
      prefix: DIRECT_LINE_PREFIX,
      adapter,
      logic,
      tokenSecret,
      ...(publicUrl === undefined ? {} : { publicUrl }),
      ...(limits === undefined ? {} : { limits }),
      ...(keepAliveMs === undefined ? {} : { keepAliveMs }),
      ...(now === undefined ? {} : { now }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    await app.register(chatPageRoutes, {
      directLinePath: DIRECT_LINE_PREFIX,
      ...(creditorName === undefined ? {} : { creditorName }),
      ...(defaultLocale === undefined ? {} : { defaultLocale }),
      ...(embedOrigins === undefined ? {} : { embedOrigins }),
    });
  }

  return app;
}
