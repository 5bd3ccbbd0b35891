import type { ChannelId, ConversationKey, HandoffReason, HandoffState } from '../domain/conversation.js';
import { conversationKeyId } from '../domain/conversation-key.js';
import type { HandoffRecord, HandoffRepository, HandoffRequest } from '../ports/handoff-repository.port.js';
import { insertOnce, type HandoffDoc } from './conversation-models.js';
import { ConversationStore } from './conversation-store.js';

/**
 * {@link HandoffRepository} in `handoffs`, one document per conversation. The first request
 * inserts it (a claim on the conversation's id); a later one moves it from `bot` to `queued`
 * only when the bot has it, by a filtered update that leaves a queued or agent-held
 * conversation as it is.
 */
export class MongoHandoffRepository extends ConversationStore implements HandoffRepository {
  async find(key: ConversationKey): Promise<HandoffRecord | undefined> {
    const doc = await (await this.collection('Handoff')).findOne({ _id: conversationKeyId(key) });
    return doc ? toRecord(doc) : undefined;
  }

  async queue(request: HandoffRequest): Promise<HandoffRecord> {
    const collection = await this.collection('Handoff');
    const _id = conversationKeyId(request.key);
    const queued = {
      key: { channel: request.key.channel, conversationId: request.key.conversationId, userId: request.key.userId },
      state: 'queued',
      reason: request.reason,
      ...(request.debtorId !== undefined ? { debtorId: request.debtorId } : {}),
      queuedAt: request.at,
      updatedAt: request.at,
    };
    if (!(await insertOnce(collection, { _id, ...queued }))) {
      await collection.updateOne({ _id, state: 'bot' }, { $set: queued });
    }
    const doc = await collection.findOne({ _id });
    if (!doc) throw new Error('MongoHandoffRepository: handoff claimed but not found');
    return toRecord(doc);
  }

  async queued(): Promise<HandoffRecord[]> {
    const docs = await (await this.collection('Handoff')).find({ state: 'queued' }).toArray();
    return docs.map(toRecord).sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime());
  }
}

function toRecord(d: HandoffDoc): HandoffRecord {
  return {
    key: { channel: d.key.channel as ChannelId, conversationId: d.key.conversationId, userId: d.key.userId },
    state: d.state as HandoffState,
    reason: d.reason as HandoffReason,
    ...(d.debtorId != null ? { debtorId: d.debtorId } : {}),
    queuedAt: d.queuedAt,
    updatedAt: d.updatedAt,
  };
}
