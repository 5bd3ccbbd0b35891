/**
 * What the bot logs through: a subset of pino's logger, so the app passes its own. Details
 * are structured and never carry personal data (no text, names, phones or document ids).
 */
export interface BotLogger {
  error(details: Readonly<Record<string, unknown>>, message: string): void;
  warn(details: Readonly<Record<string, unknown>>, message: string): void;
}
