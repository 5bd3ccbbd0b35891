import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { calendarDateIn } from '../core/domain/calendar-date.js';
import { loadConfig, type Config } from '../core/infra/config.js';
import { createLogger } from '../core/infra/logger.js';
import { MongoPortfolioStore } from '../core/infra/mongo-portfolio-store.js';
import { demoPortfolioRows } from '../core/services/demo-portfolio.js';
import { seedDemo, type DemoSeedReport } from '../core/services/seed-demo.js';
import { chatLinkUrl } from './chat-link-url.js';
import { buildConversations, type Conversations } from './conversations.js';
import { ADMIN_API_PREFIX, buildServer } from './http/server.js';
import { openRuntime, type Runtime } from './runtime.js';

/** A started server, as tests and the `serve` command see it. */
export interface RunningServer {
  /** Loopback URL this process listens on, such as `http://127.0.0.1:3000`. */
  readonly url: string;
  /** The admin API token in force, if the admin API is enabled. */
  readonly adminToken?: string;
  /** Stops accepting, waits for in-flight requests, closes the database (and stops the embedded one). */
  close(): Promise<void>;
}

/** The server could not start for a reason the operator can fix; the message is one line. */
export class ServerStartError extends Error {
  readonly code = 'SERVER_START_FAILED';
}

/** Where the admin API token came from. */
type AdminToken =
  | { readonly token: string; readonly source: 'env' }
  | { readonly token: string; readonly source: 'generated' | 'file'; readonly file: string }
  | { readonly token: undefined; readonly source: 'none' };

const TOKEN_FILE = 'admin-token';
/** Listen on every interface: the server is meant to be reached from other machines and containers. */
const HOST = '0.0.0.0';
/** After the first signal, how long in-flight work may take before the process gives up. */
const SHUTDOWN_GRACE_MS = 15_000;
/** How long closing the database connection may take at shutdown. */
const DB_CLOSE_TIMEOUT_MS = 3000;

/** True when `work` settles within `ms`; false when it is still pending (it keeps running). */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The admin token: `ADMIN_API_TOKEN`; else, with the embedded database, a random token kept
 * (mode 0600) in `DATA_DIR/admin-token` so it survives restarts; else none (a shared database
 * named by `MONGODB_URI` is production: its operator must choose the token).
 */
function resolveAdminToken(config: Config, embedded: boolean): AdminToken {
  if (config.adminApiToken) return { token: config.adminApiToken, source: 'env' };
  if (!embedded) return { token: undefined, source: 'none' };
  const file = path.join(config.dataDir, TOKEN_FILE);
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (/^[\x21-\x7e]{16,}$/.test(kept)) {
      chmodSync(file, 0o600);
      return { token: kept, source: 'file', file };
    }
  }
  mkdirSync(config.dataDir, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; a damaged file we overwrite keeps its own.
  chmodSync(file, 0o600);
  return { token, source: 'generated', file };
}

interface BannerFacts {
  readonly base: string;
  readonly port: number;
  readonly config: Config;
  readonly runtime: Runtime;
  readonly admin: AdminToken;
  readonly seeded?: DemoSeedReport;
  readonly app: FastifyInstance;
  /** Verified chat links of demo debtors, one per language, when the demo portfolio is there. */
  readonly demoChats: readonly { readonly label: string; readonly url: string }[];
}

/** Lifetime of the demo chat links the banner prints. */
const DEMO_LINK_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Chat links (`/chat?lang=LANG&t=TOKEN`, already verified) of the first Spanish and the first English demo
 * debtor, when the database holds them: what a person opens to try the bot.
 */
async function demoChatLinks(conversations: Conversations, base: string, today: string): Promise<BannerFacts['demoChats']> {
  const links: { label: string; url: string }[] = [];
  for (const language of ['es', 'en'] as const) {
    const row = demoPortfolioRows(today).find((r) => r.language === language);
    const profile = row && (await conversations.assistant.profile(row.debtor_id));
    if (!row || !profile) continue;
    const token = await conversations.assistant.issueLinkToken(profile.debtorId, DEMO_LINK_TTL_SECONDS);
    links.push({ label: `${profile.name} (${profile.debtorId}, ${language === 'es' ? 'español' : 'English'})`, url: chatLinkUrl(base, token, profile.language) });
  }
  return links;
}

