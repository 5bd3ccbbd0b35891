import { expect } from 'chai';
import type { DebtorAssistant } from '../../core/services/debtor-assistant.js';
import { storesOf, useBotWorld, verifyAs } from './bot-world.js';

/** The real assistant with one method failing as infrastructure does (the database gone). */
function failing(assistant: DebtorAssistant, method: keyof DebtorAssistant): DebtorAssistant {
  return new Proxy(assistant, {
    get(target, property, receiver) {
      if (property === method) return () => Promise.reject(Object.assign(new Error('connection to D-100 Ana López lost'), { code: 'ECONNRESET' }));
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('DebtorBot middleware', () => {
  const world = useBotWorld();

  describe('transcript', () => {
    it('stores every inbound and outbound message, with the debtor once verified', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      await chat.say('saldo');
      const entries = await storesOf(world).transcripts.forConversation(world.keyOf(chat));
      const lines = entries.map((e) => `${e.direction}:${e.author ?? '-'}:${e.debtorId ?? '-'}:${e.text.split('\n')[0]}`);
      expect(lines[0]).to.equal('in:-:-:hola');
      expect(lines[1]).to.match(/^out:bot:-:Hola, soy el asistente virtual de Colegio Azul/);
      expect(lines).to.include('in:-:-:RN07');
      expect(lines).to.include('out:bot:D-100:Gracias, Ana López. Su identidad quedó confirmada.');
      expect(lines).to.include('in:-:D-100:saldo');
      expect(lines.at(-1)).to.match(/^out:bot:D-100:¿Hay algo más/);
      expect(entries.at(-1)?.text).to.include('[1. Consultar mi saldo | 2. Pagar');
    });

    it('never stores a card number typed into the chat', async () => {
      const chat = world.chat();
      await chat.say('mi tarjeta es 4111 1111 1111 1111');
      const entries = await storesOf(world).transcripts.forConversation(world.keyOf(chat));
      expect(entries[0]?.text).to.not.include('4111 1111 1111 1111');
    });

    it('keeps that a link was used, not the link token itself', async () => {
      const token = await world.assistant.issueLinkToken('D-100');
      const chat = world.chat({ channelId: 'telegram' });
      await chat.say(`/start ${token}`);
      const entries = await storesOf(world).transcripts.forConversation(world.keyOf(chat));
      expect(entries[0]?.text).to.equal('/start [link token]');
      expect(JSON.stringify(entries)).to.not.include(token);
    });

    it('records notices sent outside a turn as system messages', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      const link = await chat.say('pagar F-102');
      const token = /pay\/([A-Za-z0-9_-]+)/.exec(link.text)![1]!;
      await world.payments.complete(token);
      const entries = await storesOf(world).transcripts.forConversation(world.keyOf(chat));
      expect(entries.at(-1)).to.deep.include({ direction: 'out', author: 'system', debtorId: 'D-100' });
      expect(entries.at(-1)?.text).to.include('recibimos su pago de $250.50 MXN');
    });
  });

  describe('identity', () => {
    it('saves the conversation reference per debtor and channel, the last channel used winning', async () => {
      const web = world.chat();
      await verifyAs(web, 'ana');
      world.clock.advance(60_000);
      const telegram = world.chat({ channelId: 'telegram', claims: { telegramUserId: '111222333' } });
      await telegram.say('hola');
      const stores = storesOf(world);
      const onWeb = await stores.conversationReferences.find('D-100', 'webchat');
      expect(onWeb?.reference).to.deep.include({ channelId: 'webchat', conversation: { id: web.conversationId, isGroup: false, conversationType: 'personal', name: '' } });
      expect((await stores.conversationReferences.latest('D-100'))?.channel).to.equal('telegram');
      world.clock.advance(60_000);
      await web.say('saldo');
      expect((await stores.conversationReferences.latest('D-100'))?.channel).to.equal('webchat');
    });

    it('keeps the verified debtor in conversation state across turns and bot restarts', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'john');
      await world.rebuild();
      const again = world.adapter.chat({ conversationId: chat.conversationId, userId: chat.userId });
      expect((await again.say('balance')).text).to.include('Invoice INV-201');
    });
  });

  describe('limits', () => {
    it('answers a message over 4,000 characters politely and does not process it', async () => {
      const chat = world.chat();
      const reply = await chat.say(`hola ${'a'.repeat(4000)}`);
      expect(reply.messages).to.have.length(2);
      expect(reply.messages[0]).to.include('Colegio Azul');
      expect(reply.messages[1]).to.equal('Su mensaje es demasiado largo para mí (máximo 4000 caracteres). ¿Podría resumirlo en pocas líneas?');
      expect((await chat.say('b'.repeat(5000))).messages).to.deep.equal([reply.messages[1]]);
      const english = await world.chat().say(`I want to pay ${'x'.repeat(4000)}`);
      expect(english.text).to.include('Your message is too long for me');
    });

    it('processes a message of exactly 4,000 characters', async () => {
      const reply = await world.chat().say(`hola ${'a'.repeat(3995)}`);
      expect(reply.text).to.include('número de cliente');
    });
  });

  describe('error boundary', () => {
    it('apologises in Spanish, logs no personal data, and keeps the conversation alive', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      await world.rebuild(failing(world.assistant, 'balance'));
      const chatAfterFailure = world.adapter.chat({ conversationId: chat.conversationId, userId: chat.userId });
      const reply = await chatAfterFailure.say('saldo');
      expect(reply.messages).to.deep.equal(['Lo siento, tuve un problema técnico y no pude atender su mensaje. Por favor, inténtelo de nuevo en unos minutos.']);
      expect(world.logger.entries).to.have.length(1);
      const logged = JSON.stringify(world.logger.entries);
      expect(logged).to.include('turn-failed').and.include('ECONNRESET').and.include('"dialog":"balance.steps"');
      for (const personal of ['D-100', 'Ana', 'López', 'saldo']) expect(logged).to.not.include(personal);
      expect((await chatAfterFailure.say('menú')).text).to.include('¿En qué puedo ayudarle?');
    });

    it('apologises in English to an English speaker', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'john');
      await world.rebuild(failing(world.assistant, 'createPaymentLink'));
      const again = world.adapter.chat({ conversationId: chat.conversationId, userId: chat.userId });
      await again.say('pay');
      expect((await again.say('1')).messages).to.deep.equal(["Sorry, I ran into a technical problem and couldn't handle your message. Please try again in a few minutes."]);
    });

    it('hands a failed notice back to its sender instead of apologising for it', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      const reference = (await storesOf(world).conversationReferences.find('D-100', 'webchat'))!.reference;
      let thrown: unknown;
      try {
        await world.adapter.continueConversationAsync('', reference, async () => {
          throw new Error('renderer broke');
        });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(Error);
      expect(chat.replies().messages).to.deep.equal([]);
      expect(world.logger.entries.map((e) => e.details.event)).to.deep.equal(['turn-failed']);
    });

    it('apologises even when the transcript store is down, logging that the apology failed to be kept', async () => {
      await world.rebuild(failing(world.assistant, 'recordTranscript'));
      const reply = await world.chat().say('hello');
      expect(reply.messages).to.deep.equal(["Sorry, I ran into a technical problem and couldn't handle your message. Please try again in a few minutes."]);
      expect(world.logger.entries.map((e) => e.details.event)).to.deep.equal(['turn-failed', 'apology-failed']);
    });
  });
});
