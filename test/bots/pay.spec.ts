import { expect } from 'chai';
import { payToken, useBotWorld, verifyAs } from './bot-world.js';

describe('DebtorBot: pay', () => {
  const world = useBotWorld();

  describe('in Spanish', () => {
    it('offers the whole balance or one invoice, then gives a secure link for the choice', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      const ask = await chat.say('pagar');
      expect(ask.text).to.include('¿Qué desea pagar?');
      expect(ask.suggestedActions).to.deep.equal(['1. Todo el saldo: $1,450.50 MXN', '2. Factura F-101: $1,200.00 MXN', '3. Factura F-102: $250.50 MXN']);
      const link = await chat.say('1');
      expect(link.text).to.match(/Este es su enlace de pago seguro por \$1,450\.50 MXN:\nhttp:\/\/pay\.test\/pay\/[A-Za-z0-9_-]+\n/);
      expect(link.text).to.include('nunca le pediremos los datos de su tarjeta').and.include('le enviaré el comprobante por aquí');
      const view = await world.payments.describe(payToken(link.text));
      expect(view.ok && view.value.invoices.map((i) => i.invoiceId)).to.deep.equal(['F-101', 'F-102']);
    });

    it('pays the invoice named in the message straight away', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      const link = await chat.say('quiero pagar la F-102');
      expect(link.text).to.include('enlace de pago seguro por $250.50 MXN');
      const view = await world.payments.describe(payToken(link.text));
      expect(view.ok && view.value.invoices.map((i) => i.invoiceId)).to.deep.equal(['F-102']);
    });

    it('sends the receipt to the chat as a notice once the payment is made', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      const link = await chat.say('pagar F-101');
      const paid = await world.payments.complete(payToken(link.text));
      expect(paid.status).to.equal('recorded');
      const receipt = chat.replies();
      expect(receipt.text).to.include('Colegio Azul: recibimos su pago de $1,200.00 MXN el 10 de marzo de 2026 (factura F-101). ¡Gracias!');
      expect(receipt.text).to.include('Saldo pendiente: $250.50 MXN');
      expect((await chat.say('saldo')).text).to.not.include('F-101');
    });

    it('asks again when the answer is not one of the options, and lets the debtor change the subject', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'ana');
      await chat.say('pagar');
      expect((await chat.say('7')).text).to.include('elija una de las opciones');
      expect((await chat.say('saldo')).text).to.include('Su saldo con Colegio Azul');
    });

    it('says there is nothing to pay when nothing is due', async () => {
      const chat = world.chat();
      await chat.say('hola');
      await chat.say('D-300');
      await chat.say('1234');
      expect((await chat.say('pagar')).text).to.include('no hay nada que pagar');
    });
  });

  describe('in English', () => {
    it('offers the choice, takes a tapped button, and the receipt arrives in English', async () => {
      const chat = world.chat();
      await verifyAs(chat, 'john');
      const ask = await chat.say('pay');
      expect(ask.suggestedActions).to.deep.equal(['1. The whole balance: $1,434.56 USD', '2. Invoice INV-201: $1,234.56 USD', '3. Invoice INV-202: $200.00 USD']);
      const link = await chat.say('Invoice INV-202: $200.00 USD');
      expect(link.text).to.include('Here is your secure payment link for $200.00 USD:').and.include("I'll send you the receipt here");
      await world.payments.complete(payToken(link.text));
      const receipt = chat.replies();
      expect(receipt.text).to.include('Colegio Azul: we received your payment of $200.00 USD on March 10, 2026 (invoice INV-202). Thank you!');
      expect(receipt.text).to.include('Balance still due: $1,234.56 USD');
    });
  });
});
