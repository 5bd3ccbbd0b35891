import type { Collection } from 'mongodb';
import type { Debtor, Language } from '../domain/portfolio.js';
import type { DebtorDirectory } from '../ports/debtor-directory.port.js';
import { nativeCollection } from './conversation-models.js';
import type { DebtorDoc, Models } from './models.js';
import { changeCounter, sharedReadCache, type ChangeCounter, type ReadCache } from './read-cache.js';

/**
 * The longest a debtor, an invoice list or ledger entries read for a conversation are kept
 * (the debtor directory and the account ledger). Writes drop them sooner: this process's at
 * once, other processes' within about a second (see {@link ChangeCounter}); this bound is for
 * changes made around Cobrabot (by hand in the database) and for when a change stamp could not
 * be written.
 */
export const PORTFOLIO_CACHE_MS = 2 * 60_000;

/**
 * {@link DebtorDirectory} over the `debtors` collection the import writes. {@link find}
 * answers from what this process read before (one cache per connection), until the debtor is
 * written: a language change here drops that debtor; an import, or a write of another process
 * (the `portfolio` {@link ChangeCounter}), drops everything.
 */
export class MongoDebtorDirectory implements DebtorDirectory {
  private readonly changes: ChangeCounter;
  private readonly cache: ReadCache<string, Debtor | undefined>;

  constructor(private readonly models: Pick<Models, 'Debtor'>) {
    this.changes = changeCounter(models.Debtor.db, 'portfolio');
    this.cache = sharedReadCache(models.Debtor.db, 'debtors', { maxEntries: 10_000, ttlMs: PORTFOLIO_CACHE_MS, counter: this.changes, refresh: false });
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
      this.cache.delete(debtorId);
      await this.changes.publish();
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
