import type { ChannelId } from '../domain/conversation.js';
import type { ConversationReferences, StoredConversationReference } from '../ports/conversation-references.port.js';
import { isDuplicateKey, type ConversationReferenceDoc } from './conversation-models.js';
import { ConversationStore } from './conversation-store.js';

/**
 * {@link ConversationReferences} in `conversation_references`, one document per debtor and
 * channel. A save replaces the stored reference only when it is not newer than the one saved:
 * the upsert's filter misses a newer document and its insert then hits the `_id`, which is how
 * a late writer learns it lost.
 */
export class MongoConversationReferences extends ConversationStore implements ConversationReferences {
  async save(ref: StoredConversationReference): Promise<void> {
    const _id = referenceId(ref.debtorId, ref.channel);
    const doc: ConversationReferenceDoc = {
      _id,
      debtorId: ref.debtorId,
      channel: ref.channel,
      json: JSON.stringify(ref.reference),
      savedAt: ref.savedAt,
      ...(ref.userId !== undefined ? { userId: ref.userId } : {}),
    };
    try {
      await (await this.collection('ConversationReference')).replaceOne({ _id, savedAt: { $lte: ref.savedAt } }, doc, { upsert: true });
    } catch (error) {
      // A newer reference is stored: it stays.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async find(debtorId: string, channel: ChannelId): Promise<StoredConversationReference | undefined> {
    const doc = await (await this.collection('ConversationReference')).findOne({ _id: referenceId(debtorId, channel) });
    return doc ? toReference(doc) : undefined;
  }

  async latest(debtorId: string): Promise<StoredConversationReference | undefined> {
    const docs = await (await this.collection('ConversationReference')).find({ debtorId }).toArray();
    const [newest] = docs.sort((a, b) => b.savedAt.getTime() - a.savedAt.getTime());
    return newest ? toReference(newest) : undefined;
  }
}

function referenceId(debtorId: string, channel: ChannelId): string {
  return `${channel}:${debtorId}`;
}

function toReference(d: ConversationReferenceDoc): StoredConversationReference {
  const parsed: unknown = JSON.parse(d.json);
  const reference = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  return {
    debtorId: d.debtorId,
    channel: d.channel as ChannelId,
    reference,
    savedAt: d.savedAt,
    ...(d.userId != null ? { userId: d.userId } : {}),
  };
}
