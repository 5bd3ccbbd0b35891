/** One identity check, as remembered for rate limiting. */
export interface VerificationAttempt {
  /** Unique per attempt; orders attempts made in the same millisecond. */
  readonly attemptId: string;
  readonly at: Date;
  /** True when the check succeeded. */
  readonly ok: boolean;
}

/** The rules of {@link verificationLockState} (see `CollectionPolicy.verification`). */
export interface VerificationRules {
  readonly maxAttempts: number;
  readonly lockMinutes: number;
}

/** Where a conversation, or a `debtor_id`, stands after its attempts. */
export interface VerificationLockState {
  /** Consecutive failures counting towards the next lock (0 right after a lock ends). */
  readonly failures: number;
  /** When the lock in force ends; absent when not locked. */
  readonly lockedUntil?: Date;
  /** Attempts made while a lock was in force: refused whatever their answer, not counted. */
  readonly refused: ReadonlySet<string>;
}

/**
 * Folds attempts (any order) into a lock state at `now`: every `maxAttempts` consecutive
 * failures lock for `lockMinutes` from the last of them; a success, or the end of a lock,
 * starts the count again. Attempts inside a lock are refused and do not count, so the answer
 * is the same whichever process folds the same attempts: two workers racing on one
 * `debtor_id` see the same lock.
 */
export function verificationLockState(
  attempts: readonly VerificationAttempt[],
  now: Date,
  rules: VerificationRules,
): VerificationLockState {
  const lockMs = rules.lockMinutes * 60_000;
  const sorted = [...attempts].sort(
    (a, b) => a.at.getTime() - b.at.getTime() || (a.attemptId < b.attemptId ? -1 : a.attemptId > b.attemptId ? 1 : 0),
  );
  const refused = new Set<string>();
  let failures = 0;
  let lockedUntil: number | undefined;
  for (const attempt of sorted) {
    const t = attempt.at.getTime();
    if (lockedUntil !== undefined) {
      if (t < lockedUntil) {
        refused.add(attempt.attemptId);
        continue;
      }
      lockedUntil = undefined;
      failures = 0;
    }
    if (attempt.ok) {
      failures = 0;
      continue;
    }
    failures++;
    if (failures >= rules.maxAttempts) lockedUntil = t + lockMs;
  }
  if (lockedUntil !== undefined && now.getTime() >= lockedUntil) {
    lockedUntil = undefined;
    failures = 0;
  }
  return lockedUntil === undefined ? { failures, refused } : { failures, lockedUntil: new Date(lockedUntil), refused };
}
