import type { VerificationAttempt } from '../domain/verification-lock.js';
import type { StoredVerificationAttempt, VerificationAttempts } from '../ports/verification-attempts.port.js';
import { insertOnce } from './conversation-models.js';
import { ConversationStore } from './conversation-store.js';

/**
 * {@link VerificationAttempts} in `verification_attempts`, one document per attempt. Old
 * attempts stay (FerretDB has no TTL indexes); readers only look back a bounded window.
 */
export class MongoVerificationAttempts extends ConversationStore implements VerificationAttempts {
  async record(attempt: StoredVerificationAttempt): Promise<void> {
    const inserted = await insertOnce(await this.collection('VerificationAttempt'), {
      _id: attempt.attemptId,
      conversation: attempt.conversation,
      debtorId: attempt.debtorId,
      ok: attempt.ok,
      at: attempt.at,
    });
    if (!inserted) throw new Error('MongoVerificationAttempts: attempt id used twice');
  }

  async inConversation(conversation: string, since: Date): Promise<VerificationAttempt[]> {
    return this.find({ conversation, at: { $gte: since } });
  }

  async onDebtor(debtorId: string, since: Date): Promise<VerificationAttempt[]> {
    return this.find({ debtorId, at: { $gte: since } });
  }

  private async find(filter: { conversation?: string; debtorId?: string; at: { $gte: Date } }): Promise<VerificationAttempt[]> {
    const docs = await (await this.collection('VerificationAttempt')).find(filter, { projection: { _id: 1, ok: 1, at: 1 } }).toArray();
    return docs.map((d) => ({ attemptId: d._id, ok: d.ok, at: d.at }));
  }
}
