import { expect } from 'chai';
import { carriesReason, isOptOut, languageSwitch, recognizeIntent, startCommand } from '../../../bots/nlu/intents.js';

function kind(text: string): string {
  const intent = recognizeIntent(text);
  return intent.kind === 'language' ? `language:${intent.language}` : intent.kind;
}

describe('recognizeIntent', () => {
  describe('the words of CONTRACT.md section 6, exactly', () => {
    const cases: [string, string][] = [
      ['hola', 'greeting'],
      ['hi', 'greeting'],
      ['saldo', 'balance'],
      ['balance', 'balance'],
      ['pagar', 'pay'],
      ['pay', 'pay'],
      ['plan de pagos', 'plan'],
      ['cuotas', 'plan'],
      ['payment plan', 'plan'],
      ['pago el viernes', 'promise'],
      ["I'll pay on Dec 15", 'promise'],
      ['agente', 'human'],
      ['humano', 'human'],
      ['human', 'human'],
      ['agent', 'human'],
      ['no reconozco', 'dispute'],
      ['disputa', 'dispute'],
      ['dispute', 'dispute'],
      ['BAJA', 'opt-out'],
      ['STOP', 'opt-out'],
      ['english', 'language:en'],
      ['español', 'language:es'],
    ];
    for (const [text, expected] of cases) {
      it(`"${text}" is ${expected}`, () => {
        expect(kind(text)).to.equal(expected);
      });
    }
  });

  it('ignores case, accents and punctuation', () => {
    expect(kind('SALDO')).to.equal('balance');
    expect(kind('¿Cuánto debo?')).to.equal('balance');
    expect(kind('espanol')).to.equal('language:es');
    expect(kind('ESPAÑOL')).to.equal('language:es');
    expect(kind('Pagaré el Viernes!!')).to.equal('promise');
    expect(kind('No Reconozco')).to.equal('dispute');
    expect(kind('baja.')).to.equal('opt-out');
    expect(kind('Stop please')).to.equal('opt-out');
  });

  it('lets the most specific request win', () => {
    expect(kind('hola, quiero pagar')).to.equal('pay');
    expect(kind('no puedo pagar')).to.equal('plan');
    expect(kind('quiero hablar con un humano sobre mi saldo')).to.equal('human');
    expect(kind('no reconozco este saldo')).to.equal('dispute');
    expect(kind('cuánto debo pagar')).to.equal('balance');
  });

  it('reads a payment today as a payment and another day as a promise', () => {
    expect(kind('pago hoy')).to.equal('pay');
    expect(kind('I will pay today')).to.equal('pay');
    expect(kind('pagaré mañana')).to.equal('promise');
    expect(kind('I can pay next Monday')).to.equal('promise');
    expect(kind('pago el 15')).to.equal('promise');
    expect(kind('pago el 15/12')).to.equal('promise');
  });

  it('takes a date alone for a promise, in either language', () => {
    for (const text of ['15/12', 'el viernes', 'para el lunes', 'mañana', 'pasado mañana', 'fin de mes', 'el 15', 'next Monday', 'Dec 15', 'on Friday', 'the 20th', 'tomorrow']) {
      expect(kind(text), text).to.equal('promise');
    }
  });

  it('does not take a number, today, or a sentence that happens to hold a date for a promise', () => {
    for (const text of ['15', '2', 'hoy', 'today', 'I was sick last week', 'la semana pasada estuve enfermo', 'mar', 'a las 5', 'hasta mañana', 'see you tomorrow', 'nos vemos el lunes']) {
      expect(kind(text), text).to.equal('none');
    }
  });

  it('takes a payment already made for a dispute with its reason, not for a promise', () => {
    for (const text of ['ayer pagué', 'ya hice el pago', 'ya realicé el pago el lunes', 'I paid yesterday', "I've paid it already"]) {
      expect(kind(text), text).to.equal('dispute');
      expect(carriesReason(text), text).to.equal(true);
    }
  });

  it('understands every main-menu label in both languages as its option', () => {
    const labels: [string, string][] = [
      ['Consultar mi saldo', 'balance'],
      ['Check my balance', 'balance'],
      ['Pagar', 'pay'],
      ['Pay', 'pay'],
      ['Prometer una fecha de pago', 'promise'],
      ['Promise a payment date', 'promise'],
      ['Plan de pagos', 'plan'],
      ['Payment plan', 'plan'],
      ['No reconozco la deuda', 'dispute'],
      ["I don't recognize this debt", 'dispute'],
      ['Hablar con una persona', 'human'],
      ['Talk to a person', 'human'],
    ];
    for (const [label, expected] of labels) expect(kind(label), label).to.equal(expected);
  });

  it('takes a question about due dates for the balance, which lists them', () => {
    for (const text of ['¿Cuándo vence?', 'fecha de vencimiento', 'when is it due', "what's the due date?"]) expect(kind(text), text).to.equal('balance');
  });

  it('takes a wrong amount or a double charge for a dispute, with its reason', () => {
    for (const text of ['the amount is wrong', 'El monto es incorrecto', 'me cobraron de más', 'I was charged twice', 'la factura está equivocada']) {
      expect(kind(text), text).to.equal('dispute');
    }
    expect(carriesReason('the amount is wrong')).to.equal(true);
    expect(carriesReason('me cobraron de más')).to.equal(true);
    expect(kind('me sale un error al pagar'), 'a failed payment is not a dispute').to.equal('pay');
  });

  it('takes a bare yes for yes, and a bare no, nothing more or an acknowledgement for done', () => {
    for (const text of ['Sí', 'si, por favor', 'Claro', 'yes', 'Yes please!', 'sure']) expect(kind(text), text).to.equal('yes');
    for (const text of ['No', 'no, gracias', 'Nada más', 'eso es todo', 'ok', 'Vale', 'no thanks', 'Nothing else.', "that's all", 'got it']) {
      expect(kind(text), text).to.equal('done');
    }
    // Only the whole message: with a request in it, the request wins.
    expect(kind('sí, quiero pagar')).to.equal('pay');
    expect(kind('no, quiero hablar con una persona')).to.equal('human');
    expect(kind('no debo nada')).to.equal('dispute');
    expect(kind('yes, my balance')).to.equal('balance');
  });

  it('does not guess at what it does not know', () => {
    expect(kind('qwerty')).to.equal('none');
    expect(kind('')).to.equal('none');
    expect(kind('D-1001')).to.equal('none');
    expect(kind('1234')).to.equal('none');
  });

  it('takes a Telegram /start for a greeting, with or without its payload', () => {
    expect(kind('/start')).to.equal('greeting');
    expect(kind('/start abc.DEF-123')).to.equal('greeting');
    expect(startCommand('/start abc.DEF-123')).to.deep.equal({ payload: 'abc.DEF-123' });
    expect(startCommand('/start')).to.deep.equal({});
    expect(startCommand('start abc')).to.equal(undefined);
  });
});

