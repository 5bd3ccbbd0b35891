import type { ChannelId, ConversationKey, HandoffReason, HandoffState } from '../domain/conversation.js';
import { conversationKeyId } from '../domain/conversation-key.js';
import type { HandoffRecord, HandoffRepository, HandoffRequest } from '../ports/handoff-repository.port.js';
import type { Connection } from 'mongoose';
import { insertOnce, type HandoffDoc } from './conversation-models.js';
import { ConversationStore } from './conversation-store.js';
import { changeCounter, sharedReadCache, type ChangeCounter, type ReadCache } from './read-cache.js';

/**
 * The longest {@link MongoHandoffRepository.find} keeps what it read. Hand-offs written by
 * this process are seen at once, by other processes within about a second (the `handoffs`
 * {@link ChangeCounter}); this bound is for when a change stamp could not be written.
 */
export const HANDOFF_CACHE_MS = 60_000;

/**
 * {@link HandoffRepository} in `handoffs`, one document per conversation. The first request
 * inserts it (a claim on the conversation's id); a later one moves it from `bot` to `queued`
 * only when the bot has it, by a filtered update that leaves a queued or agent-held
 * conversation as it is.
 *
 * Every turn asks who answers its conversation: {@link find} answers from what this process
 * read (one cache per connection), until a hand-off is written: here, which drops that
 * conversation's entry, so a queued conversation is silent from the next turn on; or by
 * another process (the `handoffs` {@link ChangeCounter}, seen within about a second), which
 * drops them all.
 */
export class MongoHandoffRepository extends ConversationStore implements HandoffRepository {
  private readonly changes: ChangeCounter;
  private readonly cache: ReadCache<string, HandoffRecord | undefined>;

  constructor(connection: Connection) {
    super(connection);
    this.changes = changeCounter(connection, 'handoffs');
    this.cache = sharedReadCache(connection, 'handoffs', { maxEntries: 10_000, ttlMs: HANDOFF_CACHE_MS, counter: this.changes, refresh: false });
  }

  async find(key: ConversationKey): Promise<HandoffRecord | undefined> {
    const _id = conversationKeyId(key);
    return this.cache.read(_id, async () => {
      const doc = await (await this.collection('Handoff')).findOne({ _id });
      return doc ? toRecord(doc) : undefined;
    });
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
    try {
      if (!(await insertOnce(collection, { _id, ...queued }))) {
        await collection.updateOne({ _id, state: 'bot' }, { $set: queued });
      }
    } finally {
      // Only this conversation's hand-off changed: the others stay cached.
      this.cache.delete(_id);
      await this.changes.publish();
    }
    const doc = await collection.findOne({ _id });
    if (!doc) throw new Error('MongoHandoffRepository: handoff claimed but not found');
    const record = toRecord(doc);
    this.cache.set(_id, record);
    return record;
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
