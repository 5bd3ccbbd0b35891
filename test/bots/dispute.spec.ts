import { expect } from 'chai';
import { storesOf, useBotWorld, verifyAs } from './bot-world.js';

describe('DebtorBot: dispute', () => {
  const world = useBotWorld();

  it('asks the reason, pauses collection, queues for a person and then stays quiet (es)', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'ana');
    expect((await chat.say('no reconozco')).text).to.include('Cuénteme en pocas palabras qué es lo que no reconoce');
    const opened = await chat.say('La factura F-101 es de un curso que nunca tomé');
    expect(opened.text).to.include('pausamos la cobranza de su cuenta mientras una persona del equipo de Colegio Azul la revisa');
    const [dispute] = await storesOf(world).disputes.forDebtor('D-100');
    expect(dispute).to.deep.include({ reason: 'La factura F-101 es de un curso que nunca tomé', status: 'open' });
    expect(await world.assistant.handoffState(world.keyOf(chat))).to.equal('queued');
    expect((await chat.say('hola?')).messages).to.deep.equal([]);
  });

  it('takes the reason from the first message when it already gives one', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'ana');
    const opened = await chat.say('disputa: ya pagué la factura F-102 en efectivo');
    expect(opened.text).to.include('Registramos su aclaración');
    const [dispute] = await storesOf(world).disputes.forDebtor('D-100');
    expect(dispute?.reason).to.equal('disputa: ya pagué la factura F-102 en efectivo');
  });

  it('takes "I paid yesterday" for a payment to check: a dispute with that reason, collection paused', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'john');
    const opened = await chat.say('I paid yesterday');
    expect(opened.text).to.include('paused collection on your account while a person from Colegio Azul reviews it');
    const [dispute] = await storesOf(world).disputes.forDebtor('D-200');
    expect(dispute).to.deep.include({ reason: 'I paid yesterday', status: 'open' });
    expect(await storesOf(world).promises.forDebtor('D-200')).to.deep.equal([]);
  });

  it('lets a short command change the subject instead of becoming the reason', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'ana');
    await chat.say('disputa');
    expect((await chat.say('saldo')).text).to.include('Su saldo con Colegio Azul');
    expect(await storesOf(world).disputes.forDebtor('D-100')).to.deep.equal([]);
  });

  it('verifies first when the person is unknown', async () => {
    const chat = world.chat();
    expect((await chat.say('disputa')).text).to.include('número de cliente');
    await chat.say('D-100');
    expect((await chat.say('RN07')).text).to.include('Gracias, Ana López').and.include('qué es lo que no reconoce');
  });

  it('works the same in English', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'john');
    expect((await chat.say("I don't recognize this debt")).text).to.include('Please tell me briefly what you don’t recognize'.replace('’', "'"));
    const opened = await chat.say('I never signed up for the March course');
    expect(opened.text).to.include('paused collection on your account while a person from Colegio Azul reviews it');
    expect(await world.assistant.handoffState(world.keyOf(chat))).to.equal('queued');
    expect((await chat.say('hello?')).text).to.equal('');
  });
});
