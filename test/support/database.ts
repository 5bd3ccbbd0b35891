import { randomBytes } from 'node:crypto';
import { connectDatabase, type Database } from '../../core/infra/database.js';
import { forgetReads } from '../../core/infra/read-cache.js';

/** The URI of a fresh, empty database on the run's FerretDB. */
export function freshDatabaseUri(): string {
  const base = process.env.COBRABOT_TEST_MONGODB;
  if (!base) throw new Error('COBRABOT_TEST_MONGODB is unset: run tests through mocha (test/support/root-hooks.ts)');
  return `${base}/t_${randomBytes(6).toString('hex')}`;
}

/**
 * Gives the calling `describe` a database of its own: connected before its tests, dropped after.
 * Use `db()` inside tests.
 */
export function useTestDatabase(): () => Database {
  let database: Database | undefined;
  before(async () => {
    database = await connectDatabase(freshDatabaseUri());
  });
  after(async () => {
    if (database) {
      await database.connection.dropDatabase();
      await database.close();
    }
  });
  return () => {
    if (!database) throw new Error('useTestDatabase: database not ready (call db() inside a test or hook)');
    return database;
  };
}

/** Empties every collection of the database between tests. */
export async function clearCollections(db: Database): Promise<void> {
  await Promise.all(Object.values(db.models).map((m) => m.deleteMany({})));
  // Emptied around the repositories: what their caches read is gone.
  forgetReads(db.connection);
}
