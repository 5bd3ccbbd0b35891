import { expect } from 'chai';
import { useBotWorld, verifyAs } from './bot-world.js';

describe('DebtorBot: opt-out', () => {
  const world = useBotWorld();

  it('confirms BAJA once for a verified debtor, bars the channel, and still answers the debtor', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'ana');
    const confirmed = await chat.say('BAJA');
    expect(confirmed.messages).to.deep.equal(['Listo. Colegio Azul no le enviará más mensajes automáticos por este canal. Si nos escribe, le seguiremos respondiendo.']);
    expect(await world.assistant.isOptedOut('D-100', 'webchat')).to.equal(true);
    expect(await world.assistant.isOptedOut('D-100', 'telegram')).to.equal(false);
    expect((await chat.say('baja')).messages).to.deep.equal([]);
    expect((await chat.say('saldo')).text).to.include('Su saldo con Colegio Azul');
  });

  it('handles STOP before verification, as the very first message', async () => {
    const chat = world.chat({ channelId: 'telegram', userId: '555000' });
    const confirmed = await chat.say('STOP');
    expect(confirmed.text).to.include('Colegio Azul will not send you any more automated messages on this channel.');
    expect(confirmed.text).to.not.include('customer number');
  });

  it('binds the debtor when a WhatsApp sender who said STOP is known by phone', async () => {
    const chat = world.chat({ channelId: 'whatsapp', claims: { phone: '+14155552671' } });
    expect((await chat.say('stop')).text).to.include('will not send you any more automated messages');
    expect(await world.assistant.isOptedOut('D-200', 'whatsapp')).to.equal(true);
  });

  it('is honoured even while the conversation waits for an agent', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'ana');
    await chat.say('agente');
    expect((await chat.say('BAJA')).text).to.include('no le enviará más mensajes automáticos');
    expect(await world.assistant.isOptedOut('D-100', 'webchat')).to.equal(true);
  });
});
