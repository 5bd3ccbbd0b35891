/**
 * At most `limit` hits per key in any `windowMs` (a sliding window, so a burst at the end of one
 * window and the start of the next cannot double the rate).
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * Counts a hit for `key` when it is within the limit and answers 0; otherwise counts nothing
   * and answers how many milliseconds until the oldest hit leaves the window.
   */
  take(key: string): number {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return recent[0]! + this.windowMs - now;
    }
    recent.push(now);
    this.hits.set(key, recent);
    return 0;
  }

  /** Forgets keys without a hit in the window, so idle conversations cost no memory. */
  sweep(): void {
    const horizon = this.now() - this.windowMs;
    for (const [key, recent] of this.hits) {
      if (recent[recent.length - 1]! <= horizon) this.hits.delete(key);
    }
  }
}
