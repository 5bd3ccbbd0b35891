import { expect } from 'chai';
import { useBotWorld, verifyAs } from './bot-world.js';

describe('DebtorBot: language', () => {
  const world = useBotWorld();

  it('switches a verified debtor to English and stores it (english)', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'ana');
    const switched = await chat.say('english');
    expect(switched.text).to.include("Sure, let's continue in English.");
    expect(switched.suggestedActions).to.include('1. Check my balance');
    expect((await chat.say('saldo')).text).to.include('Your balance with Colegio Azul as of March 10, 2026');
    expect((await world.assistant.profile('D-100'))?.language).to.equal('en');
    const later = world.chat({ channelId: 'telegram', claims: { telegramUserId: '111222333' } });
    expect((await later.say('hola')).text).to.include('Hello, Ana López.');
  });

  it('marks every message with the locale it is written in, whatever the channel said', async () => {
    const chat = world.chat({ locale: 'es-ES' });
    await verifyAs(chat, 'john');
    const english = await chat.say('saldo');
    expect(english.activities.map((a) => a.locale)).to.deep.equal(english.activities.map(() => 'en-US'));
    const spanish = await chat.say('español');
    expect(spanish.activities.length).to.be.at.least(2);
    expect(spanish.activities.map((a) => a.locale)).to.deep.equal(spanish.activities.map(() => 'es-US'));
  });

  it('switches back to Spanish (español), keeping the debtor’s formats', async () => {
    const chat = world.chat();
    await verifyAs(chat, 'john');
    expect((await chat.say('Español')).text).to.include('De acuerdo, seguimos en español.');
    const balance = await chat.say('1');
    expect(balance.text).to.include('Su saldo con Colegio Azul').and.include('$1,234.56 USD');
    expect((await world.assistant.profile('D-200'))?.language).to.equal('es');
  });

  it('applies a switch made before verification once the debtor is known', async () => {
    const chat = world.chat();
    await chat.say('hola');
    expect((await chat.say('english')).text).to.include('What is your customer number?');
    await chat.say('D-100');
    expect((await chat.say('RN07')).text).to.include('Thank you, Ana López.');
    expect((await world.assistant.profile('D-100'))?.language).to.equal('en');
  });

  it('answers an unknown person in their first words’ language, but a verified one in their stored language', async () => {
    const chat = world.chat();
    expect((await chat.say('good afternoon')).text).to.include('What is your customer number?');
    await chat.say('D-100');
    expect((await chat.say('RN07')).text).to.include('Gracias, Ana López.');
    expect((await world.assistant.profile('D-100'))?.language).to.equal('es');
  });

  it('defaults to Spanish when the first words say nothing, unless the channel’s locale does', async () => {
    expect((await world.chat().say('12345')).text).to.include('¿Cuál es su número de cliente?');
    expect((await world.chat({ locale: 'en-US' }).say('12345')).text).to.include('What is your customer number?');
  });
});