/** Later features add these pages; the banner names only those this build serves. */
const PAGES = [
  { path: '/chat', label: 'Web chat' },
  { path: '/agent', label: 'Agent console' },
  { path: '/dashboard', label: 'Dashboard' },
] as const;

function banner(f: BannerFacts): string {
  const api = `${f.base}${ADMIN_API_PREFIX}`;
  const row = (label: string, value: string) => `  ${label.padEnd(13)}${value}`;
  const lines = [`Cobrabot is running at ${f.base} (port ${f.port})`];
  const served = PAGES.filter((p) => f.app.hasRoute({ method: 'GET', url: p.path }));
  for (const p of served) lines.push(row(p.label, `${f.base}${p.path}`));
  for (const chat of f.demoChats) lines.push(row('Demo chat', `${chat.label}: ${chat.url}`));
  lines.push(row('Health', `${f.base}/healthz`), row('Metrics', `${f.base}/metrics`), row('Admin API', `${api}/kpis, POST ${api}/imports  (Authorization: Bearer <admin token>)`));

  let tokenForCurl = '$ADMIN_API_TOKEN';
  switch (f.admin.source) {
    case 'env':
      lines.push(row('Admin token', 'from ADMIN_API_TOKEN'));
      break;
    case 'generated':
    case 'file':
      tokenForCurl = f.admin.token;
      lines.push(row('Admin token', `${f.admin.token}  (${f.admin.source === 'generated' ? 'generated; ' : ''}kept in ${f.admin.file})`));
      break;
    case 'none':
      lines.push(row('Admin token', 'none: the admin API is disabled; set ADMIN_API_TOKEN to enable it'));
      break;
  }

  if (f.runtime.embedded) {
    const where = f.runtime.embedded.owned ? `embedded FerretDB, files in ${f.config.dataDir}` : `embedded FerretDB in ${f.config.dataDir} (run by another process)`;
    lines.push(row('Database', where));
  } else {
    lines.push(row('Database', 'MONGODB_URI'));
  }
  if (f.seeded) {
    lines.push(
      row(
        'Demo data',
        `seeded: ${f.seeded.debtors.created} debtors, ${f.seeded.invoices.created} invoices, Spanish and English, MXN and USD` +
          (f.seeded.rejected.length > 0 ? ` (${f.seeded.rejected.length} rows rejected: a bug, please report it)` : ''),
      ),
      row('', `see its KPIs: npx cobrabot kpis   or   curl -H "Authorization: Bearer ${tokenForCurl}" ${api}/kpis`),
    );
  } else if (f.runtime.embedded) {
    lines.push(row('Demo data', 'not seeded: the database already holds a portfolio'));
  } else {
    lines.push(row('Demo data', 'not seeded into MONGODB_URI (npx cobrabot demo seed does it on purpose)'));
  }

  lines.push(
    '',
    'Import a real portfolio (CSV, one row per invoice; columns in the README):',
    '  npx cobrabot import portfolio.csv --dry-run     # check it, change nothing',
    '  npx cobrabot import portfolio.csv',
    `  curl -X POST ${api}/imports -H "Authorization: Bearer ${tokenForCurl}" -H "Content-Type: text/csv" --data-binary @portfolio.csv`,
  );
  const missing = PAGES.filter((p) => !served.includes(p));
  if (missing.length > 0) {
    const names = missing.map((p, i) => `${i === 0 ? p.label : p.label.toLowerCase()} (${p.path})`);
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
    lines.push('', `${list}: ${names.length > 1 ? 'arrive' : 'arrives'} with later features.`);
  }
  lines.push('', 'Stop with Ctrl+C.');
  return `${lines.join('\n')}\n`;
}

/**
 * Starts Cobrabot as `npm start` does: configuration, database (the embedded one when
 * `MONGODB_URI` is unset), admin token, demo portfolio (only into an empty embedded database),
 * HTTP server, banner on `out`. SIGINT/SIGTERM shut down gracefully (exit 0); a second signal
 * forces the exit. A crash of the embedded database ends the process with exit code 1.
 *
 * Throws {@link ConfigError}, {@link ServerStartError} and database start errors, having
 * released whatever it had opened.
 */
export async function startServer(env: NodeJS.ProcessEnv = process.env, out: NodeJS.WritableStream = process.stdout): Promise<RunningServer> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  const runtime = await openRuntime(config);
  let closing: Promise<void> | undefined;
  runtime.embedded?.onCrash((reason) => {
    // Ctrl+C in a terminal signals the whole process group, FerretDB included: its exit
    // during our own shutdown is no crash.
    if (closing) return;
    process.stderr.write(`cobrabot: ${reason}\n`);
    process.exit(1);
  });

  let app: FastifyInstance | undefined;
  try {
    const admin = resolveAdminToken(config, runtime.embedded !== undefined);
    if (admin.source === 'none') {
      process.stderr.write('cobrabot: warning: the admin API is disabled (MONGODB_URI is set and ADMIN_API_TOKEN is not); set ADMIN_API_TOKEN to enable it\n');
    }

    let seeded: DemoSeedReport | undefined;
    if (runtime.embedded) {
      const store = new MongoPortfolioStore(runtime.db.models);
      if (await store.isEmpty()) {
        seeded = await seedDemo(store, calendarDateIn(new Date(), config.defaultTimezone), {
          language: config.defaultLocale,
          timezone: config.defaultTimezone,
        });
        logger.info({ debtors: seeded.debtors.created, invoices: seeded.invoices.created, rejected: seeded.rejected.length }, 'demo portfolio seeded');
      }
    }

    const publicUrl = env.PUBLIC_URL?.trim() ? config.publicUrl : undefined;
    const conversations = await buildConversations(runtime, logger, publicUrl ? { publicUrl } : {});
    app = await buildServer(runtime, {
      adminToken: admin.token,
      logger,
      webchat: conversations.webchat,
      payments: conversations.payments,
      defaultLanguage: config.defaultLocale,
    });
    try {
      await app.listen({ port: config.port, host: HOST });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new ServerStartError(`PORT ${config.port} is already in use: stop the other server or set PORT`, { cause: error });
      if (code === 'EACCES') throw new ServerStartError(`PORT ${config.port} needs privileges this process lacks: set PORT above 1023`, { cause: error });
      throw error;
    }
    const address = app.server.address();
    const port = address !== null && typeof address === 'object' ? address.port : config.port;
    const base = env.PUBLIC_URL?.trim() ? config.publicUrl : `http://localhost:${port}`;
    const demoChats = runtime.embedded ? await demoChatLinks(conversations, base, calendarDateIn(new Date(), config.defaultTimezone)) : [];
    out.write(banner({ base, port, config, runtime, admin, seeded, app, demoChats }));

    const running = app;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        try {
          await running.close();
          // No turn runs now: the conversation state still in memory goes to the database.
          if (!(await settlesWithin(conversations.flush(), DB_CLOSE_TIMEOUT_MS))) {
            logger.warn({ timeoutMs: DB_CLOSE_TIMEOUT_MS }, 'conversation state was still being written at shutdown; the last turns of some conversations may be forgotten');
          }
          if (!(await settlesWithin(runtime.close(), DB_CLOSE_TIMEOUT_MS))) {
            // The MongoDB driver can wait forever to end its sessions on a connection whose server
            // died: give up on the connection, but still stop the embedded database.
            logger.warn({ timeoutMs: DB_CLOSE_TIMEOUT_MS }, 'the database connection did not close in time; stopping anyway');
            await runtime.embedded?.stop();
          }
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      })());
    const onSignal = (signal: NodeJS.Signals): void => {
      if (closing) {
        process.stderr.write(`cobrabot: ${signal} again: exiting now\n`);
        process.exit(1);
      }
      process.stderr.write(`cobrabot: ${signal}: shutting down (send it again to force)\n`);
      setTimeout(() => {
        process.stderr.write(`cobrabot: shutdown took over ${SHUTDOWN_GRACE_MS / 1000} s: exiting now\n`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS).unref();
      close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`cobrabot: shutdown failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    return { url: `http://127.0.0.1:${port}`, adminToken: admin.token, close };
  } catch (error) {
    await app?.close();
    await runtime.close();
    throw error;
  }
}
