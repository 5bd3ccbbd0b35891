/**
 * One write at a time per database connection, in the order asked. FerretDB on SQLite has a
 * single writer: two inserts sent at once do not run side by side, the second waits in
 * SQLite's busy handler, which sleeps 1, 2, 5, 10 ms... before trying again, so concurrent
 * batches from two collections (a conversation's history and its transcript) cost each other
 * milliseconds of sleep. Queued here they run back to back instead.
 */
export class WriteLane {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `write` once every write queued before it has settled. */
  run<T>(write: () => Promise<T>): Promise<T> {
    const result = this.tail.then(write, write);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

const lanes = new Map<string, WriteLane>();

/** The {@link WriteLane} of a database (FerretDB keeps each database in one SQLite file). */
export function writeLane(connection: string): WriteLane {
  let lane = lanes.get(connection);
  if (!lane) {
    lane = new WriteLane();
    lanes.set(connection, lane);
  }
  return lane;
}
