/** A JSON value: what a conversation log can store and give back unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object, such as one activity of a conversation. */
export type JsonObject = { [key: string]: JsonValue };

/** A conversation opened on a channel that keeps its own history (the web chat's Direct Line). */
export interface ConversationRecord {
  /** The channel's conversation id; never contains `:`. */
  readonly id: string;
  /** The channel's id of the person the conversation was opened for. */
  readonly userId: string;
  /**
   * What the person presented when the conversation was opened (such as `linkToken`, a signed
   * chat link), stored as given: the channel does not interpret it, the bot verifies it.
   */
  readonly claims: Readonly<Record<string, string>>;
  /** The BCP 47 locale the client asked for when it started the conversation. */
  readonly locale?: string;
  readonly createdAt: Date;
}

/** One entry of a conversation's history. */
export interface LoggedActivity {
  /** Position in the conversation, 0, 1, 2, ...: clients resume after the last one they saw. */
  readonly seq: number;
  /** The activity as clients see it. */
  readonly activity: JsonObject;
}

/**
 * Durable history of the conversations of a channel whose clients reconnect with a watermark
 * (the web chat): each conversation is an append-only list of activities numbered 0, 1, 2, ...
 * A number is claimed exactly once, however many writers race for it, so a client that resumes
 * after number `n` receives exactly what came after, even across server restarts.
 *
 * Writers keep their own idea of the next number and call {@link ConversationLog.claimSeq};
 * a `false` answer means another writer took that number: ask {@link ConversationLog.lastSeq}
 * and try the one after.
 *
 * @example
 * let seq = (await log.lastSeq(id)) + 1;
 * while (!(await log.claimSeq(id, seq, activityFor(seq)))) seq = (await log.lastSeq(id)) + 1;
 */
export interface ConversationLog {
  /**
   * Stores `record` unless a conversation with its id exists. Resolves `true` when this call
   * created it; of several racing calls exactly one gets `true`. An existing record is never changed.
   */
  createConversation(record: ConversationRecord): Promise<boolean>;
  /** The conversation with this id, or undefined. */
  findConversation(id: string): Promise<ConversationRecord | undefined>;
  /**
   * Stores `activity` as number `seq` of the conversation if that number is free. Resolves
   * `false`, storing nothing, when the number is already taken. Writers claim numbers in order,
   * `seq` only once `seq - 1` is stored (as `lastSeq() + 1` does), so a history has no gaps:
   * implementations may rely on that to find the last number and to read.
   */
  claimSeq(conversationId: string, seq: number, activity: JsonObject): Promise<boolean>;
  /** The highest number stored for the conversation; -1 when it has none. */
  lastSeq(conversationId: string): Promise<number>;
  /** The activities numbered above `afterSeq`, in order, at most `limit` of them. */
  readAfter(conversationId: string, afterSeq: number, limit: number): Promise<LoggedActivity[]>;
  /** The activity numbered `seq`, or undefined. */
  readOne(conversationId: string, seq: number): Promise<LoggedActivity | undefined>;
}
