import { createRequire } from 'node:module';
import { WebSocket } from 'ws';
import type * as DirectLineNamespace from 'botframework-directlinejs';
import type { Activity, ConnectionStatus, DirectLine, DirectLineOptions, Message } from 'botframework-directlinejs';

type DirectLineModule = typeof DirectLineNamespace;

let loaded: Promise<DirectLineModule> | undefined;

/**
 * botframework-directlinejs, unmodified, with the browser globals it expects in Node: `ws` as
 * `WebSocket` and the `xhr2` package as `XMLHttpRequest` (rxjs's ajax uses it). Installed here,
 * in test support only, before the library first loads.
 */
export function loadDirectLine(): Promise<DirectLineModule> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const xhr2: unknown = require('xhr2');
    Object.assign(globalThis, { WebSocket, XMLHttpRequest: xhr2 });
    return import('botframework-directlinejs');
  })();
  return loaded;
}

/** How a test client connects. */
export interface TestClientOptions {
  /** `http://127.0.0.1:PORT/v3/directline` */
  readonly domain: string;
  readonly token?: string;
  readonly conversationId?: string;
  readonly watermark?: string;
  /** false: polling (`GET .../activities`), as when a proxy blocks WebSockets. */
  readonly webSocket: boolean;
  /** Milliseconds between polls (directlinejs allows 200 and up). */
  readonly pollingInterval?: number;
  readonly locale?: string;
}

/**
 * A botframework-directlinejs client that records what it receives, for tests: `waitFor` a
 * predicate, `say` a message (resolving with the server's activity id).
 *
 * Reconnect delays are pinned to their minimum (3 s) so tests that drop a socket stay short.
 */
export class DirectLineTestClient {
  readonly received: Activity[] = [];
  readonly statuses: ConnectionStatus[] = [];
  /** An error the activity stream ended with, if any. */
  failure: unknown;
  private readonly waiters = new Set<() => void>();
  private readonly subscriptions: { unsubscribe(): void }[] = [];

  private constructor(
    readonly directLine: DirectLine,
    private readonly online: ConnectionStatus,
  ) {
    this.subscriptions.push(
      directLine.activity$.subscribe({
        next: (activity) => {
          this.received.push(activity);
          for (const wake of [...this.waiters]) wake();
        },
        error: (error: unknown) => {
          this.failure = error;
          for (const wake of [...this.waiters]) wake();
        },
      }),
      directLine.connectionStatus$.subscribe((status) => {
        this.statuses.push(status);
        for (const wake of [...this.waiters]) wake();
      }),
    );
  }

  static async connect(options: TestClientOptions): Promise<DirectLineTestClient> {
    const { DirectLine: DirectLineClass } = await loadDirectLine();
    const config: DirectLineOptions & { random: () => number } = {
      domain: options.domain,
      webSocket: options.webSocket,
      random: () => 0,
      ...(options.token ? { token: options.token } : {}),
      ...(options.conversationId ? { conversationId: options.conversationId } : {}),
      ...(options.watermark ? { watermark: options.watermark } : {}),
      ...(options.pollingInterval ? { pollingInterval: options.pollingInterval } : {}),
      ...(options.locale ? { conversationStartProperties: { locale: options.locale } } : {}),
    };
    const { ConnectionStatus: Status } = await loadDirectLine();
    return new DirectLineTestClient(new DirectLineClass(config), Status.Online);
  }

  /** The conversation id, once connected. */
  get conversationId(): string {
    return (this.directLine as unknown as { conversationId: string }).conversationId;
  }

  /** The watermark the client would resume from. */
  get watermark(): string {
    return (this.directLine as unknown as { watermark: string }).watermark;
  }

  /** The token in use (refreshed or reissued by the server). */
  get token(): string {
    return (this.directLine as unknown as { token: string }).token;
  }

  /** The user id the server's token names (a JWT `user` claim). */
  get userId(): string {
    const payload = this.token.split('.')[1] ?? '';
    return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { user: string }).user;
  }

  /** Resolves with the first received activity matching `predicate` (already received or to come). */
  waitFor(predicate: (activity: Activity) => boolean, timeoutMs = 5000, what = 'an activity'): Promise<Activity> {
    return this.until(() => this.received.find(predicate), timeoutMs, what);
  }

  /** Resolves when `count` received activities match `predicate`. */
  async waitForCount(predicate: (activity: Activity) => boolean, count: number, timeoutMs = 5000, what = 'activities'): Promise<Activity[]> {
    await this.until(() => (this.received.filter(predicate).length >= count ? true : undefined), timeoutMs, `${count} ${what}`);
    return this.received.filter(predicate);
  }

  /** Resolves when the connection status becomes `status`. */
  async waitForStatus(status: ConnectionStatus, timeoutMs = 5000): Promise<void> {
    await this.until(() => (this.statuses.includes(status) ? true : undefined), timeoutMs, `connection status ${status}`);
  }

  /** Resolves once the client has started (or resumed) its conversation. */
  async ready(timeoutMs = 5000): Promise<void> {
    if (!this.statuses.includes(this.online)) await this.waitForStatus(this.online, timeoutMs);
  }

  /** Posts a message as the user, once connected; resolves with the server's id of it. */
  async say(text: string, extra: Partial<Message> = {}): Promise<string> {
    await this.ready();
    return this.post({ type: 'message', text, from: { id: this.userId, role: 'user' }, ...extra } as Message);
  }

  /** Posts any activity; resolves with what the client's observable gives (the id, or "retry"). */
  post(activity: Activity): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.directLine.postActivity(activity).subscribe({ next: (id: string) => resolve(id), error: (error: unknown) => reject(error) });
    });
  }

  /** Ends the client: its socket or polling stops. */
  end(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.directLine.end();
  }

  private until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const value = probe();
        if (value === undefined) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received: ${JSON.stringify(this.received.map((a) => ({ type: a.type, text: (a as Message).text, role: a.from.role })))}`));
      }, timeoutMs);
      const wake = () => void check();
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
      check();
    });
  }
}
