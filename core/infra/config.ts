import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { isTimeZone } from '../domain/calendar-date.js';
import { LANGUAGES } from '../domain/portfolio.js';

const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().optional());
const url = (what: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((v) => /^[a-z][a-z0-9+.-]*:\/\//i.test(v) && URL.canParse(v), { message: `must be ${what}` })
      .optional(),
  );

/**
 * `CHAT_EMBED_ORIGINS`: origins (`https://www.example.com`, a port if not the default), separated
 * by commas or spaces. The first entry that is not one is named in the error.
 */
const origins = z.preprocess(
  blankToUndefined,
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const list = (v ?? '').split(/[\s,]+/).filter(Boolean);
      const out: string[] = [];
      for (const entry of list) {
        const parsed = URL.canParse(entry) ? new URL(entry) : undefined;
        const plain = parsed && /^https?:$/.test(parsed.protocol) && parsed.host && parsed.pathname === '/' && !parsed.search && !parsed.hash && !parsed.username;
        if (!parsed || !plain) {
          ctx.addIssue({ code: 'custom', message: `must be origins such as https://www.example.com, separated by commas; "${entry}" is not one` });
          return z.NEVER;
        }
        out.push(parsed.origin);
      }
      return [...new Set(out)];
    }),
);

/**
 * `TRUST_PROXY`: whom to believe about the client's address (X-Forwarded-For), as Fastify's
 * `trustProxy` takes it: `true` (every proxy), `false` (none, the default), a number of proxy
 * hops, or the proxies' addresses and CIDR ranges separated by commas. The first entry that is
 * none of these is named in the error.
 */
const trustProxy = z.preprocess(
  blankToUndefined,
  z
    .string()
    .optional()
    .transform((v, ctx): boolean | number | string[] => {
      const value = (v ?? 'false').trim();
      if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      if (/^\d+$/.test(value)) return Number(value);
      const list = value.split(/[\s,]+/).filter(Boolean);
      for (const entry of list) {
        const [address, bits, extra] = entry.split('/');
        const family = isIP(address ?? '');
        const maxBits = family === 6 ? 128 : 32;
        const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
        if (family === 0 || !okBits || extra !== undefined) {
          ctx.addIssue({ code: 'custom', message: `must be true, false, a number of proxy hops, or proxy addresses such as 10.0.0.1 or 10.0.0.0/8 separated by commas; "${entry}" is none of these` });
          return z.NEVER;
        }
      }
      return list;
    }),
);

const schema = z.object({
  MONGODB_URI: z.preprocess(
    blankToUndefined,
    z.string().regex(/^mongodb(\+srv)?:\/\/.+/, 'must start with mongodb:// or mongodb+srv://').optional(),
  ),
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./data')),
  PORT: z.preprocess(
    blankToUndefined,
    z.coerce.number({ message: 'must be a number' }).int('must be an integer').min(0, 'must be 0-65535').max(65535, 'must be 0-65535').default(3000),
  ),
  PUBLIC_URL: url('an absolute URL such as https://cobro.example.com'),
  ADMIN_API_TOKEN: z.preprocess(blankToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  DEFAULT_LOCALE: z.preprocess(blankToUndefined, z.enum(LANGUAGES, { message: `must be one of ${LANGUAGES.join(', ')}` }).default('es')),
  DEFAULT_TIMEZONE: z.preprocess(
    blankToUndefined,
    z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as America/Mexico_City' }).default('America/Mexico_City'),
  ),
  COLLECTION_POLICY: optionalString,
  CHAT_EMBED_ORIGINS: origins,
  TRUST_PROXY: trustProxy,
  CREDITOR_NAME: z.preprocess(blankToUndefined, z.string().max(80, 'must be at most 80 characters').default('Cobrabot Demo')),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_BASE: url('an absolute URL such as http://localhost:12111'),
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: url('an absolute URL'),
  TELEGRAM_WEBHOOK_SECRET: optionalString,
  WHATSAPP_ENABLED: z.preprocess(
    blankToUndefined,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
      .transform((v) => v === 'true' || v === '1' || v === 'yes')
      .default(false),
  ),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  ),
});

/** Validated configuration, parsed once at start-up. */
export interface Config {
  readonly mongodbUri?: string;
  readonly dataDir: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly adminApiToken?: string;
  readonly defaultLocale: (typeof LANGUAGES)[number];
  readonly defaultTimezone: string;
  readonly collectionPolicy?: string;
  /** The creditor every conversation and pay page names (COMPLIANCE.md: name the creditor). */
  readonly creditorName: string;
  /** Sites allowed to show the web chat page in an iframe, besides this server itself. */
  readonly chatEmbedOrigins: readonly string[];
  /** Whom to believe about client addresses (`TRUST_PROXY`): Fastify's `trustProxy`. */
  readonly trustProxy: boolean | number | readonly string[];
  readonly stripe: { readonly secretKey?: string; readonly webhookSecret?: string; readonly apiBase?: string };
  readonly telegram: { readonly botToken?: string; readonly apiRoot?: string; readonly webhookSecret?: string };
  readonly whatsappEnabled: boolean;
  readonly logLevel: string;
}

/** A configuration value is invalid; `message` is one line naming the variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws {@link ConfigError} naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? 'configuration');
    const raw = env[variable];
    throw new ConfigError(variable, `${issue?.message ?? 'is invalid'}${raw === undefined ? '' : ` (got "${raw}")`}`);
  }
  const c = result.data;
  return {
    mongodbUri: c.MONGODB_URI,
    dataDir: path.resolve(c.DATA_DIR),
    port: c.PORT,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
    adminApiToken: c.ADMIN_API_TOKEN,
    defaultLocale: c.DEFAULT_LOCALE,
    defaultTimezone: c.DEFAULT_TIMEZONE,
    collectionPolicy: c.COLLECTION_POLICY,
    creditorName: c.CREDITOR_NAME,
    chatEmbedOrigins: c.CHAT_EMBED_ORIGINS,
    trustProxy: c.TRUST_PROXY,
    stripe: { secretKey: c.STRIPE_SECRET_KEY, webhookSecret: c.STRIPE_WEBHOOK_SECRET, apiBase: c.STRIPE_API_BASE },
    telegram: { botToken: c.TELEGRAM_BOT_TOKEN, apiRoot: c.TELEGRAM_API_ROOT, webhookSecret: c.TELEGRAM_WEBHOOK_SECRET },
    whatsappEnabled: c.WHATSAPP_ENABLED,
    logLevel: c.LOG_LEVEL,
  };
}
