import type { CalendarDate } from '../domain/calendar-date.js';
import type { CurrencyCode } from '../domain/currency.js';

/** A promise to pay as stored: the written agreement COMPLIANCE.md requires to keep. */
export interface StoredPromise {
  /** Idempotency key: the same promise saved twice is stored once. */
  readonly promiseId: string;
  readonly debtorId: string;
  /** The debtor's calendar date the payment is promised for. */
  readonly date: CalendarDate;
  /** Minor units. */
  readonly amount: number;
  readonly currency: CurrencyCode;
  readonly createdAt: Date;
}

/** Keeps promises to pay (the follow-up job reads them later). */
export interface PromiseRepository {
  /** Stores the promise; when its id exists, returns the one stored first. */
  save(promise: StoredPromise): Promise<StoredPromise>;
  /** The debtor's promises, earliest date first. */
  forDebtor(debtorId: string): Promise<StoredPromise[]>;
}
