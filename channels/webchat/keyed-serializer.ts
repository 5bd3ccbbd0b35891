import { AsyncLocalStorage } from 'node:async_hooks';
import { DirectLineError } from './directline-error.js';

/** What {@link KeyedSerializer} reports when a job overstays its time. */
export type OverdueHandler = (key: string, ms: number) => void;

/**
 * Runs jobs one at a time per key (a conversation id) and concurrently across keys. botbuilder
 * does not serialise the turns of a conversation, and its state is written with eTag `*`: two
 * overlapping turns would overwrite each other's dialog state.
 *
 * A job that calls {@link KeyedSerializer.run} again for a key it already holds (a turn sending a
 * proactive message to its own conversation) runs at once instead of waiting for itself.
 * A job running longer than `timeoutMs` stops holding its key, so one hung bot call cannot
 * silence a conversation for ever; the job keeps running and its caller gets a `TurnTimeout`.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly held = new AsyncLocalStorage<ReadonlySet<string>>();

  constructor(
    private readonly timeoutMs?: number,
    private readonly onOverdue?: OverdueHandler,
  ) {}

  /** Keys with a job running or waiting. */
  get activeKeys(): number {
    return this.tails.size;
  }

  async run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const held = this.held.getStore();
    if (held?.has(key)) return job();

    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      const running = this.held.run(new Set([...(held ?? []), key]), job);
      return this.timeoutMs === undefined ? await running : await this.withTimeout(key, running, this.timeoutMs);
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  private async withTimeout<T>(key: string, running: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        this.onOverdue?.(key, ms);
        reject(new DirectLineError(500, 'TurnTimeout', `a turn of this conversation ran over ${ms} ms; later turns no longer wait for it`));
      }, ms);
    });
    try {
      return await Promise.race([running, overdue]);
    } finally {
      clearTimeout(timer);
    }
  }
}
