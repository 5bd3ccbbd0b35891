import { expect } from 'chai';
import { connectDatabase, type Database } from '../../../core/infra/database.js';
import { MongoAccountLedger } from '../../../core/infra/mongo-account-ledger.js';
import { MongoDebtorDirectory } from '../../../core/infra/mongo-debtor-directory.js';
import { ChangeCounter, ReadCache, changeCounter, forgetReads } from '../../../core/infra/read-cache.js';
import { freshDatabaseUri } from '../../support/database.js';
import { NOW, seedPortfolio } from '../../support/conversation-fixtures.js';

/** A value the test resolves when it likes: a database read in flight. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('ReadCache', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 0;
  });

  it('answers from memory until the entry is older than ttlMs, then reads again', async () => {
    const cache = new ReadCache<string, number>({ maxEntries: 10, ttlMs: 1000, now, refresh: false });
    let reads = 0;
    const load = async () => ++reads;
    expect(await cache.read('a', load)).to.equal(1);
    clock = 999;
    expect(await cache.read('a', load)).to.equal(1);
    clock = 1000;
    expect(await cache.read('a', load)).to.equal(2);
  });

  it('forgets everything read before its counter changed', async () => {
    const counter = new ChangeCounter();
    const cache = new ReadCache<string, number>({ maxEntries: 10, ttlMs: 60_000, now, counter, refresh: false });
    let reads = 0;
    const load = async () => ++reads;
    await cache.read('a', load);
    await cache.read('b', load);
    await counter.bump();
    expect(await cache.read('a', load)).to.equal(3);
    expect(await cache.read('b', load)).to.equal(4);
  });

  it('shares one read of a key among concurrent readers', async () => {
    const cache = new ReadCache<string, string>({ maxEntries: 10, ttlMs: 60_000, now, refresh: false });
    const db = deferred<string>();
    let reads = 0;
    const load = () => {
      reads++;
      return db.promise;
    };
    const first = cache.read('a', load);
    const second = cache.read('a', load);
    db.resolve('value');
    expect(await Promise.all([first, second])).to.deep.equal(['value', 'value']);
    expect(reads).to.equal(1);
  });

  it('does not keep a read that was in flight when its key was dropped (the read may have missed the write)', async () => {
    const cache = new ReadCache<string, string>({ maxEntries: 10, ttlMs: 60_000, now, refresh: false });
    const stale = deferred<string>();
    const inFlight = cache.read('a', () => stale.promise);
    cache.delete('a');
    // A read after the drop does not join the stale one.
    const fresh = cache.read('a', async () => 'after the write');
    stale.resolve('before the write');
    expect(await inFlight).to.equal('before the write');
    expect(await fresh).to.equal('after the write');
    expect(await cache.read('a', async () => 'read again')).to.equal('after the write');
  });

  it('drops only the keys deleteWhere matches', async () => {
    const cache = new ReadCache<string, string>({ maxEntries: 10, ttlMs: 60_000, now, refresh: false });
    await cache.read('x:1', async () => 'one');
    await cache.read('y:2', async () => 'two');
    cache.deleteWhere((key) => key.startsWith('x:'));
    expect(await cache.read('x:1', async () => 'one again')).to.equal('one again');
    expect(await cache.read('y:2', async () => 'two again')).to.equal('two');
  });

  it('keeps at most maxEntries, the least recently used going first', async () => {
    const cache = new ReadCache<string, string>({ maxEntries: 2, ttlMs: 60_000, now, refresh: false });
    await cache.read('a', async () => 'a1');
    await cache.read('b', async () => 'b1');
    await cache.read('a', async () => 'unused');
    await cache.read('c', async () => 'c1');
    expect(await cache.read('a', async () => 'a2')).to.equal('a1');
    expect(await cache.read('b', async () => 'b2')).to.equal('b2');
  });

  it('answers a value past its refresh point at once and reads it again in the background', async () => {
    const cache = new ReadCache<string, number>({ maxEntries: 10, ttlMs: 1000, now, random: () => 0 });
    let reads = 0;
    await cache.read('a', async () => ++reads);
    clock = 300;
    expect(await cache.read('a', async () => ++reads)).to.equal(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.read('a', async () => ++reads)).to.equal(2);
  });
});

describe('change stamps shared by processes (FerretDB)', () => {
  // Two connections to one database stand for two processes: each has its own counters and caches.
  let uri: string;
  let here: Database;
  let there: Database;
  beforeEach(async () => {
    uri = freshDatabaseUri();
    here = await connectDatabase(uri);
    there = await connectDatabase(uri);
    await seedPortfolio(here);
  });
  afterEach(async () => {
    await here.connection.dropDatabase();
    await here.close();
    await there.close();
  });

  async function eventually<T>(read: () => Promise<T>, until: (value: T) => boolean, ms = 5000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (until(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("sees another process's write of a debtor within about a second, and its own at once", async () => {
    const mine = new MongoDebtorDirectory(here.models);
    const theirs = new MongoDebtorDirectory(there.models);
    expect((await mine.find('D-ES'))?.language).to.equal('es');
    expect((await theirs.find('D-ES'))?.language).to.equal('es');
    await theirs.setLanguage('D-ES', 'en');
    expect((await theirs.find('D-ES'))?.language).to.equal('en');
    const started = Date.now();
    const seen = await eventually(() => mine.find('D-ES'), (d) => d?.language === 'en');
    expect(seen?.language).to.equal('en');
    expect(Date.now() - started).to.be.below(3000);
  });

  it('does not count its own writes as changes of others (no second invalidation)', async () => {
    const counter = changeCounter(here.connection, 'handoffs');
    void counter.value; // reads the stamp for the first time
    await eventually(async () => counter.value, () => false, 1200);
    const before = counter.value;
    // Concurrent writes of this process: none of them is taken for another process's.
    await Promise.all(Array.from({ length: 20 }, () => counter.bump()));
    const afterBump = counter.value;
    expect(afterBump).to.not.equal(before);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    void counter.value; // polls the stamp again: it moved by this process's bump only
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(counter.value).to.equal(afterBump);
    // Another process's write is one.
    await changeCounter(there.connection, 'handoffs').bump();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    void counter.value;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(counter.value).to.not.equal(afterBump);
  });

  it('drops only the paid invoices from the balances it keeps when a payment is recorded in this process', async () => {
    const reader = new MongoAccountLedger(here.models);
    const writer = new MongoAccountLedger(here.models);
    const anaInvoices = (await reader.invoicesOf('D-ES')).map((i) => i.invoiceId);
    const johnInvoices = (await reader.invoicesOf('D-EN')).map((i) => i.invoiceId);
    const anaBefore = await reader.entriesFor(anaInvoices);
    const johnBefore = await reader.entriesFor(johnInvoices);
    // Written around the ledger: a reader that trusted its cache for John would not see this.
    await here.models.Payment.create({ _id: 'sneaky', invoiceId: johnInvoices[0], debtorId: 'D-EN', amount: 1, currency: 'USD', paidAt: '2026-03-09', source: 'manual', recordedAt: new Date(NOW) });
    await writer.record([{ paymentId: 'pay-1', invoiceId: anaInvoices[0]!, debtorId: 'D-ES', amount: 100, currency: 'MXN', paidAt: '2026-03-09', source: 'local', recordedAt: new Date(NOW) }]);
    expect((await reader.entriesFor(anaInvoices)).map((e) => e.paymentId)).to.include('pay-1').and.have.length(anaBefore.length + 1);
    expect(await reader.entriesFor(johnInvoices)).to.deep.equal(johnBefore);
    forgetReads(here.connection);
    expect((await reader.entriesFor(johnInvoices)).map((e) => e.paymentId)).to.include('sneaky');
  });
});
