import { expect } from 'chai';
import { MongoConversationLog } from '../../../core/infra/mongo-conversation-log.js';
import { getOrCreateSecret } from '../../../core/infra/server-secrets.js';
import type { ConversationLog } from '../../../core/ports/conversation-log.port.js';
import { useTestDatabase } from '../../support/database.js';

describe('MongoConversationLog (the web chat history port)', () => {
  const db = useTestDatabase();
  let log: ConversationLog;
  before(() => {
    log = new MongoConversationLog(db());
  });

  it('creates a conversation once: of racing creators exactly one wins, and the record is kept as first written', async () => {
    const record = { id: 'conv-race', userId: 'dl_a', claims: { linkToken: 'k.e.y$' }, locale: 'es-MX', createdAt: new Date('2026-03-01T12:00:00Z') };
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => log.createConversation({ ...record, userId: `dl_${i}` })));
    expect(results.filter(Boolean)).to.have.length(1);
    const stored = await log.findConversation('conv-race');
    expect(stored?.claims).to.deep.equal({ linkToken: 'k.e.y$' });
    expect(stored?.locale).to.equal('es-MX');
    expect(stored?.userId).to.equal(`dl_${results.indexOf(true)}`);
    expect(await log.findConversation('missing')).to.equal(undefined);
  });

  it('claims each number once, however many writers race for it', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => log.claimSeq('conv-seq', 0, { type: 'message', text: `writer ${i}` })));
    expect(results.filter(Boolean)).to.have.length(1);
    expect(await log.lastSeq('conv-seq')).to.equal(0);
    expect((await log.readOne('conv-seq', 0))?.activity.text).to.equal(`writer ${results.indexOf(true)}`);
  });

  it('finds the last number of histories of every length', async () => {
    for (const length of [1, 2, 3, 5, 8, 13]) {
      const id = `conv-len-${length}`;
      for (let seq = 0; seq < length; seq++) await log.claimSeq(id, seq, { n: seq });
      expect(await log.lastSeq(id), `length ${length}`).to.equal(length - 1);
    }
  });

  it('settles claims made together one by one: duplicates lose, the others are stored', async () => {
    const claims = await Promise.all([log.claimSeq('conv-batch', 0, { n: 'a' }), log.claimSeq('conv-batch', 0, { n: 'b' }), log.claimSeq('conv-batch', 1, { n: 'c' }), log.claimSeq('conv-other', 0, { n: 'd' })]);
    expect(claims.slice(0, 2).filter(Boolean)).to.have.length(1);
    expect(claims.slice(2)).to.deep.equal([true, true]);
    const winner = claims[0] ? 'a' : 'b';
    expect((await log.readAfter('conv-batch', -1, 10)).map((e) => e.activity.n)).to.deep.equal([winner, 'c']);
  });

  it('reads after a number, in order, up to a limit, keeping keys FerretDB would refuse', async () => {
    for (let seq = 0; seq <= 20; seq++) {
      expect(await log.claimSeq('conv-read', seq, { type: 'message', text: `n${seq}`, channelData: { 'a.b': 1, $c: { 'd.e': [1, 2] } } })).to.equal(true);
    }
    expect(await log.lastSeq('conv-read')).to.equal(20);
    expect(await log.lastSeq('conv-empty')).to.equal(-1);
    const after0 = await log.readAfter('conv-read', 0, 3);
    expect(after0.map((e) => e.seq)).to.deep.equal([1, 2, 3]);
    expect(after0[0]!.activity.channelData).to.deep.equal({ 'a.b': 1, $c: { 'd.e': [1, 2] } });
    expect((await log.readAfter('conv-read', -1, 100)).map((e) => e.seq)).to.deep.equal(Array.from({ length: 21 }, (_, i) => i));
    expect((await log.readAfter('conv-read', 17, 100)).map((e) => e.activity.text)).to.deep.equal(['n18', 'n19', 'n20']);
    expect(await log.readAfter('conv-read', 20, 100)).to.deep.equal([]);
    expect(await log.readAfter('conv-empty', -1, 100)).to.deep.equal([]);
  });
});

describe('getOrCreateSecret', () => {
  const db = useTestDatabase();

  it('makes a secret once and gives the same one to every caller, racing or later', async () => {
    const racing = await Promise.all(Array.from({ length: 6 }, () => getOrCreateSecret(db(), 'test-key')));
    expect(new Set(racing).size).to.equal(1);
    expect(racing[0]).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(await getOrCreateSecret(db(), 'test-key')).to.equal(racing[0]);
    expect(await getOrCreateSecret(db(), 'other-key')).not.to.equal(racing[0]);
  });

  it('refuses a stored value that is no usable secret, with a coded error', async () => {
    await db().connection.db!.collection<{ _id: string; value: string }>('settings').insertOne({ _id: 'broken', value: 'short' });
    const error = await getOrCreateSecret(db(), 'broken').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as { code?: string }).code).to.equal('SERVER_SECRET_INVALID');
  });
});
