import { WebSocket } from 'ws';
import type { JsonObject, LoggedActivity } from '../../core/ports/conversation-log.port.js';
import type { ActivityStream } from './activity-stream.js';
import { describeError, type ChannelLogger } from './channel-logger.js';

/** Activities per frame when a backlog is sent: big enough to be quick, small enough to keep frames modest. */
const FRAME_SIZE = 100;
/** A client that lets this much pile up unread is gone or hostile: drop it (it can reconnect with its watermark). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * One client's WebSocket on a conversation's stream. Sends the history after the client's
 * watermark, then each new entry as it is appended, as Direct Line frames
 * `{ "activities": [...], "watermark": "n" }`, never skipping or repeating an entry: it
 * subscribes before reading the backlog and sends only numbers above the last one sent.
 */
export class StreamSession {
  private lastSent: number;
  private pumping = false;
  /** Set when entries arrive while a backlog read is in flight: read again before resting. */
  private dirty = false;
  private alive = true;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly conversationId: string,
    afterSeq: number,
    private readonly stream: ActivityStream,
    private readonly logger: ChannelLogger,
  ) {
    this.lastSent = afterSeq;
  }

  /** Starts delivering; the session ends itself when the socket closes. */
  start(onEnd: () => void): void {
    this.unsubscribe = this.stream.subscribe(this.conversationId, {
      logged: (entry) => this.onLogged(entry),
      ephemeral: (activity) => this.onEphemeral(activity),
    });
    this.socket.on('pong', () => {
      this.alive = true;
    });
    // Clients send nothing meaningful: botframework-directlinejs pings with empty strings.
    this.socket.on('message', () => undefined);
    this.socket.on('error', (error) => this.logger.debug({ err: describeError(error), conversationId: this.conversationId }, 'web chat socket error'));
    this.socket.on('close', () => {
      this.unsubscribe?.();
      onEnd();
    });
    void this.pump();
  }

  /**
   * One keep-alive round: an empty frame (Direct Line's keep-alive, which clients ignore) and a
   * WebSocket ping; a socket that did not answer the previous ping is dead and is terminated.
   */
  keepAlive(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.send('');
    if (this.socket.readyState === WebSocket.OPEN) this.socket.ping();
  }

  /** Closes the socket, saying why (1001: the server is going away; clients reconnect). */
  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason);
  }

  /** Ends the socket without a closing handshake. */
  terminate(): void {
    this.socket.terminate();
  }

  private onLogged(entry: LoggedActivity): void {
    if (!this.pumping && entry.seq === this.lastSent + 1) {
      this.sendEntries([entry]);
      return;
    }
    if (entry.seq > this.lastSent) {
      this.dirty = true;
      void this.pump();
    }
  }

  private onEphemeral(activity: JsonObject): void {
    // Its watermark is the last entry sent: a client must not skip entries it has not seen.
    this.send(JSON.stringify(this.lastSent >= 0 ? { activities: [activity], watermark: String(this.lastSent) } : { activities: [activity] }));
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        this.dirty = false;
        const entries = await this.stream.readAfter(this.conversationId, this.lastSent, FRAME_SIZE);
        if (this.socket.readyState !== WebSocket.OPEN) return;
        if (entries.length > 0) {
          this.sendEntries(entries);
          continue;
        }
        if (!this.dirty) return;
      }
    } catch (error) {
      // The history could not be read (database down): close so the client reconnects and resumes.
      this.logger.error({ err: describeError(error), conversationId: this.conversationId }, 'web chat stream could not read the history');
      this.close(1011, 'history unavailable');
    } finally {
      this.pumping = false;
    }
  }

  private sendEntries(entries: readonly LoggedActivity[]): void {
    const last = entries[entries.length - 1]!;
    this.lastSent = last.seq;
    this.send(JSON.stringify({ activities: entries.map((e) => e.activity), watermark: String(last.seq) }));
  }

  private send(frame: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.logger.warn({ conversationId: this.conversationId }, 'web chat client is not reading its stream: dropped');
      this.socket.terminate();
      return;
    }
    this.socket.send(frame);
  }
}
