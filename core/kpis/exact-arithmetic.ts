/**
 * Exact integer sums for the KPIs. Sums of minor units stay JavaScript numbers while they are
 * safe integers and spill into a bigint beyond that, so a large portfolio (or balance x days
 * products, which pass 2^53 quickly) never loses a unit to floating point, and the common case
 * pays no bigint cost.
 */
export class ExactSum {
  private small = 0;
  private big = 0n;

  /** Adds an integer (a safe integer: minor units, days, counts). */
  add(n: number): void {
    const s = this.small + n;
    if (Number.isSafeInteger(s)) {
      this.small = s;
    } else {
      this.big += BigInt(this.small) + BigInt(n);
      this.small = 0;
    }
  }

  /** Adds the exact product of two safe integers. */
  addProduct(a: number, b: number): void {
    const p = a * b;
    if (Number.isSafeInteger(p)) this.add(p);
    else this.big += BigInt(a) * BigInt(b);
  }

  /** The sum so far. */
  value(): bigint {
    return this.big + BigInt(this.small);
  }
}

/**
 * `numerator / denominator` rounded half away from zero to `decimals` places, returned as the
 * double that the decimal literal would give (`12.35`). The rounding is exact on integers of any
 * size: no float division happens before it.
 */
export function roundedQuotient(numerator: bigint, denominator: bigint, decimals: number): number {
  if (denominator === 0n) throw new RangeError('roundedQuotient: division by zero');
  const sign = numerator < 0n !== denominator < 0n ? -1n : 1n;
  const num = numerator < 0n ? -numerator : numerator;
  const den = denominator < 0n ? -denominator : denominator;
  const scale = 10n ** BigInt(decimals);
  const q = (2n * num * scale + den) / (2n * den);
  const value = Number(sign * q) / Number(scale);
  // -0 would print as 0 in JSON but fail deep equality in callers' tests.
  return value === 0 ? 0 : value;
}
