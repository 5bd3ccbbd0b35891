import { expect } from 'chai';
import { formatAmount, formatDate, formatList, formatTime, localeFor } from '../../bots/format.js';

describe('bot formatting', () => {
  it('builds the locale from language and country, the usual region when unknown', () => {
    expect(localeFor('es', 'MX')).to.equal('es-MX');
    expect(localeFor('es', 'CO')).to.equal('es-CO');
    expect(localeFor('en', 'US')).to.equal('en-US');
    expect(localeFor('es')).to.equal('es-MX');
    expect(localeFor('en')).to.equal('en-US');
  });

  it('writes money the way the locale does, with the currency code spelled out', () => {
    expect(formatAmount(145_050, 'MXN', 'es-MX')).to.equal('$1,450.50 MXN');
    expect(formatAmount(123_456, 'USD', 'en-US')).to.equal('$1,234.56 USD');
    expect(formatAmount(123_456, 'USD', 'es-MX')).to.equal('$1,234.56 USD');
    expect(formatAmount(123_450, 'COP', 'es-CO')).to.match(/^\$\s?1\.234,50 COP$/);
    expect(formatAmount(1500, 'CLP', 'es-CL')).to.match(/^\$\s?1\.500 CLP$/);
  });

  it('writes calendar dates as the same day in every zone', () => {
    expect(formatDate('2026-03-13', 'es-MX', 'full')).to.equal('viernes, 13 de marzo de 2026');
    expect(formatDate('2026-03-13', 'en-US', 'full')).to.equal('Friday, March 13, 2026');
    expect(formatDate('2026-02-15', 'es-MX')).to.equal('15 de febrero de 2026');
    expect(formatDate('2026-02-15', 'en-US')).to.equal('February 15, 2026');
  });

  it('writes an instant on the debtor’s clock, naming the zone', () => {
    const instant = new Date('2026-03-10T18:15:00Z');
    expect(formatTime(instant, 'es-MX', 'America/Mexico_City')).to.match(/^12:15\s?p\.\s?m\.\s/);
    expect(formatTime(instant, 'en-US', 'America/New_York')).to.equal('2:15 PM EDT');
  });

  it('joins lists as the language does', () => {
    expect(formatList(['F-1', 'F-2', 'F-3'], 'es-MX')).to.equal('F-1, F-2 y F-3');
    expect(formatList(['F-1', 'F-2'], 'en-US')).to.equal('F-1 and F-2');
  });
});
