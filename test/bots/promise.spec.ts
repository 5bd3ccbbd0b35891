import { expect } from 'chai';
import { storesOf, useBotWorld, verifyAs } from './bot-world.js';

describe('DebtorBot: promise to pay', () => {
  const world = useBotWorld();

  describe('in Spanish', () => {
    it('records "pago el viernes" and confirms amount, date and how to pay in writing', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      const reply = await chat.say('pago el viernes');
      expect(reply.text).to.include('Listo, registramos su compromiso de pago con Colegio Azul: $1,450.50 MXN el viernes, 13 de marzo de 2026.');
      expect(reply.text).to.match(/Puede pagar en cualquier momento con este enlace seguro:\nhttp:\/\/pay\.test\/pay\//);
      const promises = await storesOf(world).promises.forDebtor('D-100');
      expect(promises.map((p) => [p.date, p.amount, p.currency])).to.deep.equal([['2026-03-13', 145_050, 'MXN']]);
    });

    it('asks for the date when the menu option has none, re-asking until it understands', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      expect((await chat.say('Prometer una fecha de pago')).text).to.include('¿Qué día hará el pago?');
      expect((await chat.say('no sé todavía')).text).to.include('No logré entender la fecha');
      expect((await chat.say('15/03')).text).to.include('$1,450.50 MXN el domingo, 15 de marzo de 2026');
    });

    it('refuses a date beyond the policy limit, says the last possible day, and takes another', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      const refused = await chat.say('pago el 15/12');
      expect(refused.text).to.include('dentro de los próximos 30 días, a más tardar el 9 de abril de 2026');
      expect(refused.text).to.include('¿Qué día hará el pago?');
      expect((await chat.say('el lunes')).text).to.include('el lunes, 16 de marzo de 2026');
    });

    it('says a date in the past has passed', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      expect((await chat.say('pago el 1/3')).text).to.include('El domingo, 1 de marzo de 2026 ya pasó.').and.include('¿Qué día hará el pago?');
    });

    it('reads the date on the debtor’s own calendar (still Tuesday in Mexico City at 04:30 UTC Wednesday)', async () => {
      world.clock.advance(10.5 * 3_600_000);
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      expect((await chat.say('pago mañana')).text).to.include('el miércoles, 11 de marzo de 2026');
    });

    it('records a date said alone at the menu, with no word about paying', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      expect((await chat.say('el viernes')).text).to.include('registramos su compromiso de pago con Colegio Azul: $1,450.50 MXN el viernes, 13 de marzo de 2026');
      const promises = await storesOf(world).promises.forDebtor('D-100');
      expect(promises.map((p) => p.date)).to.deep.equal(['2026-03-13']);
    });

    it('needs no promise when nothing is due', async () => {
      const chat = world.chat();
      await chat.say('hola');
      await chat.say('D-300');
      await chat.say('1234');
      expect((await chat.say('pago el viernes')).text).to.include('no hace falta un compromiso de pago');
    });
  });

  describe('in English', () => {
    it('refuses "I\'ll pay on Dec 15" as too far, then records "next Monday"', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'john');
      const refused = await chat.say("I'll pay on Dec 15");
      expect(refused.text).to.include('within the next 30 days, no later than April 9, 2026');
      const confirmed = await chat.say('next Monday');
      expect(confirmed.text).to.include('Done, we have recorded your payment commitment to Colegio Azul: $1,434.56 USD on Monday, March 16, 2026.');
      expect(confirmed.text).to.include('You can pay at any time with this secure link:');
    });

    it('records "next Monday" said alone at the menu', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'john');
      expect((await chat.say('next Monday')).text).to.include('$1,434.56 USD on Monday, March 16, 2026.');
      const promises = await storesOf(world).promises.forDebtor('D-200');
      expect(promises.map((p) => p.date)).to.deep.equal(['2026-03-16']);
    });

    it('asks who they are before recording a date said alone by someone not verified', async () => {
      const chat = world.chat();
      await chat.say('hi');
      const reply = await chat.say('next Monday');
      expect(reply.text).to.not.include('USD');
      expect(reply.text).to.match(/customer number/);
    });

    it('reads US dates month first', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'john');
      await chat.say('promise a payment date');
      expect((await chat.say('3/20')).text).to.include('on Friday, March 20, 2026');
    });
  });
});
