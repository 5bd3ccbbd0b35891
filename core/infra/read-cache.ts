import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';

/** The families of data whose writes invalidate caches. */
export type ChangeFamily = 'portfolio' | 'handoffs' | 'references';

/**
 * Stored shape of a change stamp in `change_stamps`: one per family and process (`_id`
 * `<family>:<process>`), written by that process only, so it never races with another writer
 * (FerretDB's updates are read-modify-write: two processes incrementing one shared counter
 * would lose increments).
 */
interface ChangeStampDoc {
  _id: string;
  family: string;
  /** Writes of the family this process made since it started. */
  n: number;
  at: Date;
}

/** Stamps of processes silent for this long are removed by the next poll that sees them. */
const STALE_STAMP_MS = 7 * 24 * 3600_000;

/** Options of {@link ChangeCounter}. */
export interface ChangeCounterOptions {
  /** Where the stamps shared by every process on the database live; absent, this process only. */
  readonly stamps?: () => Collection<ChangeStampDoc> | undefined;
  /** The family counted. */
  readonly family?: ChangeFamily;
  /** Reads the other processes' stamps at most this often, in milliseconds (default 1,000). */
  readonly pollMs?: number;
  /** Milliseconds, monotonic (default `performance.now`). */
  readonly now?: () => number;
}

/**
 * Counts the writes made to one family of data (the portfolio, the hand-offs, the conversation
 * references) on one database. Every repository that writes the family bumps it once its write
 * is done (or failed: part of it may be written); every {@link ReadCache} over the family
 * forgets what it read before the value last changed.
 *
 * A bump is seen at once by every reader of this process, whichever repository instance it
 * uses. Writes of other processes (`cobrabot import` while `npm start` runs, a second server)
 * are seen through the `change_stamps` collection: each process counts its writes of the family
 * in a stamp of its own, and reading {@link value} reads the others' stamps again in the
 * background at most once per `pollMs` (a collection of a few documents). The value changes
 * when another process's stamp moved (or appeared, or went), so its write reaches this
 * process's caches within about `pollMs`.
 */
export class ChangeCounter {
  private local = 0;
  private remote = 0;
  /** This process's stamp id, and the writes it counted and stored. */
  private readonly self = `${randomUUID()}`;
  private published = 0;
  private writing: Promise<void> = Promise.resolve();
  /** The other processes' stamps as last read (undefined: not read yet). */
  private others: Map<string, number> | undefined;
  private lastPoll = -Infinity;
  private polling = false;
  private readonly now: () => number;

  constructor(private readonly options: ChangeCounterOptions = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Changes whenever the family was written, here or (within about `pollMs`) elsewhere. */
  get value(): number {
    this.poll();
    return (this.local + this.remote) % Number.MAX_SAFE_INTEGER;
  }

  /**
   * Records a write of the family: at once for this process, and in its stamp for the others.
   * Never rejects: were the stamp not written, other processes still re-read once their
   * caches' entries expire.
   */
  async bump(): Promise<void> {
    this.local++;
    await this.publish();
  }

  /** Changes the value for this process only, as a write would, without telling others. */
  forget(): void {
    this.local++;
  }

  /**
   * Tells the other processes only, for a write whose stale entries this process already
   * dropped itself (a payment drops the entries of its invoices, not every debtor's).
   */
  async publish(): Promise<void> {
    const stamps = this.stampCollection();
    if (!stamps) return;
    const n = ++this.published;
    const _id = `${this.family()}:${this.self}`;
    // One write at a time, in order: the stamp only ever grows.
    const write = this.writing.then(() => stamps.replaceOne({ _id }, { family: this.family(), n, at: new Date() }, { upsert: true }).then(() => undefined));
    this.writing = write.catch(() => undefined);
    try {
      await write;
    } catch (error) {
      // See above: the caches' time limit is the fallback. Kept for whoever looks.
      this.lastPublishError = error;
    }
  }

  /** The last failure to write the stamp, if any (other processes then rely on their caches' time limits). */
  lastPublishError: unknown;

  /** Reads the other processes' stamps again if the last read is older than `pollMs`. */
  private poll(): void {
    const stamps = this.stampCollection();
    if (!stamps || this.polling || this.now() - this.lastPoll < (this.options.pollMs ?? 1000)) return;
    this.polling = true;
    this.lastPoll = this.now();
    stamps
      .find({ family: this.family() })
      .toArray()
      .then(
        (docs) => this.judge(docs, stamps),
        () => undefined,
      )
      .finally(() => {
        this.polling = false;
      });
  }

  /**
   * Another process's stamp that moved, appeared or went is another process's write. The first
   * read counts as a change too: what was read before it is not known to be newer than it.
   */
  private judge(docs: readonly ChangeStampDoc[], stamps: Collection<ChangeStampDoc>): void {
    const others = new Map<string, number>();
    const stale = Date.now() - STALE_STAMP_MS;
    for (const doc of docs) {
      if (doc._id === `${this.family()}:${this.self}`) continue;
      others.set(doc._id, doc.n);
      // A process gone for a week: its stamp will not move again.
      if (doc.at instanceof Date && doc.at.getTime() < stale) void stamps.deleteOne({ _id: doc._id, at: doc.at }).catch(() => undefined);
    }
    const before = this.others;
    const changed = !before || before.size !== others.size || [...others].some(([id, n]) => before.get(id) !== n);
    if (changed) this.remote++;
    this.others = others;
  }

  private family(): string {
    return this.options.family ?? 'portfolio';
  }

  private stampCollection(): Collection<ChangeStampDoc> | undefined {
    return this.options.stamps?.();
  }
}

const counters = new WeakMap<object, Map<string, ChangeCounter>>();

/** What `registry` holds under `scope` and `name`, made by `make` on first use. */
function perScope<T>(registry: WeakMap<object, Map<string, T>>, scope: object, name: string, make: () => T): T {
  let named = registry.get(scope);
  if (!named) {
    named = new Map();
    registry.set(scope, named);
  }
  let value = named.get(name);
  if (value === undefined) {
    value = make();
    named.set(name, value);
  }
  return value;
}

/**
 * The {@link ChangeCounter} of `family` on `scope`, made on first use. `scope` is the database
 * connection (a mongoose `Connection`); its `db` holds the shared stamps.
 */
export function changeCounter(scope: object, family: ChangeFamily): ChangeCounter {
  return perScope(counters, scope, family, () => new ChangeCounter({ family, stamps: () => (scope as { db?: Db }).db?.collection<ChangeStampDoc>('change_stamps') }));
}

/**
 * Makes every cache over `scope` (a database connection) forget what it read, as though each
 * family had been written here: for writes that went around the repositories (a collection
 * emptied by hand, a database dropped in a test). Other processes are not told.
 */
export function forgetReads(scope: object): void {
  for (const counter of counters.get(scope)?.values() ?? []) counter.forget();
  for (const cache of shared.get(scope)?.values() ?? []) cache.clear();
}

const shared = new WeakMap<object, Map<string, ReadCache<unknown, unknown>>>();

/**
 * The {@link ReadCache} called `name` on `scope` (a database connection), made with `options`
 * on first use: every repository instance of this process over that data shares it, so that
 * one of them dropping an entry it made stale drops it for all.
 */
export function sharedReadCache<K, V>(scope: object, name: string, options: ReadCacheOptions): ReadCache<K, V> {
  return perScope(shared, scope, name, () => new ReadCache<unknown, unknown>(options)) as ReadCache<K, V>;
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
  /** Orders reads and drops: a read that began before a drop of its key is not kept. */
  private ticks = 0;
  private readonly dropped = new Map<K, number>();
  private readonly inflight = new Map<K, { readonly value: Promise<V>; readonly began: number; readonly generation: number }>();
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

  /** Drops the entry of `key` (its data was just written), and any read of it in flight is not kept. */
  delete(key: K): void {
    this.entries.delete(key);
    this.drop(key);
  }

  /** Drops every entry, as {@link delete} does each. */
  clear(): void {
    this.deleteWhere(() => true);
  }

  /** Drops every entry whose key matches, as {@link delete} does. */
  deleteWhere(matches: (key: K) => boolean): void {
    for (const key of [...this.entries.keys()]) {
      if (!matches(key)) continue;
      this.entries.delete(key);
      this.drop(key);
    }
  }

  private drop(key: K): void {
    this.dropped.delete(key);
    this.dropped.set(key, ++this.ticks);
    // Reads take milliseconds: drops far older than the newest thousands are of no use.
    while (this.dropped.size > Math.max(1_000, this.options.maxEntries)) {
      const oldest = this.dropped.keys().next();
      if (oldest.done) break;
      this.dropped.delete(oldest.value);
    }
  }

  private load(key: K, load: () => Promise<V>): Promise<V> {
    // The same read already in flight, and nothing written since it began: share it.
    const flying = this.inflight.get(key);
    if (flying && flying.generation === this.generation() && (this.dropped.get(key) ?? 0) < flying.began) return flying.value;
    const began = this.ticks + 1;
    const generation = this.generation();
    const value = this.loadAndKeep(key, load);
    const entry = { value, began, generation };
    this.inflight.set(key, entry);
    const done = () => {
      if (this.inflight.get(key) === entry) this.inflight.delete(key);
    };
    value.then(done, done);
    return value;
  }

  private async loadAndKeep(key: K, load: () => Promise<V>): Promise<V> {
    // Taken before the read: a write that lands while it runs makes its result untrusted.
    const generation = this.generation();
    const at = this.now();
    const began = ++this.ticks;
    const value = await load();
    // Dropped while the read ran: the read may have missed the write.
    if ((this.dropped.get(key) ?? 0) > began) return value;
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
