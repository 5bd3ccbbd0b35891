import { randomBytes } from 'node:crypto';
import { MongoServerError } from 'mongodb';
import type { Database } from './database.js';

const DUPLICATE_KEY = 11000;
/** 256 bits: the key size HMAC-SHA256 gains nothing beyond. */
const SECRET_BYTES = 32;

/** Stored shape of a server secret in `settings`: `_id` is its name. */
interface SecretDoc {
  _id: string;
  value: string;
  createdAt: Date;
}

/** A stored secret is unusable (edited by hand, or written by something else). */
export class ServerSecretError extends Error {
  readonly code = 'SERVER_SECRET_INVALID';
}

function usable(doc: SecretDoc | null, name: string): string | undefined {
  if (!doc) return undefined;
  if (typeof doc.value !== 'string' || doc.value.length < 32) {
    throw new ServerSecretError(`settings "${name}" does not hold a usable secret: delete that document to have a new one made`);
  }
  return doc.value;
}

/**
 * The secret called `name` (such as the key that signs web chat tokens), made at random the
 * first time and kept in the `settings` collection, so that what it signed stays valid across
 * restarts and across processes sharing the database. Concurrent first calls agree: the secret
 * is claimed by an insert on `_id`, and a loser reads the winner's.
 *
 * @example
 * const key = await getOrCreateSecret(db, 'directline-token');
 */
export async function getOrCreateSecret(db: Database, name: string): Promise<string> {
  const native = db.connection.db;
  if (!native) throw new ServerSecretError('the database connection is not open');
  const settings = native.collection<SecretDoc>('settings');
  const existing = usable(await settings.findOne({ _id: name }), name);
  if (existing) return existing;
  const value = randomBytes(SECRET_BYTES).toString('base64url');
  try {
    await settings.insertOne({ _id: name, value, createdAt: new Date() });
    return value;
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
  }
  const winner = usable(await settings.findOne({ _id: name }), name);
  if (!winner) throw new ServerSecretError(`settings "${name}" vanished while it was being created`);
  return winner;
}
