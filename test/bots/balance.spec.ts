import { expect } from 'chai';
import { useBotWorld, verifyAs } from './bot-world.js';

describe('DebtorBot: balance', () => {
  const world = useBotWorld();

  it('lists each open invoice with amount, currency, due date and days overdue, and the total, for es-MX', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'ana');
    const reply = await chat.say('saldo');
    expect(reply.messages[0]).to.equal(
      [
        'Su saldo con Colegio Azul al 10 de marzo de 2026:',
        '• Factura F-101: $1,200.00 MXN, venció el 15 de febrero de 2026 (23 días de atraso)',
        '• Factura F-102: $250.50 MXN, vence el 31 de marzo de 2026 (en 21 días)',
        'Total pendiente: $1,450.50 MXN',
      ].join('\n'),
    );
    expect(reply.text).to.include('¿Hay algo más en lo que pueda ayudarle?');
  });

  it('does the same in English for en-US, with what is left of a partly paid invoice', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'john');
    const reply = await chat.say("what's my balance?");
    expect(reply.messages[0]).to.equal(
      [
        'Your balance with Colegio Azul as of March 10, 2026:',
        '• Invoice INV-201: $1,234.56 USD, was due March 1, 2026 (9 days overdue)',
        '• Invoice INV-202: $200.00 USD left of $300.00 USD, due April 5, 2026 (in 26 days)',
        'Total due: $1,434.56 USD',
      ].join('\n'),
    );
  });

  it('reads "today" in the debtor’s time zone', async () => {
    // 04:30 UTC on 03-11 is still 03-10 in Mexico City.
    world.clock.advance(10.5 * 3_600_000);
    const chat = world.chat();
    await verifyAs(chat, 'ana');
    expect((await chat.say('saldo')).text).to.include('al 10 de marzo de 2026').and.include('(23 días de atraso)');
  });

  it('says so when nothing is due', async () => {
    const chat = world.chat();
    await chat.say('hola');
    await chat.say('D-300');
    await chat.say('1234');
    expect((await chat.say('saldo')).text).to.include('No tiene saldo pendiente con Colegio Azul.');
  });
});
