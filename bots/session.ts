import { createHash } from 'node:crypto';
import { ActivityTypes, TurnContext, type Activity, type ConversationState, type StatePropertyAccessor } from 'botbuilder';
import { calendarDateIn, type CalendarDate } from '../core/domain/calendar-date.js';
import type { ConversationKey } from '../core/domain/conversation.js';
import type { CurrencyCode } from '../core/domain/currency.js';
import { isLanguage, type Language } from '../core/domain/portfolio.js';
import type { DebtorAssistant, DebtorProfile } from '../core/services/debtor-assistant.js';
import type { TranslationVars, Translator } from '../core/ports/translator.port.js';
import { conversationKeyOf } from './channel.js';
import { formatAmount, formatDate, formatList, formatTime, localeFor } from './format.js';
import { detectLanguage } from './nlu/language.js';
import { withOptions, type ShownOption } from './render.js';

/** What the bot remembers of a conversation between turns (conversation state, plain JSON). */
export interface SessionData {
  /** Set once the person proved to be this debtor; nothing about the debt is said before. */
  debtorId?: string;
  /** The conversation's language: chosen by the person, or detected from their first words. */
  language?: Language;
  /** True when the person asked for `language` (it then wins over the stored one and is saved). */
  languageChosen?: boolean;
  /** The first message (the creditor named, the bot disclosed as automated) went out. */
  welcomed?: boolean;
  /** Digests of identity claims already tried, so each is checked once per conversation. */
  triedClaims?: string[];
  /** Messages in a row the bot did not understand. */
  misses?: number;
  /** The opt-out was confirmed in this conversation (it is confirmed once). */
  optOutConfirmed?: boolean;
  /**
   * The verified debtor's profile as last read, so that a turn need not read the debtor
   * again: refreshed when older than {@link PROFILE_MAX_AGE_MS}, and rewritten at once when
   * the conversation changes it (verification, a language switch).
   */
  profile?: DebtorProfile;
  /** When {@link SessionData.profile} was read (ISO 8601). */
  profileReadAt?: string;
}

/**
 * How long a turn may answer from the profile kept in conversation state before reading the
 * debtor again: an import that renames the debtor or changes the time zone, or an erasure,
 * reaches an open conversation within this time (a new conversation reads it at once).
 */
export const PROFILE_MAX_AGE_MS = 5 * 60_000;

/** How a debtor proved who they are. */
export type VerificationMethod = 'link' | 'phone' | 'telegram' | 'document';

/** What the bot needs besides the conversation state. */
export interface SessionDeps {
  readonly assistant: DebtorAssistant;
  readonly translator: Translator;
  /** Language and time zone for people the bot does not know (CONTRACT.md `DEFAULT_*`). */
  readonly defaults: { readonly language: Language; readonly timezone: string };
  readonly now: () => Date;
}

/** A message to show, by key, resolved in the language of the turn that shows it. */
export interface Message {
  readonly key: string;
  readonly vars?: TranslationVars;
}

/**
 * One turn's view of a conversation: who is talking (verified or not), in which language,
 * locale and time zone, and how to say things to them. Middleware and dialogs share it.
 */
export class TurnSession {
  /** The debtor, when verified. */
  get profile(): DebtorProfile | undefined {
    return this.current;
  }
  /** A link token presented this turn that did not verify. */
  linkProblem: 'invalid' | 'expired' | 'unknown-debtor' | undefined;
  /** Set when the debtor was verified during this turn. */
  verifiedNow: VerificationMethod | undefined;
  private current: DebtorProfile | undefined;
  /** The language of this turn when the conversation has none yet. */
  private readonly turnLanguage: Language;

  constructor(
    readonly context: TurnContext,
    readonly key: ConversationKey,
    readonly data: SessionData,
    profile: DebtorProfile | undefined,
    private readonly deps: SessionDeps,
  ) {
    this.current = profile;
    const activity = context.activity;
    const detected = activity.type === ActivityTypes.Message && activity.text ? detectLanguage(activity.text) : undefined;
    // An unknown person is answered in the language of their first words, and keeps it.
    if (!data.language && !profile && detected) data.language = detected;
    this.turnLanguage = detected ?? languageOfLocale(activity.locale) ?? deps.defaults.language;
  }

