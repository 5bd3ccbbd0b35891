import type { Storage, StoreItems } from 'botbuilder';
import type { KeyValueStore } from '../../core/ports/key-value-store.port.js';

/** A write lost to a concurrent one (botbuilder storages signal it by throwing). */
export class StorageConflictError extends Error {
  readonly code = 'storage-conflict';
  constructor(readonly key: string) {
    super(`conversation state changed meanwhile (eTag conflict): ${key}`);
    this.name = 'StorageConflictError';
  }
}

/**
 * botbuilder `Storage` over a {@link KeyValueStore}: each item is kept as one JSON string
 * (dialog state holds keys with `.` and `$`, which FerretDB refuses as field names) with its
 * eTag beside it. An item written with an eTag other than `*` must still carry the stored one
 * (optimistic concurrency, as botbuilder's MemoryStorage); `BotState.saveChanges` writes `*`.
 */
export class BotStorage implements Storage {
  constructor(private readonly store: KeyValueStore) {}

  async read(keys: string[]): Promise<StoreItems> {
    const found = await this.store.read(keys);
    const items: StoreItems = {};
    for (const [key, value] of found) {
      const item: unknown = JSON.parse(value.json);
      items[key] = typeof item === 'object' && item !== null ? { ...item, eTag: value.eTag } : { value: item, eTag: value.eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        const { eTag, ...rest } = (item ?? {}) as { eTag?: unknown } & Record<string, unknown>;
        const expected = typeof eTag === 'string' && eTag !== '' ? eTag : undefined;
        const written = await this.store.write(key, JSON.stringify(rest), expected);
        if (!written.ok) throw new StorageConflictError(key);
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await this.store.delete(keys);
  }
}
