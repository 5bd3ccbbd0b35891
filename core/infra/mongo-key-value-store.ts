import { randomUUID } from 'node:crypto';
import { MongoServerError, type Collection } from 'mongodb';
import type { Outcome } from '../domain/outcome.js';
import type { KeyValueStore, StoredValue } from '../ports/key-value-store.port.js';
import type { Database } from './database.js';

/** Stored shape of one value of the `bot_state` collection. */
export interface BotStateDoc {
  _id: string;
  /** The value as a JSON string: FerretDB rejects field names with `.` or a leading `$`. */
  json: string;
  eTag: string;
  updatedAt: Date;
}

const DUPLICATE_KEY = 11000;
/** The collection conversation state lives in. */
export const BOT_STATE_COLLECTION = 'bot_state';

/**
 * {@link KeyValueStore} over a MongoDB collection of `{ _id: key, json, eTag }`.
 *
 * A conditional write is an update filtered on the expected tag, and a first write is an insert
 * whose unique `_id` settles a race. On FerretDB an update is read-modify-write, so two
 * conditional writers can both win: channel adapters serialise the turns of a conversation,
 * which is what keeps its state consistent.
 */
export class MongoKeyValueStore implements KeyValueStore {
  constructor(private readonly collection: Collection<BotStateDoc>) {}

  /** The store over the `bot_state` collection of an open database. */
  static forDatabase(database: Database): MongoKeyValueStore {
    const db = database.connection.db;
    if (!db) throw new Error('MongoKeyValueStore: the database connection is not open');
    return new MongoKeyValueStore(db.collection<BotStateDoc>(BOT_STATE_COLLECTION));
  }

  async read(keys: readonly string[]): Promise<Map<string, StoredValue>> {
    const found = new Map<string, StoredValue>();
    if (!keys.length) return found;
    const docs = await this.collection.find({ _id: { $in: [...keys] } }, { projection: { json: 1, eTag: 1 } }).toArray();
    for (const doc of docs) found.set(doc._id, { json: doc.json, eTag: doc.eTag });
    return found;
  }

  async write(key: string, json: string, expectedETag?: string): Promise<Outcome<string, 'conflict'>> {
    const eTag = randomUUID();
    const updatedAt = new Date();
    if (expectedETag === undefined || expectedETag === '*') {
      try {
        await this.collection.replaceOne({ _id: key }, { json, eTag, updatedAt }, { upsert: true });
      } catch (error) {
        // Two upserts of a new key both try to insert; the loser finds the document there now.
        if (!isDuplicateKey(error)) throw error;
        await this.collection.replaceOne({ _id: key }, { json, eTag, updatedAt });
      }
      return { ok: true, value: eTag };
    }
    const updated = await this.collection.updateOne({ _id: key, eTag: expectedETag }, { $set: { json, eTag, updatedAt } });
    if (updated.matchedCount === 1) return { ok: true, value: eTag };
    try {
      await this.collection.insertOne({ _id: key, json, eTag, updatedAt });
      return { ok: true, value: eTag };
    } catch (error) {
      if (isDuplicateKey(error)) return { ok: false, reason: 'conflict' };
      throw error;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (!keys.length) return;
    await this.collection.deleteMany({ _id: { $in: [...keys] } });
  }
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}
