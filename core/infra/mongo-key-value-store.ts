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
  /**
   * Unconditional writes (eTag `*`, what botbuilder's `saveChanges` does) answer once the value
   * is in memory, and reach the database right after, in the background: one write in flight
   * per key, and values written meanwhile replace each other, so only the newest goes out.
   * Default true; `false` answers once the database has the value. Needs `cache`.
   */
  readonly writeBehind?: boolean;
  /**
   * How long a background write waits before it goes out, in milliseconds (default 1,000), so
   * that the values a busy conversation writes meanwhile go out as one: the longest a value
   * stays in memory only, besides the write itself. {@link MongoKeyValueStore.flush} skips it.
   */
  readonly writeDelayMs?: number;
  /**
   * Background writes in flight at once, all keys together (default 2): they yield to the
   * writes a turn waits for (its history, its transcript) instead of flooding a single-writer
   * database with a burst of state saves.
   */
  readonly backgroundWrites?: number;
  /** Told when a background write failed for good (after retries); the value then lives in memory only. */
  readonly onWriteFailed?: (key: string, error: unknown) => void;
}

/** A value written to memory whose database write has not begun. */
interface PendingValue {
  readonly json: string;
  readonly eTag: string;
  readonly updatedAt: Date;
}

/** Background writes retry this many times, waiting 100 ms, 200 ms, 400 ms... in between. */
const WRITE_ATTEMPTS = 6;

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
 * Unconditional writes go to memory first and to the database in the background (see
 * {@link MongoKeyValueStoreOptions.writeBehind}): a turn's state save costs a conversation
 * nothing but memory, the next turn finds it there, and under load the database gets the
 * newest value of each conversation rather than every one. Should the process die in the
 * meantime, the last turn's dialog position is lost (botbuilder itself saves state after the
 * replies went out, so a crash there already forgets the turn; here it is the turns of about
 * the last second); {@link flush} writes everything pending, and the server calls it when it
 * stops.
 *
 * A conditional write is an update filtered on the expected tag, and a first write is an insert
 * whose unique `_id` settles a race. On FerretDB an update is read-modify-write, so two
 * conditional writers can both win: channel adapters serialise the turns of a conversation,
 * which is what keeps its state consistent.
 */
export class MongoKeyValueStore implements KeyValueStore {
  private readonly cache: ReadCache<string, StoredValue | null> | undefined;
  private readonly writeBehind: boolean;
  /** Newest value of each key whose database write has not begun. */
  private readonly pending = new Map<string, PendingValue>();
  /** The value each background writer is writing now. */
  private readonly writing = new Map<string, PendingValue>();
  /** The background writer of each key that has one running. */
  private readonly writers = new Map<string, Promise<void>>();
  /** Flushes running: background writers do not wait. */
  private flushes = 0;
  /** Background writes running, and the writers waiting for a turn to write. */
  private writesRunning = 0;
  private readonly writeQueue: (() => void)[] = [];
  /** Ends the wait of the background writer of each key that waits. */
  private readonly wakers = new Map<string, () => void>();

  constructor(
    private readonly collection: Collection<BotStateDoc>,
    private readonly options: MongoKeyValueStoreOptions = {},
  ) {
    const cache = options.cache ?? {};
    this.cache = cache === false ? undefined : new ReadCache({ maxEntries: cache.maxEntries ?? 10_000, ttlMs: cache.maxAgeMs ?? 30 * 60_000, refresh: false });
    this.writeBehind = this.cache !== undefined && options.writeBehind !== false;
  }

  /** Values written to memory whose database write has not finished. */
  get unwritten(): number {
    return new Set([...this.pending.keys(), ...this.writers.keys()]).size;
  }

  /** Resolves once every value written before (and while) it runs is in the database, or failed for good. */
  async flush(): Promise<void> {
    this.flushes++;
    for (const wake of this.wakers.values()) wake();
    try {
      while (this.writers.size > 0) await Promise.all([...this.writers.values()]);
    } finally {
      this.flushes--;
    }
  }

