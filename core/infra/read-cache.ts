/**
 * Counts the writes this process made to one family of data (the portfolio, the hand-offs,
 * the conversation references) on one database connection. Every repository that writes the
 * family bumps it once its write is done (or failed: part of it may be written); every
 * {@link ReadCache} over the family forgets what it read before the last bump. So a write made
 * through any repository instance of this process is seen at once by every reader of this
 * process, whichever instance it uses.
 */
export class ChangeCounter {
  private count = 0;

  get value(): number {
    return this.count;
  }

  bump(): void {
    this.count = (this.count + 1) % Number.MAX_SAFE_INTEGER;
  }
}

const counters = new WeakMap<object, Map<string, ChangeCounter>>();

/** The {@link ChangeCounter} of `family` on `scope` (a database connection), made on first use. */
export function changeCounter(scope: object, family: 'portfolio' | 'handoffs' | 'references'): ChangeCounter {
  let families = counters.get(scope);
  if (!families) {
    families = new Map();
    counters.set(scope, families);
  }
  let counter = families.get(family);
  if (!counter) {
    counter = new ChangeCounter();
    families.set(family, counter);
  }
  return counter;
}

/** Options of {@link ReadCache}. */
export interface ReadCacheOptions {
  /** Entries kept at most; the least recently used go first. */
  readonly maxEntries: number;
  /**
   * How long an entry is trusted at most without reading again, in milliseconds: the bound on
   * how long a write made by another process (which no {@link ChangeCounter} of this one sees)
   * can go unnoticed.
   */
  readonly ttlMs: number;
  /** Entries read before its last bump are not trusted. */
  readonly counter?: ChangeCounter;
  /** Milliseconds, monotonic (default `performance.now`). */
  readonly now?: () => number;
  /** Refresh entries in the background before they expire (default true). */
  readonly refresh?: boolean;
  /** A number in [0, 1) (default `Math.random`): spreads refreshes, see {@link ReadCache}. */
  readonly random?: () => number;
}

interface Entry<V> {
  readonly value: V;
  /** When the value was read or written. */
  readonly at: number;
  /** From then on a read answers it and refreshes it in the background. */
  readonly refreshFrom: number;
  /** From then on it is not answered: a read waits for the database. */
  readonly until: number;
  readonly generation: number;
}

/**
 * What a repository read recently, so that a conversation's turns need not read it again.
 * On FerretDB v1 (the dev and test database) every `find`, `_id` look-ups included, costs a
 * millisecond or more of database CPU and scans its collection (the SQLite index on `_id` does
 * not match the expression FerretDB queries with), so a turn that reads five things cannot keep
 * up with fifty conversations; on MongoDB it saves round trips.
 *
 * An entry is answered while it is younger than `ttlMs` and no write of its family was made in
 * this process since it was read ({@link ChangeCounter}); otherwise the read waits for the
 * database. Past a quarter to a half of `ttlMs` (drawn per entry, so that what many
 * conversations read at the same moment is not read again by all of them at once), a read
 * still answers it but refreshes it in the background, so a busy key is re-read about twice
 * per `ttlMs` without a turn ever waiting for it. Absent values (`undefined`) are kept too:
 * "no hand-off" is the common answer.
 *
 * @example
 * const cache = new ReadCache<string, Debtor | undefined>({ maxEntries: 10_000, ttlMs: 2_000, counter });
 * const debtor = await cache.read(debtorId, () => collection.findOne({ _id: debtorId }));
 */
export class ReadCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly refreshing = new Set<K>();
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: ReadCacheOptions) {
    this.now = options.now ?? (() => performance.now());
    this.random = options.random ?? Math.random;
  }

  /** The cached value of `key`, or else what `load` reads (then kept). */
  async read(key: K, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    const now = this.now();
    if (entry && now < entry.until && entry.generation === this.generation()) {
      this.touch(key, entry);
      if (now >= entry.refreshFrom && !this.refreshing.has(key)) this.refresh(key, load);
      return entry.value;
    }
    if (entry) this.entries.delete(key);
    return this.load(key, load);
  }

  /** Keeps `value` as what is stored under `key` now (after writing it). */
  set(key: K, value: V): void {
    this.store(key, value, this.now(), this.generation());
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  private async load(key: K, load: () => Promise<V>): Promise<V> {
    // Taken before the read: a write that lands while it runs makes its result untrusted.
    const generation = this.generation();
    const at = this.now();
    const value = await load();
    // A value set while the read ran is newer than what the read found.
    const current = this.entries.get(key);
    if (!current || current.at < at) this.store(key, value, at, generation);
    return value;
  }

  private refresh(key: K, load: () => Promise<V>): void {
    this.refreshing.add(key);
    this.load(key, load).then(
      () => this.refreshing.delete(key),
      // The entry stays until it expires; the read after that waits for the database and
      // meets the failure itself.
      () => this.refreshing.delete(key),
    );
  }

  private touch(key: K, entry: Entry<V>): void {
    // Most recently used last: eviction takes the first.
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  private store(key: K, value: V, at: number, generation: number): void {
    const { ttlMs } = this.options;
    const refreshFrom = this.options.refresh === false ? Infinity : at + ttlMs * (0.25 + 0.25 * this.random());
    this.entries.delete(key);
    this.entries.set(key, { value, at, refreshFrom, until: at + ttlMs, generation });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  private generation(): number {
    return this.options.counter?.value ?? 0;
  }
}
