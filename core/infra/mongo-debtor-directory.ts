import type { Collection } from 'mongodb';
import type { Debtor, Language } from '../domain/portfolio.js';
import type { DebtorDirectory } from '../ports/debtor-directory.port.js';
import { nativeCollection } from './conversation-models.js';
import type { DebtorDoc, Models } from './models.js';
import { changeCounter, ReadCache, type ChangeCounter } from './read-cache.js';

/**
 * How long a debtor, an invoice list or ledger entries read for a conversation are trusted
 * (the debtor directory and the account ledger): the longest an import or a payment written
 * by another process (this one's are seen at once) can go unnoticed by this one's bot.
 */
export const PORTFOLIO_CACHE_MS = 10_000;

/**
 * {@link DebtorDirectory} over the `debtors` collection the import writes. {@link find}
 * answers from what this instance read in the last {@link PORTFOLIO_CACHE_MS}, unless the
 * portfolio was written since by any repository of this process (a {@link ChangeCounter}
 * per connection, bumped by imports, payments and language changes).
 */
export class MongoDebtorDirectory implements DebtorDirectory {
  private readonly changes: ChangeCounter;
  private readonly cache: ReadCache<string, Debtor | undefined>;

  constructor(private readonly models: Pick<Models, 'Debtor'>) {
    this.changes = changeCounter(models.Debtor.db, 'portfolio');
    this.cache = new ReadCache({ maxEntries: 10_000, ttlMs: PORTFOLIO_CACHE_MS, counter: this.changes });
  }

  async find(debtorId: string): Promise<Debtor | undefined> {
    return this.cache.read(debtorId, async () => {
      const doc = await this.collection().findOne({ _id: debtorId });
      return doc ? toDebtor(doc) : undefined;
    });
  }

  async findByPhone(phone: string): Promise<Debtor[]> {
    return (await this.collection().find({ phone }).limit(10).toArray()).map(toDebtor);
  }

  async findByTelegramUser(telegramUserId: string): Promise<Debtor[]> {
    return (await this.collection().find({ telegramUserId }).limit(10).toArray()).map(toDebtor);
  }

  async setLanguage(debtorId: string, language: Language): Promise<boolean> {
    try {
      const result = await this.collection().updateOne({ _id: debtorId }, { $set: { language, updatedAt: new Date() } });
      return result.matchedCount > 0;
    } finally {
      this.changes.bump();
    }
  }

  private collection(): Collection<DebtorDoc> {
    return nativeCollection(this.models.Debtor);
  }
}

function toDebtor(doc: DebtorDoc): Debtor {
  return {
    debtorId: doc._id,
    name: doc.name,
    ...(doc.phone != null ? { phone: doc.phone } : {}),
    ...(doc.email != null ? { email: doc.email } : {}),
    ...(doc.documentId != null ? { documentId: doc.documentId } : {}),
    language: doc.language === 'en' ? 'en' : 'es',
    timezone: doc.timezone,
    ...(doc.country != null ? { country: doc.country } : {}),
    ...(doc.telegramUserId != null ? { telegramUserId: doc.telegramUserId } : {}),
  };
}
