import mongoose, { type Connection } from 'mongoose';
import { modelsFor, type Models } from './models.js';

/** An open connection and its models. */
export interface Database {
  readonly connection: Connection;
  readonly models: Models;
  /** Resolves true when the server answers a ping within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Connects to `uri` and makes sure the indexes exist. Operations fail fast (a few seconds)
 * when the server is gone, so health checks and requests answer instead of hanging.
 */
export async function connectDatabase(uri: string): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 3000,
    autoIndex: false,
    autoCreate: false,
  });
  await connection.asPromise();
  const models = modelsFor(connection);
  await Promise.all(Object.values(models).map((m: mongoose.Model<unknown>) => m.createIndexes()));
  return {
    connection,
    models,
    async ping(timeoutMs = 1000) {
      const db = connection.db;
      if (!db) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const ping = db
        .command({ ping: 1 })
        .then(() => true)
        .catch((error: unknown) => {
          if (error instanceof Error) return false;
          throw error;
        });
      try {
        return await Promise.race([ping, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      // After the server died the driver waits forever for its goodbye to drain: give a
      // polite close a few seconds, then force it.
      let timer: NodeJS.Timeout | undefined;
      const polite = connection.close().then(() => true);
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 3000);
      });
      try {
        if (!(await Promise.race([polite, timedOut]))) await connection.close(true);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
