import { expect } from 'chai';
import { disclosed, storesOf, useBotWorld, verifyAs } from './bot-world.js';

describe('DebtorBot: instalment plan', () => {
  const world = useBotWorld();

  it('explains plans are not in the chat yet and offers a person, queued with reason plan (es)', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'ana');
    const offer = await chat.say('¿Puedo pagar en cuotas?');
    expect(offer.text).to.include('Por ahora no puedo acordar un plan de pagos por este chat').and.include('Colegio Azul');
    expect(offer.suggestedActions).to.deep.equal(['1. Sí', '2. No']);
    expect((await chat.say('1')).text).to.include('continúe esta conversación');
    expect(await storesOf(world).handoffs.find(world.keyOf(chat))).to.deep.include({ state: 'queued', reason: 'plan', debtorId: 'D-100' });
  });

  it('understands "plan de pagos" before verification without disclosing anything', async () => {
    const chat = world.chat();
    const offer = await chat.say('plan de pagos');
    expect(offer.text).to.include('plan de pagos').and.include('¿Quiere que le comunique con una persona del equipo?');
    expect(disclosed(offer.text)).to.deep.equal([]);
  });

  it('goes back to the menu when the person is declined (en)', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'john');
    expect((await chat.say('payment plan')).text).to.include("For now I can't set up a payment plan in this chat");
    const declined = await chat.say('no thanks');
    expect(declined.text).to.include('All right.').and.include('anything else');
    expect(await world.assistant.handoffState(world.keyOf(chat))).to.equal('bot');
  });
});
