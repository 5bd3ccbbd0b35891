import { MongoBulkWriteError, MongoServerError, type Collection, type OptionalUnlessRequiredId } from 'mongodb';

const DUPLICATE_KEY = 11000;
/** Largest insert batch. */
const MAX_BATCH = 500;

interface Pending<D> {
  readonly doc: OptionalUnlessRequiredId<D>;
  resolve(inserted: boolean): void;
  reject(error: unknown): void;
}

/**
 * Group commit of single-document inserts into one collection: documents handed in while a
 * batch is being written go out together in the next `insertMany` (unordered, so each one
 * still succeeds or hits its duplicate key alone), and each caller learns its own document's
 * fate. On FerretDB v1 (SQLite) every insert is a transaction of its own, about 1,000 a
 * second, and a batch of 50 costs about as much as one: under concurrent conversations this
 * turns one transaction per message into one per batch. On MongoDB it saves round trips.
 *
 * A promise resolves only once its document is written (`true`), or found already written
 * under its `_id` (`false`, as an `_id` claim answers); any other failure rejects the
 * documents it concerns, never silently drops them.
 *
 * @example
 * const batcher = new InsertBatcher(db.collection<TranscriptDoc>('transcripts'));
 * await batcher.insert({ _id: entryId, ... }); // true: stored now; false: stored before
 */
export class InsertBatcher<D extends { _id: string }> {
  private pending: Pending<D>[] = [];
  private flushing = false;

  constructor(private readonly collection: () => Promise<Collection<D>>) {}

  /** Inserts `doc` with the next batch: true when this call stored it, false when its `_id` was taken. */
  insert(doc: OptionalUnlessRequiredId<D>): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({ doc, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the inserts of this tick join the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        await this.write(batch);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async write(batch: readonly Pending<D>[]): Promise<void> {
    const duplicates = new Set<number>();
    const failures = new Map<number, unknown>();
    try {
      const collection = await this.collection();
      await collection.insertMany(
        batch.map((p) => p.doc),
        { ordered: false },
      );
    } catch (error) {
      const writeErrors = error instanceof MongoBulkWriteError ? [error.writeErrors].flat() : [];
      if (writeErrors.length === 0) {
        // A single-document batch reports a duplicate as a plain server error.
        if (batch.length === 1 && error instanceof MongoServerError && error.code === DUPLICATE_KEY) {
          batch[0]!.resolve(false);
          return;
        }
        // Not a per-document failure (connection lost, ...): none of the batch is known written.
        for (const p of batch) p.reject(error);
        return;
      }
      for (const e of writeErrors) {
        if (e.code === DUPLICATE_KEY) duplicates.add(e.index);
        else failures.set(e.index, error);
      }
    }
    batch.forEach((p, index) => {
      if (failures.has(index)) p.reject(failures.get(index));
      else p.resolve(!duplicates.has(index));
    });
  }
}
