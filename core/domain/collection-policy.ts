/**
 * The numbers of the collection policy that conversations obey. Every number is data an
 * operator may tighten (COMPLIANCE.md); these defaults are the documented built-in policy.
 */
export interface CollectionPolicy {
  /** How many days after today (the debtor's calendar) a promise to pay may be dated. */
  readonly maxPromiseDays: number;
  /** Identity checks by `debtor_id` plus the last 4 characters of `document_id`. */
  readonly verification: {
    /** Consecutive failures that start a lock. */
    readonly maxAttempts: number;
    /** How long a lock lasts, in minutes; afterwards the count starts again. */
    readonly lockMinutes: number;
    /** How far back failures are remembered, in hours. */
    readonly lookbackHours: number;
  };
  /** How long links stay valid. */
  readonly links: {
    /** A signed chat link (`/chat?t=`, Telegram `/start`), in seconds. */
    readonly chatTokenTtlSeconds: number;
    /** A payment link (`/pay/TOKEN`), in seconds. */
    readonly paymentLinkTtlSeconds: number;
  };
}

/**
 * The built-in policy: promises at most 30 days ahead; 3 failed identity checks lock the
 * conversation and the `debtor_id` tried for 15 minutes; chat and payment links last 7 days.
 */
export const DEFAULT_COLLECTION_POLICY: CollectionPolicy = {
  maxPromiseDays: 30,
  verification: { maxAttempts: 3, lockMinutes: 15, lookbackHours: 24 },
  links: { chatTokenTtlSeconds: 7 * 24 * 3600, paymentLinkTtlSeconds: 7 * 24 * 3600 },
};
