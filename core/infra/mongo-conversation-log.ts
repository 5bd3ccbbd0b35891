import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { ConversationLog, ConversationRecord, JsonObject, LoggedActivity } from '../ports/conversation-log.port.js';
import type { Database } from './database.js';
import { InsertBatcher } from './insert-batcher.js';

const DUPLICATE_KEY = 11000;
/** Lookups in flight at once when a history is read entry by entry. */
const READ_PARALLELISM = 8;

/** Stored shape of a conversation: `_id` is the conversation id. */
interface ConversationDoc {
  _id: string;
  userId: string;
  /** JSON text: claim names are the client's business and may hold `.` or `$`, which FerretDB rejects as keys. */
  claims: string;
  locale?: string;
  createdAt: Date;
}

/**
 * Stored shape of one history entry: `_id` is `${conversationId}:${seq}`, so a number is claimed
 * once. `conversationId` and `seq` repeat what `_id` says, for people reading the collection.
 */
interface ActivityDoc {
  _id: string;
  conversationId: string;
  seq: number;
  /** The activity as JSON text, for the same reason as {@link ConversationDoc.claims}. */
  json: string;
  storedAt: Date;
}

/** The conversation log's storage failed in a way the caller cannot fix by retrying the same call. */
export class ConversationLogError extends Error {
  readonly code = 'CONVERSATION_LOG_CORRUPT';
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

function parseObject(text: string, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConversationLogError(`${what} is not valid JSON`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConversationLogError(`${what} is not a JSON object`);
  return value as JsonObject;
}

function toRecord(doc: ConversationDoc): ConversationRecord {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(parseObject(doc.claims, `claims of conversation ${doc._id}`))) {
    if (typeof value === 'string') claims[name] = value;
  }
  return { id: doc._id, userId: doc.userId, claims, createdAt: doc.createdAt, ...(doc.locale ? { locale: doc.locale } : {}) };
}

function toLogged(doc: ActivityDoc): LoggedActivity {
  return { seq: doc.seq, activity: parseObject(doc.json, `activity ${doc._id}`) };
}

/**
 * {@link ConversationLog} over two collections, `directline_conversations` and
 * `directline_activities`. Both claims are inserts on `_id` (a conversation id; a conversation
 * id and a number), the one operation FerretDB performs atomically.
 *
 * Shaped by FerretDB v1 (SQLite), the dev and test database, and fine on MongoDB:
 * - Only `_id` equality is looked up directly; any other filter, `$in` and `_id` ranges
 *   included, scans the whole collection (0.6 s at 20,000 activities). So history is read entry
 *   by entry by `_id` (about 1 ms each, a few in parallel), and the last number is found by a
 *   galloping search over `_id`s, never by a query on `conversationId` or `seq`.
 * - Each insert is a transaction of its own (about 1,000 a second), a batch of 50 costs about
 *   as much as one: claims made while a batch is being written go out together in the next one
 *   (`insertMany`, unordered, so each document still succeeds or hits its duplicate key alone).
 */
export class MongoConversationLog implements ConversationLog {
  private readonly conversations: Collection<ConversationDoc>;
  private readonly activities: Collection<ActivityDoc>;
  /** Claims made while a batch is being written go out together in the next one. */
  private readonly claims: InsertBatcher<ActivityDoc>;

  constructor(database: Database) {
    const db: Db | undefined = database.connection.db;
    if (!db) throw new ConversationLogError('the database connection is not open');
    this.conversations = db.collection<ConversationDoc>('directline_conversations');
    this.activities = db.collection<ActivityDoc>('directline_activities');
    const activities = this.activities;
    this.claims = new InsertBatcher(async () => activities);
  }

  async createConversation(record: ConversationRecord): Promise<boolean> {
    try {
      await this.conversations.insertOne({
        _id: record.id,
        userId: record.userId,
        claims: JSON.stringify(record.claims),
        createdAt: record.createdAt,
        ...(record.locale ? { locale: record.locale } : {}),
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async findConversation(id: string): Promise<ConversationRecord | undefined> {
    const doc = await this.conversations.findOne({ _id: id });
    return doc ? toRecord(doc) : undefined;
  }

  claimSeq(conversationId: string, seq: number, activity: JsonObject): Promise<boolean> {
    const doc: ActivityDoc = { _id: activityKey(conversationId, seq), conversationId, seq, json: JSON.stringify(activity), storedAt: new Date() };
    return this.claims.insert(doc);
  }

  async lastSeq(conversationId: string): Promise<number> {
    const exists = async (seq: number) => (await this.activities.findOne({ _id: activityKey(conversationId, seq) }, { projection: { _id: 1 } })) !== null;
    if (!(await exists(0))) return -1;
    // Numbers are claimed in order without gaps: gallop to a missing one, then halve the gap.
    let present = 0;
    let step = 1;
    let missing: number;
    for (;;) {
      missing = present + step;
      if (!(await exists(missing))) break;
      present = missing;
      step *= 2;
    }
    while (missing - present > 1) {
      const middle = Math.floor((present + missing) / 2);
      if (await exists(middle)) present = middle;
      else missing = middle;
    }
    return present;
  }

  async readAfter(conversationId: string, afterSeq: number, limit: number): Promise<LoggedActivity[]> {
    const found: LoggedActivity[] = [];
    let next = afterSeq + 1;
    while (found.length < limit) {
      const seqs = Array.from({ length: Math.min(READ_PARALLELISM, limit - found.length) }, (_, i) => next + i);
      const docs = await Promise.all(seqs.map((seq) => this.activities.findOne({ _id: activityKey(conversationId, seq) })));
      for (const doc of docs) {
        if (!doc) return found;
        found.push(toLogged(doc));
      }
      next += seqs.length;
    }
    return found;
  }

  async readOne(conversationId: string, seq: number): Promise<LoggedActivity | undefined> {
    const doc = await this.activities.findOne({ _id: activityKey(conversationId, seq) });
    return doc ? toLogged(doc) : undefined;
  }
}

/** `_id` of entry `seq` of a conversation: claiming it is claiming the number. */
function activityKey(conversationId: string, seq: number): string {
  return `${conversationId}:${seq}`;
}
