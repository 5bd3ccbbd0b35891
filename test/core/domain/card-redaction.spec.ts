import { expect } from 'chai';
import { CARD_REDACTED, isLuhnValid, redactCardNumbers } from '../../../core/domain/card-redaction.js';

describe('card number redaction', () => {
  it('checks Luhn on digit strings', () => {
    expect(isLuhnValid('4111111111111111')).to.equal(true);
    expect(isLuhnValid('4111111111111112')).to.equal(false);
    expect(isLuhnValid('4111 1111')).to.equal(false);
  });

  it('redacts a valid card typed in groups of four with spaces', () => {
    expect(redactCardNumbers('mi tarjeta es 4111 1111 1111 1111 gracias')).to.equal(`mi tarjeta es ${CARD_REDACTED} gracias`);
  });

  it('redacts a valid card typed with dashes or no separators', () => {
    expect(redactCardNumbers('5555-5555-5555-4444')).to.equal(CARD_REDACTED);
    expect(redactCardNumbers('card:4539578763621486.')).to.equal(`card:${CARD_REDACTED}.`);
  });

  it('redacts a 15-digit Amex number grouped 4-6-5', () => {
    expect(redactCardNumbers('amex 3782 822463 10005')).to.equal(`amex ${CARD_REDACTED}`);
  });

  it('keeps a 16-digit number that fails the Luhn check', () => {
    expect(redactCardNumbers('referencia 8273650192837465')).to.equal('referencia 8273650192837465');
    expect(redactCardNumbers('4111 1111 1111 1112')).to.equal('4111 1111 1111 1112');
  });

  it('keeps phone numbers, even a 13-digit E.164 one that happens to pass Luhn', () => {
    expect(redactCardNumbers('llámame al 55 1234 5678')).to.equal('llámame al 55 1234 5678');
    expect(redactCardNumbers('my number is +52 1 55 1234 5678')).to.equal('my number is +52 1 55 1234 5678');
    expect(redactCardNumbers('+5215512345678')).to.equal('+5215512345678');
  });

  it('redacts the same 13 digits when not written as a phone', () => {
    expect(redactCardNumbers('5215512345678')).to.equal(CARD_REDACTED);
  });

  it('keeps amounts, dates and short numbers', () => {
    const text = 'pago 1500.50 el 2026-03-15, factura 12345';
    expect(redactCardNumbers(text)).to.equal(text);
  });

  it('redacts two cards typed one after the other, and a card followed by an amount', () => {
    expect(redactCardNumbers('4111 1111 1111 1111 5555 5555 5555 4444')).to.equal(`${CARD_REDACTED} ${CARD_REDACTED}`);
    expect(redactCardNumbers('4111111111111111 500')).to.equal(`${CARD_REDACTED} 500`);
  });

  it('keeps a run of more than 19 digits that holds no card', () => {
    expect(redactCardNumbers('12345678901234567890123')).to.equal('12345678901234567890123');
  });
});
