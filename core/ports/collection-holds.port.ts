/** Why a debtor's collection is paused. */
export interface CollectionHold {
  readonly debtorId: string;
  readonly reason: 'dispute';
  readonly since: Date;
  /** The dispute that paused it, when `reason` is `dispute`. */
  readonly disputeId?: string;
}

/**
 * Debtors whose collection is paused: outreach sends them nothing until the hold is lifted
 * (COMPLIANCE.md: a dispute pauses all outreach until it is resolved).
 */
export interface CollectionHolds {
  /** Pauses the debtor's collection; a debtor already paused keeps its first hold. */
  pause(hold: CollectionHold): Promise<void>;
  /** The hold in force, if any. */
  holdOf(debtorId: string): Promise<CollectionHold | undefined>;
}
