import { expect } from 'chai';
import { disclosed, useBotWorld, verifyAs } from './bot-world.js';

const FIFTEEN_MINUTES = 15 * 60_000;

describe('DebtorBot: identify and verify', () => {
  const world = useBotWorld();

  describe('in Spanish', () => {
    it('names the creditor and discloses the bot in the first message, then asks who is writing', async () => {
      const reply = await world.chat().say('hola');
      expect(reply.messages[0]).to.include('asistente virtual de Colegio Azul').and.include('BAJA');
      expect(reply.text).to.include('¿Cuál es su número de cliente?');
      expect(disclosed(reply.text)).to.deep.equal([]);
    });

    it('says nothing of the debt before verification, even when asked for it', async () => {
      const chat = world.chat();
      for (const text of ['saldo', 'D-100', 'pagar', '0000']) expect(disclosed((await chat.say(text)).text), text).to.deep.equal([]);
    });

    it('asks who is writing before any request about the debt, in either language', async () => {
      const requests: [string, string][] = [
        ['saldo', '¿Cuál es su número de cliente?'],
        ['pagar', '¿Cuál es su número de cliente?'],
        ['pago el viernes', '¿Cuál es su número de cliente?'],
        ['no reconozco', '¿Cuál es su número de cliente?'],
        ['1', '¿Cuál es su número de cliente?'],
        ['balance', 'What is your customer number?'],
        ['I want to pay', 'What is your customer number?'],
        ["I'll pay on Dec 15", 'What is your customer number?'],
        ['dispute', 'What is your customer number?'],
      ];
      for (const [text, question] of requests) {
        const reply = await world.chat().say(text);
        expect(reply.text, text).to.include(question);
        expect(disclosed(reply.text), text).to.deep.equal([]);
      }
    });

    it('verifies by debtor id and the last 4 of the document, then does what was asked', async () => {
      const chat = world.chat();
      await chat.say('saldo');
      expect((await chat.say('D-100')).text).to.include('últimos 4 caracteres');
      const reply = await chat.say('rn07');
      expect(reply.text).to.include('Gracias, Ana López. Su identidad quedó confirmada.');
      expect(reply.text).to.include('Factura F-101: $1,200.00 MXN');
    });

    it('says the data do not match without saying which part, and how many tries are left', async () => {
      const chat = world.chat();
      await chat.say('hola');
      await chat.say('D-100');
      const wrongDocument = await chat.say('0000');
      expect(wrongDocument.text).to.include('Los datos no coinciden con nuestros registros. Le quedan 2 intentos.');
      expect(wrongDocument.text).to.include('¿Cuál es su número de cliente?');
      await chat.say('D-999');
      const unknownDebtor = await chat.say('RN07');
      expect(unknownDebtor.text).to.include('Los datos no coinciden con nuestros registros. Le queda 1 intento');
      expect(disclosed(wrongDocument.text + unknownDebtor.text)).to.deep.equal([]);
    });

    it('locks for 15 minutes after the third failure, even against the right data, then lets the debtor in', async () => {
      const chat = world.chat();
      await chat.say('hola');
      for (let i = 0; i < 2; i++) {
        await chat.say('D-100');
        await chat.say('9999');
      }
      await chat.say('D-100');
      const locked = await chat.say('9999');
      expect(locked.text).to.include('la verificación quedó bloqueada temporalmente').and.include('12:15');
      const still = await chat.say('D-100');
      expect(still.text).to.include('bloqueada');
      expect(still.text).to.not.include('últimos 4');
      world.clock.advance(FIFTEEN_MINUTES + 1000);
      expect((await verifyAs(chat, 'ana'))).to.include('Gracias, Ana López');
    });

    it('re-asks without spending a try when the answer cannot be an id or 4 characters', async () => {
      const chat = world.chat();
      await chat.say('hola');
      expect((await chat.say('no tengo mi número a la mano ahora mismo')).text).to.include('escriba solo su número de cliente');
      await chat.say('D-100');
      expect((await chat.say('son los de mi credencial')).text).to.include('escriba solo los últimos 4 caracteres');
      expect((await chat.say('RN07')).text).to.include('Gracias, Ana López');
    });

    it('asks the whole question again, in English, when the first words of an unknown person are English', async () => {
      const chat = world.chat({ channelId: 'directline' });
      expect((await chat.join()).text).to.include('¿Cuál es su número de cliente?');
      const again = await chat.say('Hi, I want to check my balance');
      expect(again.text).to.include('To protect your information, I first need to confirm your identity. What is your customer number?');
      expect((await chat.say('I do not have it with me right now')).text).to.equal('Please type just your customer number, as it appears on your invoice.');
    });

    it('greets when the web chat opens, and a greeting after that spends no try', async () => {
      const chat = world.chat({ channelId: 'directline', locale: 'es-MX' });
      const opened = await chat.join();
      expect(opened.messages[0]).to.include('asistente virtual de Colegio Azul');
      expect(opened.text).to.include('¿Cuál es su número de cliente?');
      expect((await chat.say('hola')).text).to.include('escriba solo su número de cliente');
      await chat.say('D-100');
      expect((await chat.say('hola')).text).to.include('escriba solo los últimos 4 caracteres');
      const verified = await chat.say('RN07');
      expect(verified.text).to.include('Gracias, Ana López');
      expect(await world.assistant.verificationLock(world.keyOf(chat))).to.equal(undefined);
    });

    it('greets by name when the web chat opens with a signed link (claims.linkToken)', async () => {
      const token = await world.assistant.issueLinkToken('D-100');
      const chat = world.chat({ channelId: 'directline', claims: { linkToken: token } });
      const opened = await chat.join();
      expect(opened.messages[0]).to.include('Colegio Azul');
      expect(opened.text).to.include('Hola, Ana López.');
      expect(opened.suggestedActions).to.include('1. Consultar mi saldo');
      expect((await chat.say('saldo')).text).to.include('Total pendiente: $1,450.50 MXN');
    });

    it('says when a link has expired and verifies another way', async () => {
      const token = await world.assistant.issueLinkToken('D-100', 60);
      world.clock.advance(120_000);
      const chat = world.chat({ claims: { linkToken: token } });
      const reply = await chat.say('hola');
      expect(reply.text).to.include('El enlace que usó ya venció').and.include('número de cliente');
      expect(disclosed(reply.text)).to.deep.equal([]);
    });

    it('verifies a Telegram /start TOKEN deep link', async () => {
      const token = await world.assistant.issueLinkToken('D-100');
      const chat = world.chat({ channelId: 'telegram' });
      const reply = await chat.say(`/start ${token}`);
      expect(reply.text).to.include('Hola, Ana López.');
      expect(reply.suggestedActions).to.include('2. Pagar');
    });

    it('verifies by the Telegram user id the channel vouches for', async () => {
      const chat = world.chat({ channelId: 'telegram', claims: { telegramUserId: '111222333' } });
      expect((await chat.say('hola')).text).to.include('Hola, Ana López.');
    });

    it('verifies when a contact shared on Telegram later carries the phone', async () => {
      const chat = world.chat({ channelId: 'telegram', claims: { telegramUserId: '999' } });
      expect((await chat.say('hola')).text).to.include('número de cliente');
      chat.claims = { telegramUserId: '999', phone: '+525512345678' };
      expect((await chat.say('saldo')).text).to.include('Hola, Ana López.').and.include('F-101');
    });
  });

  describe('in English', () => {
    it('answers an unknown person in the language of their first words', async () => {
      const reply = await world.chat().say('Hello, I need help');
      expect(reply.messages[0]).to.include("I'm the virtual assistant of Colegio Azul").and.include('STOP');
      expect(reply.text).to.include('What is your customer number?');
    });

    it('verifies by debtor id and the last 4 of the document', async () => {
      const chat = world.chat();
      await chat.say('hello');
      expect((await chat.say('my number is D-200')).text).to.include('last 4 characters');
      const reply = await chat.say('6789');
      expect(reply.text).to.include('Thank you, John Smith. Your identity is confirmed.');
      expect(reply.suggestedActions).to.include('1. Check my balance');
    });

    it('says the data do not match, how many tries are left, then locks', async () => {
      const chat = world.chat();
      await chat.say('hello');
      await chat.say('D-200');
      expect((await chat.say('1111')).text).to.include("Those details don't match our records. You have 2 attempts left.");
      await chat.say('D-200');
      expect((await chat.say('2222')).text).to.include('You have 1 attempt left; after that, verification will be locked for 15 minutes.');
      await chat.say('D-200');
      const locked = await chat.say('3333');
      expect(locked.text).to.include('verification is temporarily locked').and.include('12:15');
      expect(disclosed(locked.text)).to.deep.equal([]);
    });

    it('verifies a WhatsApp sender by phone and shows the menu as numbered text', async () => {
      const chat = world.chat({ channelId: 'whatsapp', claims: { phone: '+14155552671' } });
      const reply = await chat.say('hi');
      expect(reply.text).to.include('Hello, John Smith.');
      expect(reply.text).to.include('\n1. Check my balance\n2. Pay\n3. Promise a payment date');
      expect(reply.suggestedActions).to.deep.equal([]);
    });

    it('does not believe a phone claim on the web chat, which cannot vouch for it', async () => {
      const chat = world.chat({ claims: { phone: '+14155552671' } });
      const reply = await chat.say('hi');
      expect(reply.text).to.include('What is your customer number?');
      expect(disclosed(reply.text)).to.deep.equal([]);
    });
  });
});
