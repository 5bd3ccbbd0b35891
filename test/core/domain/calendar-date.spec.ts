import { expect } from 'chai';
import { addDays, calendarDateIn, daysBetween, isTimeZone, parseCalendarDate } from '../../../core/domain/calendar-date.js';

describe('calendar dates', () => {
  it('accepts real YYYY-MM-DD dates only', () => {
    expect(parseCalendarDate('2026-02-28')).to.deep.equal({ ok: true, value: '2026-02-28' });
    expect(parseCalendarDate('2028-02-29').ok).to.equal(true);
    expect(parseCalendarDate('2026-13-01')).to.deep.equal({ ok: false, reason: 'not a date: 2026-13-01' });
    expect(parseCalendarDate('2026-02-30').ok).to.equal(false);
    expect(parseCalendarDate('01/02/2026')).to.deep.equal({ ok: false, reason: 'not a date (YYYY-MM-DD): 01/02/2026' });
  });

  it('counts days across month ends and DST changes', () => {
    expect(daysBetween('2026-01-31', '2026-03-01')).to.equal(29);
    expect(daysBetween('2026-03-01', '2026-01-31')).to.equal(-29);
    expect(daysBetween('2026-03-07', '2026-03-09')).to.equal(2);
    expect(addDays('2026-12-31', 1)).to.equal('2027-01-01');
    expect(addDays('2026-03-01', -89)).to.equal('2025-12-02');
  });

  it('takes the calendar date in the debtor time zone', () => {
    const instant = new Date('2026-12-04T03:30:00Z');
    expect(calendarDateIn(instant, 'America/Mexico_City')).to.equal('2026-12-03');
    expect(calendarDateIn(instant, 'Europe/Madrid')).to.equal('2026-12-04');
  });

  it('knows IANA zones', () => {
    expect(isTimeZone('America/Bogota')).to.equal(true);
    expect(isTimeZone('Mars/Olympus')).to.equal(false);
    expect(isTimeZone('')).to.equal(false);
  });
});
