import { expect } from 'chai';
import { detectLanguage } from '../../../bots/nlu/language.js';

describe('detectLanguage', () => {
  it('knows Spanish by its words, accents and punctuation', () => {
    expect(detectLanguage('hola')).to.equal('es');
    expect(detectLanguage('¿Cuánto debo?')).to.equal('es');
    expect(detectLanguage('quiero pagar mi saldo')).to.equal('es');
    expect(detectLanguage('Buenos días')).to.equal('es');
  });

  it('knows English by its words', () => {
    expect(detectLanguage('hi')).to.equal('en');
    expect(detectLanguage('How much do I owe?')).to.equal('en');
    expect(detectLanguage('I want to pay my balance')).to.equal('en');
    expect(detectLanguage('Good morning')).to.equal('en');
  });

  it('says nothing when the message gives no sign', () => {
    expect(detectLanguage('D-100')).to.equal(undefined);
    expect(detectLanguage('1234')).to.equal(undefined);
    expect(detectLanguage('')).to.equal(undefined);
  });
});
