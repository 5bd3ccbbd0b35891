import type { Language } from '../core/domain/portfolio.js';

/**
 * The web chat URL of a chat link token: `PUBLIC_URL/chat?lang=LANG&t=TOKEN`. The page opens
 * verified as the token's debtor and in the debtor's language from its first paint (the buttons,
 * the placeholder and the times of Web Chat itself, not only the bot's words), whatever
 * language the browser prefers.
 *
 * @example
 * chatLinkUrl('https://cobro.example.com', token, 'es') // 'https://cobro.example.com/chat?lang=es&t=...'
 */
export function chatLinkUrl(publicUrl: string, token: string, language: Language): string {
  return `${publicUrl.replace(/\/+$/, '')}/chat?lang=${language}&t=${encodeURIComponent(token)}`;
}
