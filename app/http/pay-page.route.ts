import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatMoney } from '../../core/domain/money.js';
import { isLanguage, LANGUAGES, type Language } from '../../core/domain/portfolio.js';
import type { LocalPayments, PayPageView } from '../../core/services/local-payments.js';

/** Options of {@link payPageRoutes}. */
export interface PayPageOptions {
  readonly payments: LocalPayments;
  /** Language of pages for a token that names no debtor, when the browser asks for neither. Default `es`. */
  readonly defaultLanguage?: Language;
}

type Strings = Readonly<Record<string, string>>;

function loadStrings(language: Language): Strings {
  const file = new URL(`../../locales/${language}/pay-page.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as Strings;
}

/** `{{name}}` placeholders, as i18next writes them; values are escaped here. */
function text(strings: Strings, key: string, values: Readonly<Record<string, string>> = {}): string {
  const template = strings[key];
  if (template === undefined) throw new Error(`pay page: missing string ${key}`);
  return escapeHtml(template).replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => escapeHtml(values[name] ?? ''));
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function formatCalendarDate(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1d2733}
.demo{background:#fff3cd;border:2px dashed #b58100;padding:.75rem 1rem;font-weight:600;border-radius:.5rem}
table{width:100%;border-collapse:collapse;margin:1rem 0}td,th{text-align:left;padding:.35rem;border-bottom:1px solid #ddd}
td.n,th.n{text-align:right}.total{font-size:1.6rem;font-weight:700}
button{font-size:1.1rem;padding:.7rem 1.4rem;border:0;border-radius:.5rem;background:#0b6e4f;color:#fff;cursor:pointer}`;

/**
 * The local demo provider's page (CONTRACT.md section 7), in the debtor's language:
 *
 * - `GET /pay/:token`: creditor, amount and invoices with a Pay button, marked DEMO; 410 for
 *   a link already paid, expired, or out of date (its invoices were paid by other means
 *   meanwhile), 404 for a token never issued.
 * - `POST /pay/:token`: pays the link (exactly once, however often it is posted) and confirms;
 *   a repeat shows the confirmation again without paying twice.
 *
 * Pages are server-rendered, with no script, never cached, and send no referrer: the token
 * in the URL is the payment's only key.
 */
export async function payPageRoutes(app: FastifyInstance, opts: PayPageOptions): Promise<void> {
  const strings = new Map<Language, Strings>(LANGUAGES.map((l) => [l, loadStrings(l)]));
  const stringsOf = (language: Language): Strings => strings.get(language)!;
  const defaultLanguage = opts.defaultLanguage ?? 'es';

  // A plain HTML form posts `application/x-www-form-urlencoded`, which Fastify does not parse
  // by default. The button carries no field the route needs: the body is read and ignored.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) => done(null, {}));

  const send = (reply: FastifyReply, status: number, language: Language, title: string, body: string) =>
    reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-robots-tag', 'noindex')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
      .send(
        `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
          `<title>${title}</title><style>${STYLE}</style></head><body>${body}</body></html>`,
      );

  const demoBanner = (s: Strings) => `<p class="demo" role="note">${text(s, 'demo')}</p>`;

  const notice = (reply: FastifyReply, status: number, language: Language, titleKey: string, textKey: string) => {
    const s = stringsOf(language);
    return send(reply, status, language, text(s, titleKey), `${demoBanner(s)}<h1>${text(s, titleKey)}</h1><p>${text(s, textKey)}</p>`);
  };

  const unknown = (request: FastifyRequest, reply: FastifyReply) =>
    notice(reply, 404, browserLanguage(request) ?? defaultLanguage, 'unknownTitle', 'unknownText');

  const confirmation = (reply: FastifyReply, view: PayPageView, detailKey: string) => {
    const s = stringsOf(view.language);
    const amount = formatMoney({ amount: view.amount, currency: view.currency }, view.locale);
    return send(
      reply,
      200,
      view.language,
      text(s, 'paidTitle'),
      `${demoBanner(s)}<h1>${text(s, 'paidTitle')}</h1><p>${text(s, 'paidText', { amount, creditor: view.creditorName })}</p><p>${text(s, detailKey)}</p>`,
    );
  };

  app.get<{ Params: { token: string } }>('/pay/:token', async (request, reply) => {
    const found = await opts.payments.describe(request.params.token);
    if (!found.ok) return unknown(request, reply);
    const view = found.value;
    if (view.status === 'paid') return notice(reply, 410, view.language, 'usedTitle', 'usedText');
    if (view.status === 'expired') return notice(reply, 410, view.language, 'expiredTitle', 'expiredText');
    if (view.status === 'stale') return notice(reply, 410, view.language, 'staleTitle', 'staleText');
    const s = stringsOf(view.language);
    const amount = formatMoney({ amount: view.amount, currency: view.currency }, view.locale);
    const rows = view.invoices
      .map(
        (i) =>
          `<tr><td>${escapeHtml(i.invoiceId)}</td><td>${i.dueAt ? escapeHtml(formatCalendarDate(i.dueAt, view.locale)) : ''}</td>` +
          `<td class="n">${escapeHtml(formatMoney({ amount: i.amount, currency: view.currency }, view.locale))}</td></tr>`,
      )
      .join('');
    const expires = new Intl.DateTimeFormat(view.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: view.timezone }).format(view.expiresAt);
    const body =
      `${demoBanner(s)}<h1>${text(s, 'title', { creditor: view.creditorName })}</h1>` +
      `<p>${text(s, 'creditor')}: <strong>${escapeHtml(view.creditorName)}</strong></p>` +
      `<p>${text(s, 'amount')}: <span class="total">${escapeHtml(amount)}</span></p>` +
      `<h2>${text(s, 'invoices')}</h2><table><thead><tr><th>${text(s, 'invoice')}</th><th>${text(s, 'dueDate')}</th>` +
      `<th class="n">${text(s, 'invoiceAmount')}</th></tr></thead><tbody>${rows}</tbody></table>` +
      `<form method="post" action="${escapeHtml(encodeURIComponent(view.token))}"><button type="submit">${text(s, 'payButton', { amount })}</button></form>` +
      `<p><small>${text(s, 'validUntil', { date: expires })}</small></p>`;
    return send(reply, 200, view.language, text(s, 'title', { creditor: view.creditorName }), body);
  });

  app.post<{ Params: { token: string } }>('/pay/:token', async (request, reply) => {
    const result = await opts.payments.complete(request.params.token);
    if (result.status === 'unknown') return unknown(request, reply);
    const view = result.view;
    if (result.status === 'expired') return notice(reply, 410, view.language, 'expiredTitle', 'expiredText');
    if (result.status === 'stale') return notice(reply, 410, view.language, 'staleTitle', 'staleText');
    return confirmation(reply, view, result.status === 'recorded' ? (result.receipt.ok ? 'receiptSent' : 'receiptNotSent') : 'alreadyPaidText');
  });
}

/** The first of our languages the browser lists in `Accept-Language`, if any. */
function browserLanguage(request: FastifyRequest): Language | undefined {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(',')) {
    const tag = part.split(';')[0]?.trim().slice(0, 2).toLowerCase() ?? '';
    if (isLanguage(tag)) return tag;
  }
  return undefined;
}
