import { ActivityTypes, type Activity } from 'botbuilder';
import type { Language } from '../core/domain/portfolio.js';
import type { TranslationVars, Translator } from '../core/ports/translator.port.js';
import type { DebtorNotice } from '../core/services/debtor-assistant.js';
import { formatAmount, formatDate, formatList, localeFor } from './format.js';

/** What a notice needs besides itself. */
export interface NoticeContext {
  readonly translator: Translator;
  /** Named in every automatic message (COMPLIANCE.md). */
  readonly creditorName: string;
  /** The debtor's country, for number and date formats (`MX`, `US`). */
  readonly country?: string;
}

/**
 * The message for a notice the system sends outside a turn (a payment receipt), in the
 * debtor's language: it names the creditor, what was paid and what is still due, how to pay
 * it and how to stop automatic messages. Send it with `context.sendActivity` inside
 * `adapter.continueConversationAsync` on the stored conversation reference.
 *
 * @example
 * await adapter.continueConversationAsync('', reference, (ctx) => ctx.sendActivity(renderNotice(notice, 'es', { translator, creditorName })));
 */
export function renderNotice(notice: DebtorNotice, language: Language, context: NoticeContext): Partial<Activity> {
  const locale = localeFor(language, context.country);
  const t = (key: string, vars?: TranslationVars): string => context.translator.t(language, key, vars);
  const remaining = notice.remaining.filter((r) => r.balance > 0);
  const lines = [
    t('notice:receipt', {
      creditor: context.creditorName,
      amount: formatAmount(notice.amount, notice.currency, locale),
      date: formatDate(notice.paidAt, locale),
      invoices: formatList(notice.invoiceIds, locale),
      count: notice.invoiceIds.length,
    }),
    remaining.length
      ? t('notice:remaining', { amount: formatList(remaining.map((r) => formatAmount(r.balance, r.currency, locale)), locale) })
      : t('notice:nothing-left'),
    t('notice:stop'),
  ];
  return { type: ActivityTypes.Message, text: lines.join('\n\n'), locale };
}
