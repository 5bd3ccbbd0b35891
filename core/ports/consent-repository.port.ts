import type { ChannelId } from '../domain/conversation.js';

/** Whom a refusal binds on its channel: a debtor, or a channel user not (yet) known as one. */
export type ConsentSubject =
  | { readonly kind: 'debtor'; readonly debtorId: string }
  | { readonly kind: 'channel-user'; readonly userId: string };

/** A refusal of automatic messages on one channel (`BAJA`, `STOP`), kept as evidence. */
export interface ConsentRefusal {
  readonly channel: ChannelId;
  readonly subject: ConsentSubject;
  /** Where it was said. */
  readonly conversationId: string;
  readonly userId: string;
  readonly at: Date;
}

/**
 * Consent refusals. A refusal is effective from the moment it is recorded and never edited
 * (the evidence of COMPLIANCE.md); recording it again changes nothing.
 */
export interface ConsentRepository {
  /** Records the refusal; false when this subject had already refused on this channel. */
  refuse(refusal: ConsentRefusal): Promise<boolean>;
  /** True when any of `subjects` refused automatic messages on `channel`. */
  refused(channel: ChannelId, subjects: readonly ConsentSubject[]): Promise<boolean>;
}
