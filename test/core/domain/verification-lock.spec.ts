import { expect } from 'chai';
import { verificationLockState, type VerificationAttempt } from '../../../core/domain/verification-lock.js';

const rules = { maxAttempts: 3, lockMinutes: 15 };
const at = (minute: number, ok = false, id = `a${minute}`): VerificationAttempt => ({ attemptId: id, at: new Date(Date.UTC(2026, 2, 10, 12, minute)), ok });
const minute = (m: number) => new Date(Date.UTC(2026, 2, 10, 12, m));

describe('verification lock state', () => {
  it('counts consecutive failures below the limit', () => {
    const state = verificationLockState([at(0), at(1)], minute(2), rules);
    expect(state.failures).to.equal(2);
    expect(state.lockedUntil).to.equal(undefined);
  });

  it('locks for 15 minutes from the third failure', () => {
    const state = verificationLockState([at(0), at(1), at(2)], minute(3), rules);
    expect(state.lockedUntil?.toISOString()).to.equal('2026-03-10T12:17:00.000Z');
  });

  it('ends the lock after 15 minutes and starts the count again', () => {
    const state = verificationLockState([at(0), at(1), at(2)], minute(17), rules);
    expect(state).to.deep.include({ failures: 0 });
    expect(state.lockedUntil).to.equal(undefined);
  });

  it('refuses attempts made during a lock without counting them', () => {
    const state = verificationLockState([at(0), at(1), at(2), at(5, true), at(18), at(19)], minute(20), rules);
    expect([...state.refused]).to.deep.equal(['a5']);
    expect(state.failures).to.equal(2);
    expect(state.lockedUntil).to.equal(undefined);
  });

  it('starts the count again after a success', () => {
    const state = verificationLockState([at(0), at(1), at(2, true), at(3)], minute(4), rules);
    expect(state.failures).to.equal(1);
  });

  it('orders attempts by time, then id, whatever order they come in', () => {
    const state = verificationLockState([at(2, false, 'c'), at(0, false, 'a'), at(2, true, 'b')], minute(3), rules);
    expect(state.failures).to.equal(1);
  });
});
