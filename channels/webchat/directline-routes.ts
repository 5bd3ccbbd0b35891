import { randomBytes } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WebSocketServer } from 'ws';
import type { ConversationRecord } from '../../core/ports/conversation-log.port.js';
import { describeError, silentLogger, type ChannelLogger } from './channel-logger.js';
import type { BotLogic, DirectLineAdapter } from './directline-adapter.js';
import { DirectLineError } from './directline-error.js';
import { DirectLineTokens, type VerifiedToken } from './directline-token.js';
import { checkInboundActivity } from './inbound-activity.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import { StreamSession } from './stream-session.js';

/** Limits on what clients may send; see {@link DEFAULT_LIMITS}. */
export interface DirectLineLimits {
  /** Largest request body, in bytes (413 above it). */
  readonly maxBodyBytes: number;
  /** Longest message text, in characters (400 `MessageTooLong` above it). */
  readonly maxTextLength: number;
  /** Activities one conversation may post per window (429 above it)... */
  readonly activitiesPerWindow: number;
  /** ...in this many milliseconds. */
  readonly windowMs: number;
  /**
   * New conversations (`tokens/generate`, `POST /conversations` without a token) one client
   * address may open per `newConversationWindowMs` (429 above it): each costs a stored record,
   * and a script must not be able to fill the database. Behind a reverse proxy, set
   * `TRUST_PROXY` so the address is the client's, not the proxy's.
   */
  readonly newConversationsPerAddress: number;
  readonly newConversationWindowMs: number;
  /** Lifetime of a token, in seconds. */
  readonly tokenTtlSeconds: number;
  /** Open streams per conversation (a few tabs, reconnects overlapping); more are refused. */
  readonly socketsPerConversation: number;
  /** Longest `linkToken` accepted by `tokens/generate`. */
  readonly maxLinkTokenLength: number;
}

/**
 * The limits of issue 3 item 6: 64 KiB bodies, 4,000-character messages, 10 activities per
 * 10 s per conversation, 60 new conversations per client address in 10 minutes; tokens live 30 minutes, as Direct Line's do (clients refresh them
 * every 15).
 */
export const DEFAULT_LIMITS: DirectLineLimits = {
  maxBodyBytes: 64 * 1024,
  maxTextLength: 4000,
  activitiesPerWindow: 10,
  windowMs: 10_000,
  newConversationsPerAddress: 60,
  newConversationWindowMs: 10 * 60_000,
  tokenTtlSeconds: 1800,
  socketsPerConversation: 8,
  maxLinkTokenLength: 1024,
};

/** Options of {@link directLineRoutes}. */
export interface DirectLineRoutesOptions {
  readonly adapter: DirectLineAdapter;
  /** The bot's turn logic, typically `(context) => bot.run(context)`. */
  readonly logic: BotLogic;
  /** Key that signs tokens; keep it across restarts (`getOrCreateSecret`) or every token dies with the process. */
  readonly tokenSecret: string;
  /**
   * Public base URL clients reach this server at; stream URLs are built from it (`https://` gives
   * `wss://`). Unset: built from each request's Host header.
   */
  readonly publicUrl?: string | (() => string);
  readonly limits?: Partial<DirectLineLimits>;
  /** Milliseconds between keep-alive frames on every stream (default 15 s). */
  readonly keepAliveMs?: number;
  /** Milliseconds since the epoch: token expiry and rate limits. */
  readonly now?: () => number;
  readonly logger?: ChannelLogger;
}

/** Idle conversations are dropped from memory after this long (their history stays stored). */
const IDLE_CONVERSATION_MS = 10 * 60_000;
/** How long closing the server waits for running turns, so replies to accepted messages are stored. */
const CLOSE_DRAIN_MS = 10_000;
const CONVERSATION_ID_BYTES = 16;
const USER_ID = /^[\p{L}\p{N}_.:@|+-]{1,128}$/u;
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

type Body = Record<string, unknown>;

/** A span of time in words for an error message: `10 minutes`, `1 minute`, `90 s`. */
function spell(ms: number): string {
  const minutes = ms / 60_000;
  if (Number.isInteger(minutes)) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  return `${Math.round(ms / 1000)} s`;
}

