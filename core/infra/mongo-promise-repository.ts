import type { PromiseRepository, StoredPromise } from '../ports/promise-repository.port.js';
import type { PromiseDoc } from './conversation-models.js';
import { insertOnce } from './conversation-models.js';
import { ConversationStore } from './conversation-store.js';

/** {@link PromiseRepository} in `payment_promises`, keyed by the promise id. */
export class MongoPromiseRepository extends ConversationStore implements PromiseRepository {
  async save(promise: StoredPromise): Promise<StoredPromise> {
    const collection = await this.collection('PaymentPromise');
    const doc: PromiseDoc = {
      _id: promise.promiseId,
      debtorId: promise.debtorId,
      date: promise.date,
      amount: promise.amount,
      currency: promise.currency,
      createdAt: promise.createdAt,
    };
    if (await insertOnce(collection, doc)) return promise;
    const stored = await collection.findOne({ _id: promise.promiseId });
    if (!stored) throw new Error('MongoPromiseRepository: promise claimed but not found');
    return toPromise(stored);
  }

  async forDebtor(debtorId: string): Promise<StoredPromise[]> {
    const docs = await (await this.collection('PaymentPromise')).find({ debtorId }).toArray();
    return docs.map(toPromise).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.createdAt.getTime() - b.createdAt.getTime()));
  }
}

function toPromise(d: PromiseDoc): StoredPromise {
  return { promiseId: d._id, debtorId: d.debtorId, date: d.date, amount: d.amount, currency: d.currency, createdAt: d.createdAt };
}
