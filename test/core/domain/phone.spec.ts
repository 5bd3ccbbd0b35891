import { expect } from 'chai';
import { normalizePhone } from '../../../core/domain/phone.js';

describe('phones', () => {
  it('keeps E.164 numbers', () => {
    expect(normalizePhone('+525512345678')).to.deep.equal({ ok: true, value: '+525512345678' });
  });

  it('turns national digits with a country into E.164', () => {
    expect(normalizePhone('55 1234 5678', 'MX')).to.deep.equal({ ok: true, value: '+525512345678' });
    expect(normalizePhone('(201) 555-0123', 'US')).to.deep.equal({ ok: true, value: '+12015550123' });
  });

  it('rejects what cannot be a phone, saying what to write', () => {
    const r = normalizePhone('5512345678');
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.reason).to.include('E.164');
    expect(normalizePhone('call me').ok).to.equal(false);
    expect(normalizePhone('+52 1').ok).to.equal(false);
  });
});