  /** The verified debtor's id. */
  get debtorId(): string | undefined {
    return this.profile?.debtorId;
  }

  get verified(): boolean {
    return this.profile !== undefined;
  }

  /** The language to answer in: the person's choice, else the debtor's stored one, else detected. */
  get language(): Language {
    if (this.data.languageChosen && this.data.language) return this.data.language;
    return this.profile?.language ?? this.data.language ?? this.turnLanguage;
  }

  get locale(): string {
    return localeFor(this.language, this.profile?.country);
  }

  get timeZone(): string {
    return this.profile?.timezone ?? this.deps.defaults.timezone;
  }

  /** The creditor the bot speaks for. */
  get creditor(): string {
    return this.deps.assistant.creditorName;
  }

  /** Today on the debtor's calendar. */
  today(): CalendarDate {
    return calendarDateIn(this.deps.now(), this.timeZone);
  }

  t(key: string, vars?: TranslationVars): string {
    return this.deps.translator.t(this.language, key, vars);
  }

  /** The text of `key` in another language (to recognize a button shown before a switch). */
  tIn(language: Language, key: string, vars?: TranslationVars): string {
    return this.deps.translator.t(language, key, vars);
  }

  money(amount: number, currency: CurrencyCode): string {
    return formatAmount(amount, currency, this.locale);
  }

  date(date: CalendarDate, style: 'long' | 'full' = 'long'): string {
    return formatDate(date, this.locale, style);
  }

  time(instant: Date): string {
    return formatTime(instant, this.locale, this.timeZone);
  }

  list(items: readonly string[]): string {
    return formatList(items, this.locale);
  }

  /** Sends one message made of the given keys, one paragraph each. */
  async say(...messages: (Message | string)[]): Promise<void> {
    const text = messages.map((m) => (typeof m === 'string' ? this.t(m) : this.t(m.key, m.vars))).join('\n\n');
    await this.sayText(text);
  }

  /**
   * The first message of every conversation, once: the creditor named and the bot disclosed as
   * an automated assistant, with how to stop automatic messages.
   */
  async welcomeOnce(): Promise<void> {
    if (this.data.welcomed) return;
    this.data.welcomed = true;
    await this.say({ key: 'common:welcome', vars: { creditor: this.creditor } });
  }

  /** Sends text already rendered. */
  async sayText(text: string): Promise<void> {
    await this.context.sendActivity({ type: ActivityTypes.Message, text, locale: this.locale });
  }

  /**
   * Sends `text` with numbered options (buttons where the channel has them). Every message
   * carries the locale it is written in (botbuilder would copy the inbound one): a channel
   * whose interface has words of its own, like Web Chat, follows the bot's language with it.
   */
  async offer(text: string, options: readonly ShownOption[]): Promise<void> {
    await this.context.sendActivity({ ...withOptions(this.context.activity.channelId, text, options), locale: this.locale });
  }

  /**
   * Records that the person is this debtor: from now on the bot may speak of the debt. A
   * language the person chose before verifying becomes the debtor's stored language, and the
   * channel's conversation reference is saved so notices reach them here.
   */
  async verify(profile: DebtorProfile, method: VerificationMethod): Promise<void> {
    this.data.debtorId = profile.debtorId;
    this.data.misses = 0;
    this.keep(profile);
    this.verifiedNow = method;
    const chosen = this.data.languageChosen ? this.data.language : undefined;
    if (chosen && chosen !== profile.language) {
      await this.deps.assistant.setLanguage(profile.debtorId, chosen);
      this.keep({ ...profile, language: chosen });
    }
    await this.saveReference();
  }

  /** Switches the conversation's language; a verified debtor's choice is stored. */
  async switchLanguage(language: Language): Promise<void> {
    this.data.language = language;
    this.data.languageChosen = true;
    if (this.current) {
      if (this.current.language !== language) await this.deps.assistant.setLanguage(this.current.debtorId, language);
      // Changed here: the kept profile changes with it, not five minutes later.
      this.keep({ ...this.current, language }, this.data.profileReadAt);
    }
  }

  /** Uses `profile` from now on and keeps it in conversation state, read at `readAt` (default now). */
  private keep(profile: DebtorProfile, readAt = this.deps.now().toISOString()): void {
    this.current = profile;
    this.data.profile = { ...profile };
    this.data.profileReadAt = readAt;
  }

