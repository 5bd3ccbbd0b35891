/**
 * The current instant. Injected everywhere a rule depends on time (locks, expiries, "today"
 * in the debtor's zone) so that tests set the time instead of waiting for it.
 *
 * @example
 * const clock: Clock = { now: () => new Date('2026-03-10T15:00:00Z') };
 */
export interface Clock {
  now(): Date;
}