/** A 429 saying `what` and when to retry (whole seconds, at least one, also as `Retry-After`). */
function tooManyRequests(what: string, waitMs: number): DirectLineError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new DirectLineError(429, 'TooManyRequests', `${what}; retry in ${seconds} s`, { headers: { 'retry-after': String(seconds) } });
}

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `?watermark=`: the number of the last entry the client has; absent, empty or `-` means none. */
function parseWatermark(raw: unknown): number {
  if (raw === undefined || raw === '' || raw === '-') return -1;
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw new DirectLineError(400, 'BadArgument', 'watermark must be a number from an earlier answer');
  return Number(raw);
}

function bearer(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** The optional `user` of a request body: `{ id, name? }`. */
function requestedUser(body: Body | undefined): { id?: string } {
  const user = body?.user;
  if (user === undefined) return {};
  if (!isObject(user)) throw new DirectLineError(400, 'BadArgument', 'user must be an object such as { "id": "..." }');
  if (user.id === undefined) return {};
  if (typeof user.id !== 'string' || !USER_ID.test(user.id)) {
    throw new DirectLineError(400, 'BadArgument', 'user.id must be 1 to 128 letters, digits or _.:@|+-');
  }
  return { id: user.id };
}

/** Answers an upgrade request that will not become a WebSocket, in the same JSON as the REST calls. */
function refuseUpgrade(socket: Duplex, error: DirectLineError): void {
  const body = JSON.stringify(error.toBody());
  const head = [`HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`, 'Content-Type: application/json; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
  for (const [name, value] of Object.entries(error.headers)) head.push(`${name}: ${value}`);
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

/**
 * A Direct Line 3.0 endpoint, enough for Microsoft's botframework-webchat and
 * botframework-directlinejs to work unmodified. Register it with `prefix: '/v3/directline'`.
 *
 * - `POST /tokens/generate` `{ user?: { id }, linkToken? }` -> `{ conversationId, token, expires_in }`;
 *   the token (a signed JWT) grants one conversation to one user; `linkToken`, opaque here, becomes
 *   the conversation's claim and reaches the bot in `channelData.claims.linkToken` of every activity.
 *   The endpoint is public, so `user.id` is the client's word, not an identity: a bot must key
 *   nothing it trusts by it (the chat page sends none and gets a random `dl_` id).
 * - `POST /tokens/refresh` (Bearer token) -> the same with a fresh token.
 * - `POST /conversations` (Bearer token, or none for a new anonymous conversation) -> 201
 *   `{ conversationId, token, expires_in, streamUrl }`; the first start sends the bot a
 *   `conversationUpdate` with the user in `membersAdded`. Starting again answers 200.
 * - `GET /conversations/:id?watermark=` -> the same with a fresh `streamUrl` (reconnect).
 * - `POST /conversations/:id/activities` -> `{ id }`; the activity is echoed on the stream.
 * - `GET /conversations/:id/activities?watermark=` -> `{ activities, watermark }` (polling).
 * - `POST /conversations/:id/upload` -> 400 `NotSupported`: the chat takes no files.
 * - WebSocket at `streamUrl`: frames `{ activities, watermark }`, the backlog after the URL's
 *   watermark first; an empty frame every `keepAliveMs`.
 *
 * Errors are JSON `{ "error": { "code", "message" } }`: 400 `BadArgument` (naming the problem),
 * 400 `MessageTooLong` (text over 4,000 characters: refused, never given to the bot), 400
 * `NotSupported`, 403 `BadToken` / `TokenExpired`, 404 `NotFound`, 413 `MessageSizeTooBig`,
 * 429 `TooManyRequests` with `Retry-After` (seconds), 500 `ServiceError`.
 */
export async function directLineRoutes(app: FastifyInstance, options: DirectLineRoutesOptions): Promise<void> {
  const { adapter, logic } = options;
  const limits: DirectLineLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const tokens = new DirectLineTokens(options.tokenSecret, limits.tokenTtlSeconds, now);
  const limiter = new SlidingWindowLimiter(limits.activitiesPerWindow, limits.windowMs, now);
  const openings = new SlidingWindowLimiter(limits.newConversationsPerAddress, limits.newConversationWindowMs, now);
  /** When each address last had a refusal logged: one warning per address and window, not one per request. */
  const warnedAt = new Map<string, number>();

  /** Counts a new conversation for the request's client address; 429 over the limit. */
  function countOpening(request: FastifyRequest): void {
    const address = request.ip;
    const waitMs = openings.take(address);
    if (waitMs <= 0) return;
    const at = now();
    if ((warnedAt.get(address) ?? -Infinity) <= at - limits.newConversationWindowMs) {
      warnedAt.set(address, at);
      logger.warn(
        { address, limit: limits.newConversationsPerAddress, windowMs: limits.newConversationWindowMs },
        'web chat: new conversations from this address refused over the limit (all clients share one address behind a reverse proxy unless TRUST_PROXY is set)',
      );
    }
    throw tooManyRequests(`too many new conversations from this address: at most ${limits.newConversationsPerAddress} every ${spell(limits.newConversationWindowMs)}`, waitMs);
  }
  const sessions = new Map<string, Set<StreamSession>>();
  const prefix = app.prefix;

  // Accept an empty body where JSON is declared (a bare POST with that header), keep the body
  // limit and bad-JSON answers inside this endpoint's JSON error format, and take JSON only
  // (Fastify would hand a text/plain body over as a string).
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: limits.maxBodyBytes }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      // JSON.parse makes `__proto__` an own property, not a prototype; drop it all the same.
      done(null, JSON.parse(text, (key: string, value: unknown) => (key === '__proto__' ? undefined : value)));
    } catch (error) {
      done(new DirectLineError(400, 'BadArgument', 'the body is not valid JSON', { cause: error }), undefined);
    }
  });

  app.setErrorHandler(async (error: FastifyError | DirectLineError, request, reply) => {
    if (error instanceof DirectLineError) {
      if (error.status >= 500) logger.error({ err: describeError(error), route: request.routeOptions.url }, 'Direct Line request failed');
      return reply.code(error.status).headers(error.headers).send(error.toBody());
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 413) return reply.code(413).send({ error: { code: 'MessageSizeTooBig', message: `the body is larger than ${limits.maxBodyBytes} bytes` } });
    if (status === 415) return reply.code(415).send({ error: { code: 'BadArgument', message: 'send the body as application/json' } });
    if (status >= 400 && status < 500) return reply.code(status).send({ error: { code: 'BadArgument', message: error.message } });
    logger.error({ err: describeError(error), route: request.routeOptions.url }, 'Direct Line request failed');
    return reply.code(500).send({ error: { code: 'ServiceError', message: 'the server failed; try again' } });
  });
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({ error: { code: 'NotFound', message: `no Direct Line operation ${request.method} ${request.url.split('?')[0]}` } }),
  );
  app.addHook('onSend', async (_request, reply, payload) => {
    // Tokens travel in these answers: no cache may keep them.
    reply.header('cache-control', 'no-store');
    return payload;
  });

  function verify(token: string | undefined): VerifiedToken {
    if (!token) throw new DirectLineError(403, 'BadToken', 'send the token as Authorization: Bearer <token>');
    const checked = tokens.verify(token);
    if (!checked.ok) throw new DirectLineError(403, checked.refusal.code, checked.refusal.message);
    return checked.value;
  }

  /** The request's token, which must grant `conversationId`, and that conversation's record. */
  async function authorize(request: FastifyRequest, conversationId: string): Promise<{ token: string; grant: VerifiedToken; conversation: ConversationRecord }> {
    const token = bearer(request.headers.authorization);
    const grant = verify(token);
    if (grant.conversationId !== conversationId) throw new DirectLineError(403, 'BadToken', 'the token is for another conversation');
    const conversation = await adapter.stream.conversation(conversationId);
    if (!conversation) throw new DirectLineError(404, 'NotFound', 'no such conversation: start it with POST /v3/directline/conversations');
    if (conversation.userId !== grant.userId) throw new DirectLineError(403, 'BadToken', 'the token is for another user');
    return { token: token!, grant, conversation };
  }

  function wsBase(request: FastifyRequest): string {
    const configured = typeof options.publicUrl === 'function' ? options.publicUrl() : options.publicUrl;
    if (configured) {
      const url = new URL(configured);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      return url.href.replace(/\/+$/, '');
    }
    return `${request.protocol === 'https' ? 'wss' : 'ws'}://${request.host}`;
  }

  function conversationAnswer(request: FastifyRequest, conversationId: string, token: string, expiresIn: number, watermark?: number) {
    const query = new URLSearchParams();
    if (watermark !== undefined && watermark >= 0) query.set('watermark', String(watermark));
    query.set('t', token);
    return {
      conversationId,
      token,
      expires_in: expiresIn,
      streamUrl: `${wsBase(request)}${prefix}/conversations/${encodeURIComponent(conversationId)}/stream?${query}`,
    };
  }

  const newConversationId = () => randomBytes(CONVERSATION_ID_BYTES).toString('base64url');
  const newUserId = () => `dl_${randomBytes(12).toString('base64url')}`;

  app.post<{ Body: unknown }>('/tokens/generate', async (request) => {
    const body = request.body === undefined ? undefined : request.body;
    if (body !== undefined && !isObject(body)) throw new DirectLineError(400, 'BadArgument', 'the body must be a JSON object or empty');
    const user = requestedUser(body);
    const linkToken = body?.linkToken;
    if (linkToken !== undefined && (typeof linkToken !== 'string' || linkToken.length === 0 || linkToken.length > limits.maxLinkTokenLength)) {
      throw new DirectLineError(400, 'BadArgument', `linkToken must be a string of 1 to ${limits.maxLinkTokenLength} characters`);
    }
    countOpening(request);
    const conversationId = newConversationId();
    const issued = tokens.issue({ conversationId, userId: user.id ?? newUserId(), ...(linkToken === undefined ? {} : { linkToken }) });
    return { conversationId, token: issued.token, expires_in: issued.expiresIn };
  });

  app.post('/tokens/refresh', async (request) => {
    const grant = verify(bearer(request.headers.authorization));
    const issued = tokens.issue(grant);
    return { conversationId: grant.conversationId, token: issued.token, expires_in: issued.expiresIn };
  });

  app.post<{ Body: unknown }>('/conversations', async (request, reply) => {
    const body = request.body;
    if (body !== undefined && !isObject(body)) throw new DirectLineError(400, 'BadArgument', 'the body must be a JSON object or empty');
    const locale = typeof body?.locale === 'string' && LOCALE.test(body.locale) ? body.locale : undefined;
    const presented = bearer(request.headers.authorization);
    let token: string;
    let grant: VerifiedToken | { conversationId: string; userId: string; linkToken?: string };
    let expiresIn: number;
    if (presented) {
      const verified = verify(presented);
      token = presented;
      grant = verified;
      expiresIn = tokens.secondsLeft(verified);
    } else {
      // No token: a new anonymous conversation, as tokens/generate would have made.
      countOpening(request);
      grant = { conversationId: newConversationId(), userId: requestedUser(body).id ?? newUserId() };
      const issued = tokens.issue(grant);
      token = issued.token;
      expiresIn = issued.expiresIn;
    }
    const record: ConversationRecord = {
      id: grant.conversationId,
      userId: grant.userId,
      claims: grant.linkToken === undefined ? {} : { linkToken: grant.linkToken },
      createdAt: new Date(now()),
      ...(locale ? { locale } : {}),
    };
    const created = await adapter.stream.open(record);
    if (!created) {
      const existing = await adapter.stream.conversation(record.id);
      if (existing?.userId !== record.userId) throw new DirectLineError(403, 'BadToken', 'the token is for another user');
    }
    await reply.code(created ? 201 : 200).send(conversationAnswer(request, record.id, token, expiresIn));
    // After the answer, so the client is already opening its stream when the greeting comes.
    if (created) void adapter.startConversation(record, logic);
    return reply;
  });

  app.get<{ Params: { id: string }; Querystring: { watermark?: string } }>('/conversations/:id', async (request) => {
    const { token, grant } = await authorize(request, request.params.id);
    const watermark = parseWatermark(request.query.watermark);
    return conversationAnswer(request, grant.conversationId, token, tokens.secondsLeft(grant), watermark);
  });

  app.post<{ Params: { id: string }; Body: unknown }>('/conversations/:id/activities', async (request) => {
    const { conversation } = await authorize(request, request.params.id);
    const inbound = checkInboundActivity(request.body, conversation.userId, limits);
    if (inbound instanceof DirectLineError) throw inbound;
    if (inbound.type !== 'typing') {
      const waitMs = limiter.take(conversation.id);
      if (waitMs > 0) throw tooManyRequests(`too many messages: at most ${limits.activitiesPerWindow} every ${limits.windowMs / 1000} s`, waitMs);
    }
    const { id } = await adapter.acceptFromUser(conversation, inbound, logic);
    return { id };
  });

  app.get<{ Params: { id: string }; Querystring: { watermark?: string } }>('/conversations/:id/activities', async (request) => {
    const { conversation } = await authorize(request, request.params.id);
    const after = parseWatermark(request.query.watermark);
    const entries = await adapter.stream.readAfter(conversation.id, after, 100);
    const last = entries[entries.length - 1];
    return { activities: entries.map((e) => e.activity), watermark: last ? String(last.seq) : after >= 0 ? String(after) : '' };
  });

  app.post<{ Params: { id: string } }>(
    '/conversations/:id/upload',
    {
      // Refused before the body is read: a file upload is large and of no use here.
      onRequest: async (request: FastifyRequest<{ Params: { id: string } }>, _reply: FastifyReply) => {
        await authorize(request, request.params.id);
        throw new DirectLineError(400, 'NotSupported', 'this chat does not accept files or attachments; send text');
      },
    },
    async () => {
      throw new DirectLineError(400, 'NotSupported', 'this chat does not accept files or attachments; send text');
    },
  );

  // The stream: a WebSocket upgrade on `${prefix}/conversations/:id/stream?t=TOKEN&watermark=N`
  // (browsers cannot set headers on a WebSocket, hence the token in the query).
  const streamPath = `${prefix}/conversations/`;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });

  async function openStream(request: IncomingMessage, socket: Duplex, head: Buffer, conversationId: string, url: URL): Promise<void> {
    const grant = verify(url.searchParams.get('t') ?? undefined);
    if (grant.conversationId !== conversationId) throw new DirectLineError(403, 'BadToken', 'the token is for another conversation');
    const after = parseWatermark(url.searchParams.get('watermark') ?? undefined);
    const conversation = await adapter.stream.conversation(conversationId);
    if (!conversation) throw new DirectLineError(404, 'NotFound', 'no such conversation');
    const open = sessions.get(conversationId);
    if (open && open.size >= limits.socketsPerConversation) {
      throw new DirectLineError(429, 'TooManyRequests', `at most ${limits.socketsPerConversation} streams per conversation`, { headers: { 'retry-after': '5' } });
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const session = new StreamSession(ws, conversationId, after, adapter.stream, logger);
      const set = sessions.get(conversationId) ?? new Set<StreamSession>();
      set.add(session);
      sessions.set(conversationId, set);
      session.start(() => {
        set.delete(session);
        if (set.size === 0 && sessions.get(conversationId) === set) sessions.delete(conversationId);
      });
    });
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://upgrade.invalid');
    if (!url.pathname.startsWith(streamPath) || !url.pathname.endsWith('/stream')) return; // another listener's
    const conversationId = decodeURIComponent(url.pathname.slice(streamPath.length, -'/stream'.length));
    socket.on('error', (error) => logger.debug({ err: describeError(error) }, 'web chat upgrade socket error'));
    openStream(request, socket, head, conversationId, url).catch((error: unknown) => {
      if (error instanceof DirectLineError) {
        refuseUpgrade(socket, error);
        return;
      }
      logger.error({ err: describeError(error) }, 'web chat stream failed to open');
      refuseUpgrade(socket, new DirectLineError(500, 'ServiceError', 'the server failed; try again'));
    });
  };
  app.server.on('upgrade', onUpgrade);

  const keepAlive = setInterval(() => {
    for (const set of sessions.values()) for (const session of set) session.keepAlive();
    limiter.sweep();
    openings.sweep();
    for (const [address, at] of warnedAt) if (at <= now() - limits.newConversationWindowMs) warnedAt.delete(address);
    adapter.stream.sweep(IDLE_CONVERSATION_MS);
  }, options.keepAliveMs ?? 15_000);
  keepAlive.unref();

  app.addHook('preClose', async () => {
    clearInterval(keepAlive);
    app.server.off('upgrade', onUpgrade);
    // Open sockets would hold the HTTP server open; clients reconnect with their watermark.
    for (const set of sessions.values()) for (const session of set) session.close(1001, 'server going away');
    // A client that does not finish the closing handshake must not hold up the shutdown.
    setTimeout(() => {
      for (const set of sessions.values()) for (const session of set) session.terminate();
    }, 1000).unref();
  });
  app.addHook('onClose', async () => {
    if (!(await adapter.whenIdle(CLOSE_DRAIN_MS))) logger.warn({ ms: CLOSE_DRAIN_MS }, 'web chat turns still running at shutdown');
    wss.close();
  });
}