  /**
   * Saves where to reach the verified debtor on this channel (the last one used gets notices).
   * `routine`: a later turn of a conversation verified before, rather than the verification.
   */
  async saveReference(options: { readonly routine?: boolean } = {}): Promise<void> {
    if (!this.profile) return;
    const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(this.context.activity))) as Record<string, unknown>;
    await this.deps.assistant.saveConversationReference(this.profile.debtorId, this.key.channel, reference, this.key, options);
  }

  /** True the first time it is asked for a claim value in this conversation. */
  firstTry(claim: string): boolean {
    const digest = createHash('sha256').update(claim).digest('base64url').slice(0, 22);
    const tried = (this.data.triedClaims ??= []);
    if (tried.includes(digest)) return false;
    tried.push(digest);
    // A handful is plenty; the list must not grow without bound.
    if (tried.length > 20) tried.splice(0, tried.length - 20);
    return true;
  }
}

const SESSION = Symbol('cobrabot.session');

/**
 * Loads and saves {@link TurnSession}s over botbuilder conversation state. The session of a
 * turn is loaded once (cached on the turn) and saved by the identity middleware or the bot.
 */
export class Sessions {
  private readonly property: StatePropertyAccessor<SessionData>;

  constructor(
    readonly state: ConversationState,
    private readonly deps: SessionDeps,
  ) {
    this.property = state.createProperty<SessionData>('session');
  }

  /**
   * The turn's session, loading the conversation state and the verified debtor's profile: the
   * one kept in conversation state while it is fresh, else read again and kept.
   */
  async load(context: TurnContext): Promise<TurnSession> {
    const cached = this.peek(context);
    if (cached) return cached;
    const data = await this.property.get(context, {});
    let profile: DebtorProfile | undefined;
    if (data.debtorId) {
      profile = this.keptProfile(data);
      if (!profile) {
        profile = await this.deps.assistant.profile(data.debtorId);
        if (profile) {
          data.profile = { ...profile };
          data.profileReadAt = this.deps.now().toISOString();
        }
      }
      // A debtor erased since: the conversation starts over, unverified.
      if (!profile) {
        delete data.debtorId;
        delete data.profile;
        delete data.profileReadAt;
      }
    }
    if (data.language !== undefined && !isLanguage(data.language)) delete data.language;
    const session = new TurnSession(context, conversationKeyOf(context.activity), data, profile, this.deps);
    context.turnState.set(SESSION, session);
    return session;
  }

  /** The profile kept in `data` when it is the verified debtor's, well formed, and fresh. */
  private keptProfile(data: SessionData): DebtorProfile | undefined {
    const { profile, profileReadAt } = data;
    if (!profile || profile.debtorId !== data.debtorId || !profileReadAt) return undefined;
    if (typeof profile.name !== 'string' || typeof profile.timezone !== 'string' || !isLanguage(profile.language)) return undefined;
    const age = this.deps.now().getTime() - Date.parse(profileReadAt);
    // A clock moved backwards gives a negative age: read again rather than trust it.
    if (!(age >= 0 && age < PROFILE_MAX_AGE_MS)) return undefined;
    return {
      debtorId: profile.debtorId,
      name: profile.name,
      language: profile.language,
      timezone: profile.timezone,
      ...(typeof profile.country === 'string' ? { country: profile.country } : {}),
    };
  }

  /** The turn's session if something already loaded it. */
  peek(context: TurnContext): TurnSession | undefined {
    const session: unknown = context.turnState.get(SESSION);
    return session instanceof TurnSession ? session : undefined;
  }

  /** Writes the conversation state when it changed this turn. */
  async save(context: TurnContext): Promise<void> {
    await this.state.saveChanges(context);
  }

  /** The language to apologise in when the turn failed before or after loading its session. */
  fallbackLanguage(context: TurnContext): Language {
    const session = this.peek(context);
    if (session) return session.language;
    const activity: Partial<Activity> = context.activity;
    return (activity.text ? detectLanguage(activity.text) : undefined) ?? languageOfLocale(activity.locale) ?? this.deps.defaults.language;
  }
}

function languageOfLocale(locale: string | undefined): Language | undefined {
  const base = locale?.slice(0, 2).toLowerCase();
  return base && isLanguage(base) ? base : undefined;
}