  /** The writer of `key` waits `ms`, or less if someone needs the value in the database (a flush, a conditional write). */
  private async pause(key: string, ms: number): Promise<void> {
    if (ms <= 0 || this.flushes > 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      this.wakers.set(key, resolve);
    });
    clearTimeout(timer);
    this.wakers.delete(key);
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
    const unconditional = expectedETag === undefined || expectedETag === '*';
    if (unconditional && this.writeBehind) {
      const eTag = randomUUID();
      this.pending.set(key, { json, eTag, updatedAt: new Date() });
      this.cache?.set(key, { json, eTag });
      this.startWriter(key);
      return { ok: true, value: eTag };
    }
    // A conditional write compares with what the database holds: let it catch up first.
    await this.settle(key);
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
        this.pending.delete(key);
        await this.settle(key);
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
    // Evicted from the cache but not written yet: memory is newer than the database.
    const waiting = this.pending.get(key) ?? this.writing.get(key);
    if (waiting) return { json: waiting.json, eTag: waiting.eTag };
    const load = async () => {
      const doc = await this.collection.findOne({ _id: key }, { projection: { json: 1, eTag: 1 } });
      return doc ? { json: doc.json, eTag: doc.eTag } : null;
    };
    return this.cache ? this.cache.read(key, load) : load();
  }

  /** Starts the background writer of `key` unless it runs: it writes the pending value until none is left. */
  private startWriter(key: string): void {
    if (this.writers.has(key)) return;
    const writer = (async () => {
      // Values written meanwhile replace this one: the newest goes out.
      await this.pause(key, this.options.writeDelayMs ?? 1000);
      for (let value = this.pending.get(key); value; value = this.pending.get(key)) {
        this.pending.delete(key);
        this.writing.set(key, value);
        await this.persist(key, value);
        this.writing.delete(key);
      }
    })().finally(() => this.writers.delete(key));
    this.writers.set(key, writer);
  }

  /** Writes one value of `key`, retrying; a newer value handed in meanwhile makes retrying this one moot. */
  private async persist(key: string, value: PendingValue): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.throttled(() => this.replace(key, value.json, value.eTag, value.updatedAt));
        return;
      } catch (error) {
        if (this.pending.has(key)) return;
        if (attempt >= WRITE_ATTEMPTS) {
          this.options.onWriteFailed?.(key, error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (attempt - 1)));
      }
    }
  }

  /** Runs `write` once fewer than `backgroundWrites` background writes run. */
  private async throttled(write: () => Promise<void>): Promise<void> {
    if (this.writesRunning >= Math.max(1, this.options.backgroundWrites ?? 2)) {
      await new Promise<void>((resolve) => this.writeQueue.push(resolve));
    }
    this.writesRunning++;
    try {
      await write();
    } finally {
      this.writesRunning--;
      this.writeQueue.shift()?.();
    }
  }

  /** Waits until `key` has no background write running or pending. */
  private async settle(key: string): Promise<void> {
    this.wakers.get(key)?.();
    for (let writer = this.writers.get(key); writer; writer = this.writers.get(key)) await writer;
  }

  /** Stores `json` under `key` whatever is stored (an upsert). */
  private async replace(key: string, json: string, eTag: string, updatedAt: Date): Promise<void> {
    try {
      await this.collection.replaceOne({ _id: key }, { json, eTag, updatedAt }, { upsert: true });
    } catch (error) {
      // Two upserts of a new key both try to insert; the loser finds the document there now.
      if (!isDuplicateKey(error)) throw error;
      await this.collection.replaceOne({ _id: key }, { json, eTag, updatedAt });
    }
  }

  private async writeOne(key: string, json: string, expectedETag?: string): Promise<Outcome<string, 'conflict'>> {
    const eTag = randomUUID();
    const updatedAt = new Date();
    if (expectedETag === undefined || expectedETag === '*') {
      await this.replace(key, json, eTag, updatedAt);
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
