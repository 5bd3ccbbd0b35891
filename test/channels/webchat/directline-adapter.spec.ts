import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { DirectLineAdapter, type BotLogic } from '../../../channels/webchat/directline-adapter.js';
import { DirectLineError } from '../../../channels/webchat/directline-error.js';
import type { ConversationRecord } from '../../../core/ports/conversation-log.port.js';
import { MongoConversationLog } from '../../../core/infra/mongo-conversation-log.js';
import { useTestDatabase } from '../../support/database.js';

describe('DirectLineAdapter', () => {
  const db = useTestDatabase();

  function adapterFor(options: { turnTimeoutMs?: number } = {}): DirectLineAdapter {
    return new DirectLineAdapter({ log: new MongoConversationLog(db()), serviceUrl: 'https://chat.example/', ...options });
  }

  async function conversation(adapter: DirectLineAdapter): Promise<ConversationRecord> {
    const record: ConversationRecord = { id: randomBytes(8).toString('hex'), userId: 'dl_user', claims: {}, createdAt: new Date() };
    expect(await adapter.stream.open(record)).to.equal(true);
    return record;
  }

  /** A user's message through the adapter, as the Direct Line route hands it over. */
  async function say(adapter: DirectLineAdapter, record: ConversationRecord, text: string, logic: BotLogic): Promise<{ id: string; turn: Promise<void> }> {
    return adapter.acceptFromUser(record, { type: 'message', fields: { text } }, logic);
  }

  async function history(adapter: DirectLineAdapter, record: ConversationRecord): Promise<Record<string, unknown>[]> {
    return (await adapter.stream.readAfter(record.id, -1, 100)).map((e) => e.activity);
  }

  const reference = (record: ConversationRecord): Partial<ConversationReference> => ({
    channelId: 'directline',
    conversation: { id: record.id, isGroup: false, conversationType: 'personal', name: '' },
    user: { id: record.userId, name: '' },
    bot: { id: 'cobrabot', name: 'Cobrabot' },
    serviceUrl: 'https://chat.example/',
  });

  it('runs the turns of one conversation one at a time and different conversations concurrently', async () => {
    const adapter = adapterFor();
    const [a, b] = [await conversation(adapter), await conversation(adapter)];
    const spans: { conversation: string; start: number; end: number }[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const logic: BotLogic = async (context) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      const start = performance.now();
      await sleep(40);
      spans.push({ conversation: context.activity.conversation.id, start, end: performance.now() });
      running--;
    };
    const turns = await Promise.all([a, a, a, b, b, b].map((record, i) => say(adapter, record, `m${i}`, logic)));
    await Promise.all(turns.map((t) => t.turn));
    for (const id of [a.id, b.id]) {
      const mine = spans.filter((s) => s.conversation === id).sort((x, y) => x.start - y.start);
      expect(mine).to.have.length(3);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.start, `turn ${i} of ${id}`).to.be.at.least(mine[i - 1]!.end);
    }
    expect(mostAtOnce).to.equal(2);
  });

  it('runs middleware added with use() around the logic, in order', async () => {
    const adapter = adapterFor();
    const record = await conversation(adapter);
    const order: string[] = [];
    adapter.use(async (_context, next) => {
      order.push('first in');
      await next();
      order.push('first out');
    });
    adapter.use({
      onTurn: async (_context, next) => {
        order.push('second in');
        await next();
        order.push('second out');
      },
    });
    const { turn } = await say(adapter, record, 'hola', async () => {
      order.push('logic');
    });
    await turn;
    expect(order).to.deep.equal(['first in', 'second in', 'logic', 'second out', 'first out']);
  });

  it('answers one ResourceResponse per activity, waits for delay and never stores trace or typing', async () => {
    const adapter = adapterFor();
    const record = await conversation(adapter);
    let responses: { id: string }[] = [];
    let waited = 0;
    const { turn } = await say(adapter, record, 'go', async (context) => {
      const start = performance.now();
      responses = await context.sendActivities([
        { type: 'message', text: 'one' },
        { type: 'delay', value: 150 },
        { type: 'trace', name: 'debug', value: 'internal' },
        { type: 'typing' },
        { type: 'message', text: 'two' },
      ]);
      waited = performance.now() - start;
    });
    await turn;
    expect(responses).to.have.length(5);
    expect(responses[0]!.id).to.match(new RegExp(`^${record.id}\\|\\d{7}$`));
    expect(responses[4]!.id).to.match(new RegExp(`^${record.id}\\|\\d{7}$`));
    expect(waited).to.be.at.least(140);
    const stored = await history(adapter, record);
    expect(stored.map((a) => a.text)).to.deep.equal(['go', 'one', 'two']);
    expect(stored[1]).to.deep.include({ type: 'message', channelId: 'directline', replyToId: stored[0]!.id });
    expect(stored[1]!.from).to.deep.equal({ id: 'cobrabot', name: 'Cobrabot', role: 'bot' });
    expect(stored[1]!.recipient).to.deep.equal({ id: 'dl_user', role: 'user' });
  });

  it('updates a bot message by appending a replacement with the same id, and deletes it with messageDelete', async () => {
    const adapter = adapterFor();
    const record = await conversation(adapter);
    const { turn } = await say(adapter, record, 'go', async (context) => {
      const sent = await context.sendActivity('draft');
      await context.updateActivity({ ...context.activity, type: 'message', id: sent!.id, text: 'final', from: context.activity.recipient, recipient: context.activity.from });
      await context.deleteActivity(sent!.id);
    });
    await turn;
    const stored = await history(adapter, record);
    expect(stored.map((a) => a.type)).to.deep.equal(['message', 'message', 'message', 'messageDelete']);
    expect(stored.map((a) => a.text)).to.deep.equal(['go', 'draft', 'final', undefined]);
    expect(stored[2]!.id).to.equal(stored[1]!.id);
    expect(stored[3]!.id).to.equal(stored[1]!.id);
    expect(stored[2]!.timestamp).to.equal(stored[1]!.timestamp);
  });

  it("refuses to update the user's activities or ids it does not know, with a coded error", async () => {
    const adapter = adapterFor();
    const record = await conversation(adapter);
    const failures: unknown[] = [];
    const { turn } = await say(adapter, record, 'mine', async (context) => {
      for (const id of [context.activity.id, `${record.id}|9999999`, 'nonsense']) {
        await context.updateActivity({ type: 'message', id, text: 'changed' }).catch((error: unknown) => failures.push(error));
      }
    });
    await turn;
    expect(failures.map((e) => (e as DirectLineError).code)).to.deep.equal(['BadArgument', 'NotFound', 'NotFound']);
    expect((await history(adapter, record)).map((a) => a.text)).to.deep.equal(['mine']);
  });

  it('runs proactive turns through continueConversationAsync in all its forms, and refuses unknown conversations', async () => {
    const adapter = adapterFor();
    const record = await conversation(adapter);
    const seen: Partial<Activity>[] = [];
    await adapter.continueConversationAsync('app-id', reference(record), async (context) => {
      seen.push(context.activity);
      await context.sendActivity('first');
    });
    await adapter.continueConversationAsync({ claims: [] }, reference(record), 'https://audience', async (context) => {
      await context.sendActivity('second');
    });
    expect(seen[0]).to.deep.include({ type: 'event', name: 'ContinueConversation', channelId: 'directline', serviceUrl: 'https://chat.example/' });
    expect((await history(adapter, record)).map((a) => a.text)).to.deep.equal(['first', 'second']);
    const unknown = { ...reference(record), conversation: { id: 'nope', isGroup: false, conversationType: 'personal', name: '' } };
    const error = await adapter.continueConversationAsync('', unknown, async () => undefined).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(DirectLineError);
    expect((error as DirectLineError).code).to.equal('NotFound');
  });

  it('runs a proactive turn started inside a turn of the same conversation at once, instead of waiting for itself', async () => {
    const adapter = adapterFor();
    const record = await conversation(adapter);
    const { turn } = await say(adapter, record, 'nest', async (context) => {
      const ref = TurnContext.getConversationReference(context.activity);
      await adapter.continueConversationAsync('', ref, async (inner) => {
        await inner.sendActivity('inner');
      });
      await context.sendActivity('outer');
    });
    const finished = await Promise.race([turn.then(() => 'done'), sleep(3000).then(() => 'deadlock')]);
    expect(finished).to.equal('done');
    expect((await history(adapter, record)).map((a) => a.text)).to.deep.equal(['nest', 'inner', 'outer']);
  });

  it('lets a conversation move on when a turn hangs past the turn timeout', async () => {
    const adapter = adapterFor({ turnTimeoutMs: 200 });
    const record = await conversation(adapter);
    let release!: () => void;
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    await say(adapter, record, 'hang', async (context) => {
      if (context.activity.text === 'hang') await hung;
      else await context.sendActivity('answered');
    });
    const started = performance.now();
    const next = await say(adapter, record, 'next', async (context) => {
      await context.sendActivity('answered');
    });
    await next.turn;
    expect(performance.now() - started).to.be.within(150, 2000);
    expect((await history(adapter, record)).map((a) => a.text)).to.deep.equal(['hang', 'next', 'answered']);
    release();
  });

  it('refuses to send into a conversation it does not know', async () => {
    const adapter = adapterFor();
    const context = new TurnContext(adapter, { type: 'message', conversation: { id: 'unknown', isGroup: false, conversationType: 'personal', name: '' } });
    const error = await adapter.sendActivities(context, [{ type: 'message', text: 'x' }]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as DirectLineError).code).to.equal('NotFound');
  });
});
