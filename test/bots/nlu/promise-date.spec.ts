import { expect } from 'chai';
import { mentionsOtherDay, monthFirst, parsePromiseDate, type DateContext } from '../../../bots/nlu/promise-date.js';

/** Wednesday 2025-12-03. */
const ES: DateContext = { today: '2025-12-03', language: 'es', dayFirst: true };
const EN_US: DateContext = { today: '2025-12-03', language: 'en', dayFirst: false };
const EN_GB: DateContext = { today: '2025-12-03', language: 'en', dayFirst: true };

describe('parsePromiseDate', () => {
  it('reads the examples of the brief, in Spanish', () => {
    expect(parsePromiseDate('el viernes', ES)).to.equal('2025-12-05');
    expect(parsePromiseDate('pago el viernes', ES)).to.equal('2025-12-05');
    expect(parsePromiseDate('15/12', ES)).to.equal('2025-12-15');
  });

  it('reads the examples of the brief, in English', () => {
    expect(parsePromiseDate('next Monday', EN_US)).to.equal('2025-12-08');
    expect(parsePromiseDate('Dec 15', EN_US)).to.equal('2025-12-15');
    expect(parsePromiseDate("I'll pay on Dec 15", EN_US)).to.equal('2025-12-15');
  });

  it('reads slashed dates day first in Spanish and month first for English in the US', () => {
    expect(parsePromiseDate('1/2', ES)).to.equal('2026-02-01');
    expect(parsePromiseDate('1/2', EN_US)).to.equal('2026-01-02');
    expect(parsePromiseDate('1/2', EN_GB)).to.equal('2026-02-01');
    expect(parsePromiseDate('12/15', EN_US)).to.equal('2025-12-15');
    // A day above 12 can only be read one way.
    expect(parsePromiseDate('15/12', EN_US)).to.equal('2025-12-15');
  });

  it('reads relative days and phrases chrono lacks', () => {
    expect(parsePromiseDate('mañana', ES)).to.equal('2025-12-04');
    expect(parsePromiseDate('manana', ES)).to.equal('2025-12-04');
    expect(parsePromiseDate('pasado mañana', ES)).to.equal('2025-12-05');
    expect(parsePromiseDate('la próxima semana', ES)).to.equal('2025-12-10');
    expect(parsePromiseDate('a fin de mes', ES)).to.equal('2025-12-31');
    expect(parsePromiseDate('en la quincena', ES)).to.equal('2025-12-15');
    expect(parsePromiseDate('in 3 days', EN_US)).to.equal('2025-12-06');
    expect(parsePromiseDate('tomorrow', EN_US)).to.equal('2025-12-04');
  });

  it('reads a bare day of the month as the next time it comes', () => {
    expect(parsePromiseDate('el 15', ES)).to.equal('2025-12-15');
    expect(parsePromiseDate('15', ES)).to.equal('2025-12-15');
    expect(parsePromiseDate('el 2', ES)).to.equal('2026-01-02');
    expect(parsePromiseDate('on the 20th', EN_US)).to.equal('2025-12-20');
    expect(parsePromiseDate('el 31', { ...ES, today: '2026-04-05' })).to.equal('2026-05-31');
  });

  it("takes a weekday said on that weekday for next week's", () => {
    expect(parsePromiseDate('el miércoles', ES)).to.equal('2025-12-10');
    expect(parsePromiseDate('Wednesday', EN_US)).to.equal('2025-12-10');
  });

  it('reads a day and month as the next one, unless it went by within the last month', () => {
    expect(parsePromiseDate('1/12', ES)).to.equal('2025-12-01');
    expect(parsePromiseDate('5/1', { ...ES, today: '2025-12-28' })).to.equal('2026-01-05');
    expect(parsePromiseDate('Dec 15', { ...EN_US, today: '2026-03-10' })).to.equal('2026-12-15');
    expect(parsePromiseDate('15/12', { ...ES, today: '2026-03-10' })).to.equal('2026-12-15');
    expect(parsePromiseDate('10/3', { ...ES, today: '2026-03-10' })).to.equal('2026-03-10');
  });

  it("falls back to the other language's words", () => {
    expect(parsePromiseDate('Dec 15', ES)).to.equal('2025-12-15');
    expect(parsePromiseDate('el viernes', EN_US)).to.equal('2025-12-05');
  });

  it('is relative to the today it is given (the debtor’s zone decides which day that is)', () => {
    expect(parsePromiseDate('mañana', { ...ES, today: '2025-12-31' })).to.equal('2026-01-01');
    expect(parsePromiseDate('el viernes', { ...ES, today: '2025-12-06' })).to.equal('2025-12-12');
  });

  it('finds no date where there is none', () => {
    expect(parsePromiseDate('no sé', ES)).to.equal(undefined);
    expect(parsePromiseDate('F-2025-001', ES)).to.equal(undefined);
    expect(parsePromiseDate('a las 5', ES)).to.equal(undefined);
    expect(parsePromiseDate('el 45', ES)).to.equal(undefined);
  });
});

describe('mentionsOtherDay', () => {
  it('is true for another day and false for today or now', () => {
    expect(mentionsOtherDay('el viernes')).to.equal(true);
    expect(mentionsOtherDay('Dec 15')).to.equal(true);
    expect(mentionsOtherDay('hoy')).to.equal(false);
    expect(mentionsOtherDay('today')).to.equal(false);
    expect(mentionsOtherDay('quiero pagar')).to.equal(false);
  });
});

describe('monthFirst', () => {
  it('is English in the US (or nowhere known) only', () => {
    expect(monthFirst('en', 'US')).to.equal(true);
    expect(monthFirst('en', undefined)).to.equal(true);
    expect(monthFirst('en', 'MX')).to.equal(false);
    expect(monthFirst('es', 'US')).to.equal(false);
  });
});