describe('isOptOut', () => {
  it('is the whole message, politely or not', () => {
    for (const text of ['BAJA', 'baja', 'Stop', 'STOP!', 'baja por favor', 'quiero darme de baja', 'unsubscribe']) expect(isOptOut(text), text).to.equal(true);
  });

  it('is not a sentence that merely contains the word', () => {
    for (const text of ['la baja de precios', 'no puedo pagar, stop calling', 'bajar el monto']) expect(isOptOut(text), text).to.equal(false);
  });
});

describe('languageSwitch', () => {
  it('is a language name, alone or with a few words around it', () => {
    expect(languageSwitch('English')).to.equal('en');
    expect(languageSwitch('in english please')).to.equal('en');
    expect(languageSwitch('en inglés por favor')).to.equal('en');
    expect(languageSwitch('Español')).to.equal('es');
    expect(languageSwitch('spanish')).to.equal('es');
  });

  it('is not a sentence about a language', () => {
    expect(languageSwitch('no hablo inglés')).to.equal(undefined);
    expect(languageSwitch('I speak english badly')).to.equal(undefined);
  });
});

describe('carriesReason', () => {
  it('is false for a bare request to dispute, such as the menu labels', () => {
    for (const text of ['No reconozco la deuda', "I don't recognize this debt", 'disputa', 'no reconozco']) expect(carriesReason(text), text).to.equal(false);
  });

  it('is true when the message says why', () => {
    expect(carriesReason('no reconozco la factura F-101, ya la pagué en octubre')).to.equal(true);
    expect(carriesReason('I dispute this, I already paid it in January')).to.equal(true);
    expect(carriesReason('ya pagué')).to.equal(true);
    expect(carriesReason('dispute: the amount is wrong, it was lower')).to.equal(true);
  });
});
