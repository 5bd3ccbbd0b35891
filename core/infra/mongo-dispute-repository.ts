import type { ChannelId } from '../domain/conversation.js';
import type { Dispute, DisputeRepository } from '../ports/dispute-repository.port.js';
import { insertOnce, type DisputeDoc } from './conversation-models.js';
import { ConversationStore } from './conversation-store.js';

/** {@link DisputeRepository} in `disputes`. */
export class MongoDisputeRepository extends ConversationStore implements DisputeRepository {
  async open(dispute: Dispute): Promise<void> {
    const inserted = await insertOnce(await this.collection('Dispute'), {
      _id: dispute.disputeId,
      debtorId: dispute.debtorId,
      key: { channel: dispute.key.channel, conversationId: dispute.key.conversationId, userId: dispute.key.userId },
      reason: dispute.reason,
      openedAt: dispute.openedAt,
      status: dispute.status,
    });
    if (!inserted) throw new Error('MongoDisputeRepository: dispute id used twice');
  }

  async forDebtor(debtorId: string): Promise<Dispute[]> {
    const docs = await (await this.collection('Dispute')).find({ debtorId }).toArray();
    return docs.map(toDispute).sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime());
  }
}

function toDispute(d: DisputeDoc): Dispute {
  return {
    disputeId: d._id,
    debtorId: d.debtorId,
    key: { channel: d.key.channel as ChannelId, conversationId: d.key.conversationId, userId: d.key.userId },
    reason: d.reason,
    openedAt: d.openedAt,
    status: d.status === 'resolved' ? 'resolved' : 'open',
  };
}
