import { DirectLineError } from './directline-error.js';

/** What {@link KeyedSerializer} reports when a job overstays its time. */
export type OverdueHandler = (key: string, ms: number) => void;

/**
 * Runs jobs one at a time per key (a conversation id) and concurrently across keys. botbuilder
 * does not serialise the turns of a conversation, and its state is written with eTag `*`: two
 * overlapping turns would overwrite each other's dialog state.
 *
 * It does not know who calls it: a job that waits (through {@link KeyedSerializer.run}) for its
 * own key waits for itself. Callers that may be inside a job ask {@link KeyedSerializer.running}
 * first. (Telling who calls would take an `AsyncLocalStorage`, whose promise hooks slow down
 * every promise of the process by a tenth or more.)
 * A job running longer than `timeoutMs` stops holding its key, so one hung bot call cannot
 * silence a conversation for ever; the job keeps running and its caller gets a `TurnTimeout`.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<void>>();
  /** Keys whose job is running now (not just waiting). */
  private readonly holders = new Set<string>();

  constructor(
    private readonly timeoutMs?: number,
    private readonly onOverdue?: OverdueHandler,
  ) {}

  /** Keys with a job running or waiting. */
  get activeKeys(): number {
    return this.tails.size;
  }

  /** True while a job of `key` runs. */
  running(key: string): boolean {
    return this.holders.has(key);
  }

  async run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    this.holders.add(key);
    try {
      const running = job();
      return this.timeoutMs === undefined ? await running : await this.withTimeout(key, running, this.timeoutMs);
    } finally {
      this.holders.delete(key);
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
