import { expect } from 'chai';
import { isCurrency, minorUnitDigits } from '../../../core/domain/currency.js';
import { formatDecimal, formatMoney, parseDecimalToMinor, toMajor } from '../../../core/domain/money.js';

describe('currency', () => {
  it('knows ISO 4217 minor-unit digits, not CLDR display digits', () => {
    expect(minorUnitDigits('MXN')).to.equal(2);
    expect(minorUnitDigits('USD')).to.equal(2);
    expect(minorUnitDigits('COP')).to.equal(2);
    expect(minorUnitDigits('CLP')).to.equal(0);
    expect(minorUnitDigits('JPY')).to.equal(0);
    expect(minorUnitDigits('KWD')).to.equal(3);
  });

  it('accepts real currency codes only', () => {
    expect(isCurrency('MXN')).to.equal(true);
    expect(isCurrency('EUR')).to.equal(true);
    expect(isCurrency('mxn')).to.equal(false);
    expect(isCurrency('ABC')).to.equal(false);
    expect(isCurrency('XAU')).to.equal(false);
  });
});

describe('money', () => {
  it('parses decimals into integer minor units', () => {
    expect(parseDecimalToMinor('1234.5', 'MXN')).to.deep.equal({ ok: true, value: 123450 });
    expect(parseDecimalToMinor('0.07', 'USD')).to.deep.equal({ ok: true, value: 7 });
    expect(parseDecimalToMinor('15000', 'CLP')).to.deep.equal({ ok: true, value: 15000 });
    expect(parseDecimalToMinor('-3.10', 'EUR')).to.deep.equal({ ok: true, value: -310 });
  });

  it('rejects more decimals than the currency has, and anything not a plain decimal', () => {
    expect(parseDecimalToMinor('10.005', 'MXN')).to.deep.equal({ ok: false, reason: 'MXN allows at most 2 decimals: 10.005' });
    expect(parseDecimalToMinor('100.5', 'CLP').ok).to.equal(false);
    for (const bad of ['1,234.00', '1e3', 'abc', '', '.5', '12.']) expect(parseDecimalToMinor(bad, 'USD').ok, bad).to.equal(false);
  });

  it('converts and formats without float drift', () => {
    expect(toMajor(123450, 'MXN')).to.equal(1234.5);
    expect(formatDecimal(5, 'USD')).to.equal('0.05');
    expect(formatDecimal(-123450, 'MXN')).to.equal('-1234.50');
    expect(formatDecimal(15000, 'CLP')).to.equal('15000');
  });

  it('formats for a person per locale', () => {
    expect(formatMoney({ amount: 123450, currency: 'USD' }, 'en-US')).to.equal('$1,234.50 USD');
    expect(formatMoney({ amount: 123450, currency: 'MXN' }, 'es-MX')).to.equal('$1,234.50 MXN');
    expect(formatMoney({ amount: 123450, currency: 'EUR' }, 'es-ES')).to.match(/^1234,50\s€ EUR$|^1\.234,50\s€ EUR$/);
    expect(formatMoney({ amount: 1500, currency: 'CLP' }, 'es-CL')).to.equal('$1.500 CLP');
  });
});
