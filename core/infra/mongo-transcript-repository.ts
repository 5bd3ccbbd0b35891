import type { ChannelId, ConversationKey } from '../domain/conversation.js';
import { conversationKeyId } from '../domain/conversation-key.js';
import type { StoredTranscriptEntry, TranscriptRepository } from '../ports/transcript-repository.port.js';
import type { Connection } from 'mongoose';
import type { TranscriptDoc } from './conversation-models.js';
import { ConversationStore } from './conversation-store.js';
import { InsertBatcher } from './insert-batcher.js';

/**
 * {@link TranscriptRepository} in `transcripts`, one document per message. Appends made at
 * the same time (the messages of many conversations) are written together, one `insertMany`
 * per batch ({@link InsertBatcher}); each append still resolves only once its own entry is
 * stored.
 */
export class MongoTranscriptRepository extends ConversationStore implements TranscriptRepository {
  private readonly batcher: InsertBatcher<TranscriptDoc>;

  constructor(connection: Connection) {
    super(connection);
    this.batcher = new InsertBatcher(() => this.collection('Transcript'));
  }

  async append(entry: StoredTranscriptEntry): Promise<void> {
    // A redelivered message keeps its entry id: stored once.
    await this.batcher.insert({
      _id: entry.entryId,
      conversation: conversationKeyId(entry.key),
      key: { channel: entry.key.channel, conversationId: entry.key.conversationId, userId: entry.key.userId },
      direction: entry.direction,
      text: entry.text,
      at: entry.at,
      ...(entry.debtorId !== undefined ? { debtorId: entry.debtorId } : {}),
      ...(entry.author !== undefined ? { author: entry.author } : {}),
    });
  }

  async forConversation(key: Pick<ConversationKey, 'channel' | 'conversationId'>): Promise<StoredTranscriptEntry[]> {
    const docs = await (await this.collection('Transcript')).find({ conversation: conversationKeyId(key) }).toArray();
    return docs.map(toEntry).sort((a, b) => a.at.getTime() - b.at.getTime());
  }
}

function toEntry(d: TranscriptDoc): StoredTranscriptEntry {
  return {
    entryId: d._id,
    key: { channel: d.key.channel as ChannelId, conversationId: d.key.conversationId, userId: d.key.userId },
    direction: d.direction === 'out' ? 'out' : 'in',
    text: d.text,
    at: d.at,
    ...(d.debtorId != null ? { debtorId: d.debtorId } : {}),
    ...(d.author === 'bot' || d.author === 'agent' || d.author === 'system' ? { author: d.author } : {}),
  };
}
