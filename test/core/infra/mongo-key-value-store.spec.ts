import { expect } from 'chai';
import type { Collection } from 'mongodb';
import { BOT_STATE_COLLECTION, MongoKeyValueStore, type BotStateDoc } from '../../../core/infra/mongo-key-value-store.js';
import { useTestDatabase } from '../../support/database.js';

describe('MongoKeyValueStore: conversation state written behind (FerretDB)', () => {
  const db = useTestDatabase();
  let collection: Collection<BotStateDoc>;
  const stores: MongoKeyValueStore[] = [];
  beforeEach(async () => {
    collection = db().connection.db!.collection<BotStateDoc>(BOT_STATE_COLLECTION);
    await collection.deleteMany({});
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.flush()));
  });
  function store(options: ConstructorParameters<typeof MongoKeyValueStore>[1] = {}): MongoKeyValueStore {
    const made = new MongoKeyValueStore(collection, options);
    stores.push(made);
    return made;
  }

  it('answers a write from memory at once, and the database has it after the delay', async () => {
    const state = store({ writeDelayMs: 200 });
    await state.write('k', '{"step":1}');
    expect(state.unwritten).to.equal(1);
    expect((await state.read(['k'])).get('k')?.json).to.equal('{"step":1}');
    expect(await collection.findOne({ _id: 'k' })).to.equal(null);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await collection.findOne({ _id: 'k' }))?.json).to.equal('{"step":1}');
    expect(state.unwritten).to.equal(0);
  });

  it('writes only the newest of the values written during the delay, and a restarted store reads it', async () => {
    const state = store({ writeDelayMs: 10_000 });
    for (let step = 1; step <= 5; step++) await state.write('k', `{"step":${step}}`);
    const before = Date.now();
    await state.flush();
    expect(Date.now() - before, 'flush skips the delay').to.be.below(2000);
    const doc = await collection.findOne({ _id: 'k' });
    expect(doc?.json).to.equal('{"step":5}');
    const restarted = store();
    expect((await restarted.read(['k'])).get('k')).to.deep.equal({ json: '{"step":5}', eTag: doc!.eTag });
  });

  it('retries a failed background write, and reports one that keeps failing while keeping the value in memory', async () => {
    let failuresLeft = 2;
    const flaky = new Proxy(collection, {
      get(target, name, receiver) {
        if (name === 'replaceOne') {
          return async (...args: Parameters<Collection<BotStateDoc>['replaceOne']>) => {
            if (failuresLeft-- > 0) throw new Error('connection reset');
            return target.replaceOne(...args);
          };
        }
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
    const failed: string[] = [];
    const state = new MongoKeyValueStore(flaky, { writeDelayMs: 0, onWriteFailed: (key) => failed.push(key) });
    await state.write('k', '{"v":1}');
    await state.flush();
    expect((await collection.findOne({ _id: 'k' }))?.json).to.equal('{"v":1}');
    expect(failed).to.deep.equal([]);

    failuresLeft = 100;
    await state.write('k', '{"v":2}');
    await state.flush();
    expect(failed).to.deep.equal(['k']);
    expect((await collection.findOne({ _id: 'k' }))?.json).to.equal('{"v":1}');
    expect((await state.read(['k'])).get('k')?.json).to.equal('{"v":2}');
  });

  it('lets a conditional write compare with the database once the pending value is written', async () => {
    const state = store({ writeDelayMs: 10_000 });
    const first = await state.write('k', '{"v":1}');
    if (!first.ok) throw new Error('first write refused');
    expect(await state.write('k', '{"v":2}', first.value)).to.deep.include({ ok: true });
    expect(await state.write('k', '{"v":3}', first.value)).to.deep.equal({ ok: false, reason: 'conflict' });
    expect((await collection.findOne({ _id: 'k' }))?.json).to.equal('{"v":2}');
  });

  it('deletes a key whose write is pending, and the write does not bring it back', async () => {
    const state = store({ writeDelayMs: 50 });
    await state.write('k', '{"v":1}');
    await state.delete(['k']);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await state.flush();
    expect(await collection.findOne({ _id: 'k' })).to.equal(null);
    expect((await state.read(['k'])).has('k')).to.equal(false);
  });

  it('writes through at once with writeBehind false', async () => {
    const state = store({ writeBehind: false });
    await state.write('k', '{"v":1}');
    expect((await collection.findOne({ _id: 'k' }))?.json).to.equal('{"v":1}');
  });
});
