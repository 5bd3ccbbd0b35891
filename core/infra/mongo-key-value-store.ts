import { randomUUID } from 'node:crypto';
import { MongoServerError, type Collection } from 'mongodb';
import type { Outcome } from '../domain/outcome.js';
import type { KeyValueStore, StoredValue } from '../ports/key-value-store.port.js';
import type { Database } from './database.js';
import { ReadCache } from './read-cache.js';

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

/** Options of {@link MongoKeyValueStore}. */
export interface MongoKeyValueStoreOptions {
  /**
   * Values this store wrote or read, kept in memory and answered from there: at most
   * `maxEntries` (default 10,000, the least recently used go first), each for `maxAgeMs` after
   * it was last written or read from the database (default 30 minutes). `false` reads the
   * database every time.
   */
  readonly cache?: { readonly maxEntries?: number; readonly maxAgeMs?: number } | false;
}

/**
 * {@link KeyValueStore} over a MongoDB collection of `{ _id: key, json, eTag }`.
 *
 * Reads are `_id` equality look-ups, one per key (`$in`, like any filter but `_id` equality,
 * makes FerretDB filter every document of the collection in Go), and are answered from
 * memory when this store wrote or read the value recently: this collection holds one
 * document per conversation ever held, FerretDB scans it for each look-up, and every turn
 * reads its conversation's state. The memory is only right while this process is the one
 * writing those keys, which is what conversation state needs anyway: the channel adapters
 * serialise a conversation's turns in their process, and botbuilder writes state with eTag
 * `*` (last writer wins), so two processes answering one conversation would already lose
 * each other's state. A value is read again `maxAgeMs` after this store last wrote or read it
 * (the conversation may have moved to another process meanwhile, after a restart or a
 * fail-over).
 *
 * A conditional write is an update filtered on the expected tag, and a first write is an insert
 * whose unique `_id` settles a race. On FerretDB an update is read-modify-write, so two
 * conditional writers can both win: channel adapters serialise the turns of a conversation,
 * which is what keeps its state consistent.
 */
export class MongoKeyValueStore implements KeyValueStore {
  private readonly cache: ReadCache<string, StoredValue | null> | undefined;

  constructor(
    private readonly collection: Collection<BotStateDoc>,
    options: MongoKeyValueStoreOptions = {},
  ) {
    const cache = options.cache ?? {};
    this.cache = cache === false ? undefined : new ReadCache({ maxEntries: cache.maxEntries ?? 10_000, ttlMs: cache.maxAgeMs ?? 30 * 60_000, refresh: false });
  }

  /** The store over the `bot_state` collection of an open database. */
  static forDatabase(database: Database, options?: MongoKeyValueStoreOptions): MongoKeyValueStore {
    const db = database.connection.db;
    if (!db) throw new Error('MongoKeyValueStore: the database connection is not open');
    return new MongoKeyValueStore(db.collection<BotStateDoc>(BOT_STATE_COLLECTION), options);
  }

  async read(keys: readonly string[]): Promise<Map<string, StoredValue>> {
    const found = new Map<string, StoredValue>();
    const values = await Promise.all([...new Set(keys)].map(async (key) => [key, await this.readOne(key)] as const));
    for (const [key, value] of values) if (value) found.set(key, value);
    return found;
  }

  async write(key: string, json: string, expectedETag?: string): Promise<Outcome<string, 'conflict'>> {
    try {
      const written = await this.writeOne(key, json, expectedETag);
      if (written.ok) this.cache?.set(key, { json, eTag: written.value });
      return written;
    } catch (error) {
      // Whether it was written is unknown: the next read asks the database.
      this.cache?.delete(key);
      throw error;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    await Promise.all(
      [...new Set(keys)].map(async (key) => {
        try {
          await this.collection.deleteOne({ _id: key });
          this.cache?.set(key, null);
        } catch (error) {
          this.cache?.delete(key);
          throw error;
        }
      }),
    );
  }

  private async readOne(key: string): Promise<StoredValue | null> {
    const load = async () => {
      const doc = await this.collection.findOne({ _id: key }, { projection: { json: 1, eTag: 1 } });
      return doc ? { json: doc.json, eTag: doc.eTag } : null;
    };
    return this.cache ? this.cache.read(key, load) : load();
  }

  private async writeOne(key: string, json: string, expectedETag?: string): Promise<Outcome<string, 'conflict'>> {
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
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}
