import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { CHANNELS, type ChannelId } from '../domain/conversation.js';
import type { ConversationReferences, StoredConversationReference } from '../ports/conversation-references.port.js';
import { insertOnce, isDuplicateKey, type ConversationReferenceDoc } from './conversation-models.js';
import { ConversationStore } from './conversation-store.js';
import { changeCounter, sharedReadCache, type ChangeCounter, type ReadCache } from './read-cache.js';

/**
 * The longest {@link MongoConversationReferences.latest} keeps what it read. References saved
 * by this process are seen at once, by other processes within about a second (the
 * `references` {@link ChangeCounter}); this bound is for when a change stamp could not be written.
 */
export const REFERENCE_CACHE_MS = 60_000;

/**
 * {@link ConversationReferences} in `conversation_references`, one document per debtor and
 * channel (`_id` `<channel>:<debtorId>`), and a copy of the newest of them per debtor in
 * `latest_conversation_references` (`_id` the debtor id), so that `latest` is one `_id`
 * look-up: FerretDB answers a query on `debtorId` by scanning the collection.
 *
 * A save replaces a stored reference only when it is not newer than the one saved: the
 * upsert's filter misses a newer document and its insert then hits the `_id`, which is how a
 * late writer learns it lost. The channel's document is written first, then the copy, so the
 * copy never names a reference that was not stored; were the process to stop in between, the
 * next save of that conversation (every verified turn asks) writes it.
 *
 * Every verified turn asks for the latest reference (to save its own only when it changed):
 * {@link MongoConversationReferences.latest} answers from what this process read (one cache
 * per connection): a save here drops that debtor's entry, a save by another process (seen
 * through the `references` {@link ChangeCounter} within about a second) drops them all.
 */
export class MongoConversationReferences extends ConversationStore implements ConversationReferences {
  private readonly changes: ChangeCounter;
  private readonly cache: ReadCache<string, StoredConversationReference | undefined>;

  constructor(connection: Connection) {
    super(connection);
    this.changes = changeCounter(connection, 'references');
    this.cache = sharedReadCache(connection, 'references.latest', { maxEntries: 10_000, ttlMs: REFERENCE_CACHE_MS, counter: this.changes, refresh: false });
  }

  async save(ref: StoredConversationReference): Promise<void> {
    try {
      await this.write(ref);
    } finally {
      // Only this debtor's latest reference may have changed: the others stay cached.
      this.cache.delete(ref.debtorId);
      await this.changes.publish();
    }
  }

  private async write(ref: StoredConversationReference): Promise<void> {
    const doc: Omit<ConversationReferenceDoc, '_id'> = {
      debtorId: ref.debtorId,
      channel: ref.channel,
      json: JSON.stringify(ref.reference),
      savedAt: ref.savedAt,
      ...(ref.userId !== undefined ? { userId: ref.userId } : {}),
    };
    const _id = referenceId(ref.debtorId, ref.channel);
    // A newer reference is stored on this channel: it stays, and so does the copy made of it.
    if (!(await replaceUnlessNewer(await this.collection('ConversationReference'), _id, doc))) return;
    await replaceUnlessNewer(await this.collection('LatestConversationReference'), ref.debtorId, doc);
  }

  async find(debtorId: string, channel: ChannelId): Promise<StoredConversationReference | undefined> {
    const doc = await (await this.collection('ConversationReference')).findOne({ _id: referenceId(debtorId, channel) });
    return doc ? toReference(doc) : undefined;
  }

  /**
   * The copy of the newest reference. A debtor whose references were saved before the copies
   * existed gets the newest of the channels' documents (one `_id` look-up per channel), and
   * its copy is inserted then, so the next call is one look-up.
   */
  async latest(debtorId: string): Promise<StoredConversationReference | undefined> {
    return this.cache.read(debtorId, () => this.readLatest(debtorId));
  }

  private async readLatest(debtorId: string): Promise<StoredConversationReference | undefined> {
    const latest = await this.collection('LatestConversationReference');
    const copy = await latest.findOne({ _id: debtorId });
    if (copy) return toReference(copy);
    const found = await Promise.all(CHANNELS.map((channel) => this.find(debtorId, channel)));
    let newest: StoredConversationReference | undefined;
    for (const ref of found) if (ref && (!newest || ref.savedAt > newest.savedAt)) newest = ref;
    if (newest) {
      // A save racing with this insert: its replace overwrites the insert, or the insert finds its copy there; the newest stays.
      await insertOnce(latest, {
        _id: debtorId,
        debtorId,
        channel: newest.channel,
        json: JSON.stringify(newest.reference),
        savedAt: newest.savedAt,
        ...(newest.userId !== undefined ? { userId: newest.userId } : {}),
      });
    }
    return newest;
  }
}

/**
 * Replaces the document `_id` with `doc` unless the stored one was saved later; true when
 * `doc` is stored now.
 */
async function replaceUnlessNewer(
  collection: Collection<ConversationReferenceDoc>,
  _id: string,
  doc: Omit<ConversationReferenceDoc, '_id'>,
): Promise<boolean> {
  try {
    await collection.replaceOne({ _id, savedAt: { $lte: doc.savedAt } }, doc, { upsert: true });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
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
