import { connectDatabase, type Database } from '../core/infra/database.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../core/infra/embedded-database.js';
import type { Config } from '../core/infra/config.js';

/** What every entry point (server, CLI command) needs: config and an open database. */
export interface Runtime {
  readonly config: Config;
  readonly db: Database;
  /** Set when the embedded database serves this process (started here or reused). */
  readonly embedded?: EmbeddedDatabase;
  /** Closes the connection, then stops the embedded database if this process started it. */
  close(): Promise<void>;
}

/**
 * Opens `MONGODB_URI`, or the embedded database in `DATA_DIR`: the one `npm start` runs when
 * there is one, else a new instance for this process's lifetime.
 */
export async function openRuntime(config: Config, progress: NodeJS.WritableStream = process.stderr): Promise<Runtime> {
  const embedded = config.mongodbUri ? undefined : await startEmbeddedDatabase({ dataDir: config.dataDir, progress });
  try {
    const db = await connectDatabase(config.mongodbUri ?? embedded!.uri);
    return {
      config,
      db,
      embedded,
      async close() {
        await db.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
