import type { Outcome } from '../domain/outcome.js';

/** A stored value: a JSON document kept as a string, and its version tag. */
export interface StoredValue {
  readonly json: string;
  /** Changes on every write; compare it to write only over what one read. */
  readonly eTag: string;
}

/**
 * A small key-value store of JSON strings with optimistic concurrency, for conversation state.
 * Values are opaque strings: whatever keys the JSON holds (`.`, `$`) never reach the database
 * as field names.
 */
export interface KeyValueStore {
  /** The stored values of `keys`; absent keys are simply missing from the map. */
  read(keys: readonly string[]): Promise<Map<string, StoredValue>>;
  /**
   * Writes `json` under `key`. With `expectedETag` (other than `*`) the write happens only when
   * the stored value still carries that tag, or nothing is stored yet; otherwise it answers
   * `conflict` and changes nothing. Answers the new tag.
   */
  write(key: string, json: string, expectedETag?: string): Promise<Outcome<string, 'conflict'>>;
  /** Removes `keys`; absent keys are ignored. */
  delete(keys: readonly string[]): Promise<void>;
}
