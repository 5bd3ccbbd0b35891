import { expect } from 'chai';
import { storesOf, useBotWorld, verifyAs } from './bot-world.js';

describe('DebtorBot: main menu, help and misunderstandings', () => {
  const world = useBotWorld();

  describe('in Spanish', () => {
    it('shows the numbers beside the options (buttons on the web chat)', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      const reply = await chat.say('menú');
      expect(reply.suggestedActions).to.deep.equal([
        '1. Consultar mi saldo',
        '2. Pagar',
        '3. Prometer una fecha de pago',
        '4. Plan de pagos',
        '5. No reconozco la deuda',
        '6. Hablar con una persona',
      ]);
    });

    it('understands the options by number and by words', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      expect((await chat.say('1')).text).to.include('Su saldo con Colegio Azul');
      expect((await chat.say('2')).text).to.include('¿Qué desea pagar?');
      expect((await chat.say('menu')).text).to.include('¿En qué puedo ayudarle?');
      expect((await chat.say('Consultar mi saldo')).text).to.include('Su saldo con Colegio Azul');
      expect((await chat.say('opción 3')).text).to.include('¿Qué día hará el pago?');
    });

    it('answers the first miss with short help and the menu', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      const reply = await chat.say('qwerty');
      expect(reply.text).to.include('Disculpe, no entendí su mensaje.');
      expect(reply.suggestedActions).to.have.length(6);
    });

    it('offers a person on the second miss in a row, and queues the conversation when accepted', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      await chat.say('qwerty');
      const offer = await chat.say('asdfgh');
      expect(offer.text).to.include('sigo sin entender').and.include('¿Quiere que le comunique con una persona del equipo?');
      expect(offer.suggestedActions).to.deep.equal(['1. Sí', '2. No']);
      expect((await chat.say('sí')).text).to.include('una persona del equipo de Colegio Azul continúe esta conversación');
      const handoff = await storesOf(world).handoffs.find(world.keyOf(chat));
      expect(handoff).to.deep.include({ state: 'queued', reason: 'not-understood', debtorId: 'D-100' });
    });

    it('counts misses in a row only: an understood message in between starts over', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      await chat.say('qwerty');
      await chat.say('saldo');
      expect((await chat.say('asdfgh')).text).to.include('no entendí').and.not.include('persona del equipo');
    });

    it('answers greetings and thanks', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      const hello = await chat.say('Buenos días');
      expect(hello.text).to.include('Hola, Ana López.').and.include('¿En qué puedo ayudarle?');
      expect((await chat.say('muchas gracias')).text).to.equal('Con gusto. Si necesita algo más, aquí estoy.');
    });

    it('answers "anything else?": yes brings the menu, no ends politely, neither is a miss', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      expect((await chat.say('saldo')).text).to.include('¿Hay algo más en lo que pueda ayudarle?');
      const menu = await chat.say('sí');
      expect(menu.text).to.include('¿En qué puedo ayudarle?').and.not.include('no entendí');
      expect(menu.suggestedActions).to.have.length(6);
      expect((await chat.say('no, gracias')).text).to.equal('Muy bien. Si necesita algo más, escríbame aquí cuando quiera.');
      expect((await chat.say('nada más')).text).to.include('Si necesita algo más');
      // Not misses: the next message not understood is a first miss, not an offer of a person.
      expect((await chat.say('qwerty')).text).to.include('no entendí').and.not.include('persona del equipo');
    });

    it('lists the options as numbered text where the channel has no buttons (WhatsApp)', async () => {
      const chat = world.chat({ channelId: 'whatsapp', claims: { phone: '+525512345678' } });
      const reply = await chat.say('hola');
      expect(reply.text).to.include('1. Consultar mi saldo\n2. Pagar\n3. Prometer una fecha de pago\n4. Plan de pagos\n5. No reconozco la deuda\n6. Hablar con una persona');
      expect((await chat.say('1')).text).to.include('Factura F-101');
    });
  });

  describe('in English', () => {
    it('understands the options by number and by words', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'john');
      expect((await chat.say('1')).text).to.include('Your balance with Colegio Azul');
      expect((await chat.say('help')).suggestedActions).to.include('6. Talk to a person');
      expect((await chat.say('Check my balance')).text).to.include('Your balance with Colegio Azul');
      expect((await chat.say('4')).text).to.include("I can't set up a payment plan in this chat");
    });

    it('offers a person on the second miss; declining goes back to the menu and starts the count over', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'john');
      expect((await chat.say('blah blah')).text).to.include("Sorry, I didn't understand your message.");
      expect((await chat.say('foo bar')).text).to.include('Would you like me to connect you with a person from our team?');
      const declined = await chat.say('no');
      expect(declined.text).to.include('All right.').and.include('Is there anything else I can help you with?');
      expect(await world.assistant.handoffState(world.keyOf(chat))).to.equal('bot');
      expect((await chat.say('zzz')).text).to.include("I didn't understand").and.not.include('connect you');
    });

    it('answers "anything else?" with the menu for yes, and a polite close for no', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'john');
      expect((await chat.say('balance')).text).to.include('Is there anything else I can help you with?');
      expect((await chat.say('yes')).text).to.include('How can I help you?').and.not.include("didn't understand");
      expect((await chat.say('no thanks')).text).to.equal('All right. If you need anything else, just write to me here.');
      expect((await chat.say("that's all")).text).to.include('If you need anything else');
    });

    it('takes a request for a person, while offering one, as a yes', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'john');
      await chat.say('blah blah');
      expect((await chat.say('foo bar')).text).to.include('Would you like me to connect you with a person from our team?');
      expect((await chat.say('talk to a person')).text).to.include("I've asked a person from the Colegio Azul team");
      expect(await storesOf(world).handoffs.find(world.keyOf(chat))).to.deep.include({ state: 'queued', reason: 'not-understood' });
    });

    it('answers greetings and thanks', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'john');
      expect((await chat.say('good morning')).text).to.include('Hello, John Smith.');
      expect((await chat.say('thanks!')).text).to.include("You're welcome.");
    });
  });
});
