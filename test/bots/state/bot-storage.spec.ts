import { expect } from 'chai';
import { BotStorage, StorageConflictError } from '../../../bots/state/bot-storage.js';
import { BOT_STATE_COLLECTION, MongoKeyValueStore, type BotStateDoc } from '../../../core/infra/mongo-key-value-store.js';
import { useTestDatabase } from '../../support/database.js';

describe('BotStorage over MongoKeyValueStore (FerretDB)', () => {
  const db = useTestDatabase();
  let storage: BotStorage;
  let store: MongoKeyValueStore;
  beforeEach(async () => {
    // The last test's store may still be writing in the background.
    if (store) await store.flush();
    await db().connection.db!.collection(BOT_STATE_COLLECTION).deleteMany({});
    store = MongoKeyValueStore.forDatabase(db());
    storage = new BotStorage(store);
  });

  it('reads back what it wrote, keys with dots and dollars included, with an eTag', async () => {
    const key = 'webchat/conversations/a.b$c/';
    const item = { 'dialog.state': { $stack: [{ id: 'verify', 'x.y': 1 }] }, list: [1, 'two'], nested: { $ref: 'x' } };
    await storage.write({ [key]: item });
    const read = await storage.read([key, 'absent']);
    expect(Object.keys(read)).to.deep.equal([key]);
    const { eTag, ...rest } = read[key] as { eTag: string };
    expect(rest).to.deep.equal(item);
    expect(eTag).to.be.a('string').and.not.equal('');
  });

  it('keeps each item as one JSON string under its key in bot_state', async () => {
    await storage.write({ k1: { a: 1 } });
    await store.flush();
    const doc = await db().connection.db!.collection<BotStateDoc>(BOT_STATE_COLLECTION).findOne({ _id: 'k1' });
    expect(doc?.json).to.equal('{"a":1}');
    expect(doc?.eTag).to.be.a('string');
  });

  it('overwrites with eTag "*" or none, as BotState.saveChanges does', async () => {
    await storage.write({ k: { v: 1 } });
    await storage.write({ k: { v: 2, eTag: '*' } });
    await storage.write({ k: { v: 3 } });
    expect((await storage.read(['k'])).k).to.deep.include({ v: 3 });
  });

  it('writes over the version it read and refuses a stale eTag', async () => {
    await storage.write({ k: { v: 1 } });
    const first = (await storage.read(['k'])).k as { eTag: string };
    await storage.write({ k: { v: 2, eTag: first.eTag } });
    let error: unknown;
    try {
      await storage.write({ k: { v: 3, eTag: first.eTag } });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(StorageConflictError);
    expect((await storage.read(['k'])).k).to.deep.include({ v: 2 });
  });

  it('writes an item with an eTag when nothing is stored yet (as MemoryStorage does)', async () => {
    await storage.write({ fresh: { v: 1, eTag: 'whatever' } });
    expect((await storage.read(['fresh'])).fresh).to.deep.include({ v: 1 });
  });

  it('answers a conflict, not an error, from the store itself', async () => {
    const written = await store.write('s', '{}');
    if (!written.ok) throw new Error('first write failed');
    expect(await store.write('s', '{"a":1}', 'not-the-tag')).to.deep.equal({ ok: false, reason: 'conflict' });
    expect((await store.write('s', '{"a":2}', written.value)).ok).to.equal(true);
  });

  it('deletes, ignoring keys that are not there', async () => {
    await storage.write({ a: { v: 1 }, b: { v: 2 } });
    await storage.delete(['a', 'nope']);
    expect(Object.keys(await storage.read(['a', 'b']))).to.deep.equal(['b']);
  });
});
