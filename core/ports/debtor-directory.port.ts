import type { Debtor, Language } from '../domain/portfolio.js';

/**
 * Finds debtors for conversations: by the creditor's `debtor_id`, or by a channel identity.
 * Look-ups by identity return every match: two debtors may share a phone, and the caller
 * decides what an ambiguous identity is worth.
 */
export interface DebtorDirectory {
  find(debtorId: string): Promise<Debtor | undefined>;
  /** Debtors whose stored phone is exactly `phone` (E.164). */
  findByPhone(phone: string): Promise<Debtor[]>;
  /** Debtors whose stored Telegram user id is exactly `telegramUserId`. */
  findByTelegramUser(telegramUserId: string): Promise<Debtor[]>;
  /**
   * Stores the debtor's language on the debtor itself, where every reader finds it (an import
   * row that leaves `language` empty keeps it). False when the debtor is unknown.
   */
  setLanguage(debtorId: string, language: Language): Promise<boolean>;
}
