import { expect } from 'chai';
import { storesOf, useBotWorld, verifyAs } from './bot-world.js';

describe('DebtorBot: asking for a human', () => {
  const world = useBotWorld();

  it('queues the conversation, says what happens next, then stays silent (es)', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'ana');
    const queued = await chat.say('quiero hablar con un agente');
    expect(queued.text).to.include('pedí que una persona del equipo de Colegio Azul continúe esta conversación');
    expect(queued.text).to.include('Mientras tanto, no responderé de forma automática.');
    expect(await storesOf(world).handoffs.find(world.keyOf(chat))).to.deep.include({ state: 'queued', reason: 'asked', debtorId: 'D-100' });
    for (const text of ['hola', 'saldo', '1', 'humano']) expect((await chat.say(text)).messages, text).to.deep.equal([]);
    expect((await chat.join()).messages).to.deep.equal([]);
  });

  it('keeps what the debtor writes meanwhile for the agent (transcript)', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'ana');
    await chat.say('humano');
    await chat.say('sigo esperando');
    const entries = await storesOf(world).transcripts.forConversation(world.keyOf(chat));
    expect(entries.at(-1)).to.deep.include({ direction: 'in', text: 'sigo esperando', debtorId: 'D-100' });
  });

  it('queues an unverified person too, without disclosing anything (en)', async () => {
    const chat = world.chat();
    const queued = await chat.say('I want to talk to a human');
    expect(queued.text).to.include("I've asked a person from the Colegio Azul team to continue this conversation").and.include("I won't reply automatically");
    const handoff = await storesOf(world).handoffs.find(world.keyOf(chat));
    expect(handoff).to.deep.include({ state: 'queued', reason: 'asked' });
    expect(handoff?.debtorId).to.equal(undefined);
    expect((await chat.say('hello?')).messages).to.deep.equal([]);
  });

  it('can be asked for in the middle of verification', async () => {
    const chat = world.chat();
    await chat.say('hello');
    await chat.say('D-200');
    expect((await chat.say('agent')).text).to.include("I've asked a person");
    expect(await world.assistant.handoffState(world.keyOf(chat))).to.equal('queued');
  });
});
