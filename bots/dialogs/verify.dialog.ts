import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { recognizeIntent } from '../nlu/intents.js';
import { normalize, words } from '../nlu/normalize.js';
import { AskDialog, type AskAnswer } from './ask.dialog.js';
import { DIALOG, type FlowDeps, type FlowResult, type Routed } from './flow.js';

/** Options of the verification: what the person asked for before being verified. */
export interface VerifyOptions {
  readonly then?: Routed;
}

interface StepValues {
  debtorId?: string;
}

const STEPS = 'verify.steps';
const ASK_DEBTOR_ID = 'verify.ask-debtor-id';
const ASK_LAST4 = 'verify.ask-last4';
/** While verifying, only these requests change the subject; they need no identity. */
const INTERRUPTS = new Set(['language', 'human', 'plan']);

/**
 * The debtor's reference as typed: the message itself when it is one word, else the one word
 * in it with a digit (`mi número es D-1001`).
 */
export function debtorIdFrom(text: string): string | undefined {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 1) return tokens[0]!.length <= 64 ? tokens[0] : undefined;
  const withDigits = tokens.map((t) => t.replace(/[.,;:!?]+$/, '')).filter((t) => /\d/.test(t) && t.length <= 64);
  return withDigits.length === 1 ? withDigits[0] : undefined;
}

/** The last 4 characters of a document as typed (`1234`, `12 34`, `son 1234`). */
export function last4From(text: string): string | undefined {
  const joined = text.trim().replace(/[\s-]+/g, '');
  if (/^[\p{L}\p{N}]{4}$/u.test(joined)) return joined;
  const groups = words(normalize(text)).filter((w) => /^[\p{L}\p{N}]{4}$/u.test(w) && /\d/.test(w));
  return groups.length === 1 ? groups[0] : undefined;
}

/**
 * Identify and verify by `debtor_id` and the last 4 characters of `document_id`
 * (CONTRACT.md section 6). The assistant counts the tries and locks for 15 minutes after the
 * third; the bot never says which of the two was wrong and names nothing of the debt before
 * the match.
 */
export class VerifyDialog extends ComponentDialog {
  constructor(private readonly deps: FlowDeps) {
    super(DIALOG.verify);
    const interrupts = (intent: { kind: string }): boolean => INTERRUPTS.has(intent.kind);
    // `hola` is one word of 4 letters: anything the recognizers understand is not an answer here,
    // so a greeting never spends one of the 3 tries.
    const answers = (read: (text: string) => string | undefined) => (text: string) => recognizeIntent(text).kind === 'none' && read(text) !== undefined;
    this.addDialog(new AskDialog(ASK_DEBTOR_ID, deps.sessions, { interrupts, accepts: answers(debtorIdFrom) }));
    this.addDialog(new AskDialog(ASK_LAST4, deps.sessions, { interrupts, accepts: answers(last4From) }));
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.askDebtorId(s), (s) => this.askLast4(s), (s) => this.check(s)]));
    this.initialDialogId = STEPS;
  }

  private async askDebtorId(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await this.deps.sessions.load(step.context);
    const lockedUntil = await this.deps.assistant.verificationLock(session.key);
    if (lockedUntil) {
      await session.say({ key: 'verify:locked', vars: { time: session.time(lockedUntil) } });
      return step.endDialog({} satisfies FlowResult);
    }
    return step.beginDialog(ASK_DEBTOR_ID, { prompt: { key: 'verify:ask-debtor-id' }, retry: { key: 'verify:retry-debtor-id' } });
  }

  private async askLast4(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as AskAnswer;
    if (answer.kind !== 'text') return this.leave(step, answer);
    (step.values as StepValues).debtorId = debtorIdFrom(answer.text);
    return step.beginDialog(ASK_LAST4, { prompt: { key: 'verify:ask-last4' }, retry: { key: 'verify:retry-last4' } });
  }

  private async check(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as AskAnswer;
    if (answer.kind !== 'text') return this.leave(step, answer);
    const session = await this.deps.sessions.load(step.context);
    const debtorId = (step.values as StepValues).debtorId ?? '';
    const result = await this.deps.assistant.verifyDocument(session.key, debtorId, last4From(answer.text) ?? '');
    if (result.ok) {
      await session.verify(result.value, 'document');
      await session.say({ key: 'verify:verified', vars: { name: result.value.name } });
      const options = (step.options ?? {}) as VerifyOptions;
      return step.endDialog({ route: options.then ?? { intent: { kind: 'help' }, text: '' } } satisfies FlowResult);
    }
    if (result.reason === 'locked') {
      await session.say({ key: 'verify:locked', vars: { time: session.time(result.lockedUntil) } });
      return step.endDialog({} satisfies FlowResult);
    }
    await session.say({ key: 'verify:mismatch', vars: { count: result.attemptsLeft } });
    return step.replaceDialog(STEPS, step.options);
  }

  private async leave(step: WaterfallStepContext, answer: AskAnswer): Promise<DialogTurnResult> {
    if (answer.kind === 'interrupt') return step.endDialog({ route: { intent: answer.intent, text: answer.text } } satisfies FlowResult);
    const session = await this.deps.sessions.load(step.context);
    await session.say('verify:gave-up');
    return step.endDialog({} satisfies FlowResult);
  }
}
