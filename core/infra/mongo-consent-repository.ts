import type { ChannelId } from '../domain/conversation.js';
import type { ConsentRefusal, ConsentRepository, ConsentSubject } from '../ports/consent-repository.port.js';
import { insertOnce } from './conversation-models.js';
import { ConversationStore } from './conversation-store.js';

/**
 * {@link ConsentRepository} in `consent_refusals`: one document per channel and subject,
 * `_id` `<channel>:debtor:<debtorId>` or `<channel>:user:<userId>`, inserted once; the first
 * refusal's time and place are the evidence kept.
 */
export class MongoConsentRepository extends ConversationStore implements ConsentRepository {
  async refuse(refusal: ConsentRefusal): Promise<boolean> {
    return insertOnce(await this.collection('ConsentRefusal'), {
      _id: refusalId(refusal.channel, refusal.subject),
      channel: refusal.channel,
      kind: refusal.subject.kind,
      subjectId: subjectId(refusal.subject),
      conversationId: refusal.conversationId,
      userId: refusal.userId,
      at: refusal.at,
    });
  }

  async refused(channel: ChannelId, subjects: readonly ConsentSubject[]): Promise<boolean> {
    if (!subjects.length) return false;
    const ids = subjects.map((s) => refusalId(channel, s));
    // `_id` look-ups are the one filter FerretDB answers without scanning.
    const found = await (await this.collection('ConsentRefusal')).findOne({ _id: { $in: ids } }, { projection: { _id: 1 } });
    return found !== null;
  }
}

function subjectId(subject: ConsentSubject): string {
  return subject.kind === 'debtor' ? subject.debtorId : subject.userId;
}

function refusalId(channel: ChannelId, subject: ConsentSubject): string {
  return `${channel}:${subject.kind === 'debtor' ? 'debtor' : 'user'}:${subjectId(subject)}`;
}
