import type { ConversationLog, ConversationRecord, JsonObject, LoggedActivity } from '../../core/ports/conversation-log.port.js';
import { DirectLineError } from './directline-error.js';
import { KeyedSerializer } from './keyed-serializer.js';

/** Receives what happens in one conversation. */
export interface StreamListener {
  /** A new history entry; entries arrive in order of their numbers. */
  logged(entry: LoggedActivity): void;
  /** An activity delivered live and never stored (a typing indicator). */
  ephemeral(activity: JsonObject): void;
}

/** Options of {@link ActivityStream}. */
export interface ActivityStreamOptions {
  /** History entries kept in memory per conversation, so polls and reconnects rarely read the database. */
  readonly recentSize?: number;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  /** Told when a listener throws; the stream carries on. */
  readonly onListenerError?: (error: unknown) => void;
}

interface ConversationState {
  record?: ConversationRecord;
  /** Highest number in the history; undefined until read from the log. */
  lastSeq?: number;
  /** The newest entries, ascending and contiguous, ending at `lastSeq`. */
  recent: LoggedActivity[];
  readonly listeners: Set<StreamListener>;
  touchedAt: number;
  /** Operations in flight: a busy state is never evicted. */
  busy: number;
}

/** Tries of a number before giving up: each failure means another process appended meanwhile. */
const CLAIM_TRIES = 5;

/**
 * The web chat's conversations as this process sees them: their records, their histories (in
 * the {@link ConversationLog}, with the newest entries cached) and who is listening. Appends to
 * one conversation are serialised, so entries reach listeners in the order of their numbers.
 *
 * Live delivery reaches the listeners of this process only: run one web chat server per
 * database, or clients of another process see new entries only when they reconnect or poll.
 */
export class ActivityStream {
  private readonly states = new Map<string, ConversationState>();
  private readonly appends = new KeyedSerializer();
  private readonly recentSize: number;
  private readonly now: () => number;

  constructor(
    private readonly log: ConversationLog,
    private readonly options: ActivityStreamOptions = {},
  ) {
    this.recentSize = options.recentSize ?? 100;
    this.now = options.now ?? Date.now;
  }

  private state(id: string): ConversationState {
    let state = this.states.get(id);
    if (!state) {
      state = { recent: [], listeners: new Set(), touchedAt: this.now(), busy: 0 };
      this.states.set(id, state);
    }
    state.touchedAt = this.now();
    return state;
  }

  private async using<T>(id: string, work: (state: ConversationState) => Promise<T>): Promise<T> {
    const state = this.state(id);
    state.busy++;
    try {
      return await work(state);
    } finally {
      state.busy--;
      state.touchedAt = this.now();
    }
  }

  /** Stores a new conversation; `false` when one with that id exists (nothing changes then). */
  async open(record: ConversationRecord): Promise<boolean> {
    return this.using(record.id, async (state) => {
      const created = await this.log.createConversation(record);
      if (created) {
        state.record = record;
        state.lastSeq ??= -1;
      }
      return created;
    });
  }

  /** The conversation's record, or undefined when there is no such conversation. */
  async conversation(id: string): Promise<ConversationRecord | undefined> {
    return this.using(id, async (state) => {
      state.record ??= await this.log.findConversation(id);
      return state.record;
    });
  }

  /**
   * Appends the activity `build` makes for the next number and tells the listeners. `build` may
   * run more than once (when another process took the number) and must not have side effects.
   */
  async append(conversationId: string, build: (seq: number) => JsonObject): Promise<LoggedActivity> {
    return this.using(conversationId, (state) =>
      this.appends.run(conversationId, async () => {
        state.lastSeq ??= await this.log.lastSeq(conversationId);
        for (let attempt = 0; attempt < CLAIM_TRIES; attempt++) {
          const seq = state.lastSeq + 1;
          const activity = build(seq);
          if (await this.log.claimSeq(conversationId, seq, activity)) {
            const entry: LoggedActivity = { seq, activity };
            state.lastSeq = seq;
            if (state.recent.length > 0 && state.recent[state.recent.length - 1]!.seq !== seq - 1) state.recent = [];
            state.recent.push(entry);
            if (state.recent.length > this.recentSize) state.recent.shift();
            this.notify(state, (listener) => listener.logged(entry));
            return entry;
          }
          state.recent = [];
          state.lastSeq = await this.log.lastSeq(conversationId);
        }
        throw new DirectLineError(503, 'HistoryConflict', `could not append to conversation ${conversationId}: its history is being written elsewhere`);
      }),
    );
  }

  /** Sends `activity` to the conversation's listeners without storing it. */
  publish(conversationId: string, activity: JsonObject): void {
    const state = this.states.get(conversationId);
    if (state) this.notify(state, (listener) => listener.ephemeral(activity));
  }

  /** History entries numbered above `afterSeq`, in order, at most `limit`. */
  async readAfter(conversationId: string, afterSeq: number, limit: number): Promise<LoggedActivity[]> {
    return this.using(conversationId, async (state) => {
      const { lastSeq, recent } = state;
      if (lastSeq !== undefined) {
        if (afterSeq >= lastSeq) return [];
        const first = recent[0];
        if (first && recent[recent.length - 1]!.seq === lastSeq && afterSeq >= first.seq - 1) {
          return recent.slice(afterSeq - first.seq + 1, afterSeq - first.seq + 1 + limit);
        }
      }
      return this.log.readAfter(conversationId, afterSeq, limit);
    });
  }

  /** The history entry numbered `seq`, or undefined. */
  async readOne(conversationId: string, seq: number): Promise<LoggedActivity | undefined> {
    return this.using(conversationId, async (state) => {
      const cached = state.recent.find((entry) => entry.seq === seq);
      return cached ?? this.log.readOne(conversationId, seq);
    });
  }

  /** The highest number in the conversation's history, -1 when empty. */
  async lastSeq(conversationId: string): Promise<number> {
    return this.using(conversationId, async (state) => {
      state.lastSeq ??= await this.log.lastSeq(conversationId);
      return state.lastSeq;
    });
  }

  /** Starts telling `listener` about the conversation; call the answer to stop. */
  subscribe(conversationId: string, listener: StreamListener): () => void {
    const state = this.state(conversationId);
    state.listeners.add(listener);
    return () => {
      state.listeners.delete(listener);
      state.touchedAt = this.now();
    };
  }

  /** Forgets conversations untouched for `idleMs` that nobody listens to (their history stays stored). */
  sweep(idleMs: number): void {
    const horizon = this.now() - idleMs;
    for (const [id, state] of this.states) {
      if (state.busy === 0 && state.listeners.size === 0 && state.touchedAt < horizon) this.states.delete(id);
    }
  }

  private notify(state: ConversationState, call: (listener: StreamListener) => void): void {
    for (const listener of state.listeners) {
      try {
        call(listener);
      } catch (error) {
        this.options.onListenerError?.(error);
      }
    }
  }
}
