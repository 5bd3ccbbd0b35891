import type { CollectionHold, CollectionHolds } from '../ports/collection-holds.port.js';
import { insertOnce } from './conversation-models.js';
import { ConversationStore } from './conversation-store.js';

/**
 * {@link CollectionHolds} in `collection_holds`, one document per paused debtor (`_id` is the
 * debtor id): pausing is an insert claim, so the first hold stands and a repeat is a no-op.
 */
export class MongoCollectionHolds extends ConversationStore implements CollectionHolds {
  async pause(hold: CollectionHold): Promise<void> {
    await insertOnce(await this.collection('CollectionHold'), {
      _id: hold.debtorId,
      reason: hold.reason,
      since: hold.since,
      ...(hold.disputeId !== undefined ? { disputeId: hold.disputeId } : {}),
    });
  }

  async holdOf(debtorId: string): Promise<CollectionHold | undefined> {
    const d = await (await this.collection('CollectionHold')).findOne({ _id: debtorId });
    if (!d) return undefined;
    return { debtorId: d._id, reason: 'dispute', since: d.since, ...(d.disputeId != null ? { disputeId: d.disputeId } : {}) };
  }
}
