import type { Collection } from 'mongodb';
import type { Debtor, Language } from '../domain/portfolio.js';
import type { DebtorDirectory } from '../ports/debtor-directory.port.js';
import { nativeCollection } from './conversation-models.js';
import type { DebtorDoc, Models } from './models.js';

/** {@link DebtorDirectory} over the `debtors` collection the import writes. */
export class MongoDebtorDirectory implements DebtorDirectory {
  constructor(private readonly models: Pick<Models, 'Debtor'>) {}

  async find(debtorId: string): Promise<Debtor | undefined> {
    const doc = await this.collection().findOne({ _id: debtorId });
    return doc ? toDebtor(doc) : undefined;
  }

  async findByPhone(phone: string): Promise<Debtor[]> {
    return (await this.collection().find({ phone }).limit(10).toArray()).map(toDebtor);
  }

  async findByTelegramUser(telegramUserId: string): Promise<Debtor[]> {
    return (await this.collection().find({ telegramUserId }).limit(10).toArray()).map(toDebtor);
  }

  async setLanguage(debtorId: string, language: Language): Promise<boolean> {
    const result = await this.collection().updateOne({ _id: debtorId }, { $set: { language, updatedAt: new Date() } });
    return result.matchedCount > 0;
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
