import type { Clock } from '../ports/clock.port.js';

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };
