/**
 * The load generator of `npm run bench directline`, run in a worker thread so that the server's
 * event loop serves only the server (real clients are on other machines): opens the
 * conversations (each on its own WebSocket), sends the warm-up messages, then the measured ones,
 * each as soon as the bot answered the last, and reports every round trip (POST of the user's
 * message to the bot's first reply on the stream).
 *
 * Protocol with the thread that made it (messages in order): it gets a {@link ClientJob} as
 * `workerData`, posts `opened`; on `warm` it sends the warm-up and posts `warmed`; on `measure`
 * the measured messages and posts `measured`; on `close` it closes its sockets and ends.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';

/** What the client is to do. */
export interface ClientJob {
  /** `http://127.0.0.1:PORT/v3/directline` */
  readonly domain: string;
  /** One entry per conversation: its link token, or null to open it unverified. */
  readonly linkTokens: readonly (string | null)[];
  /** Per conversation: the unmeasured messages, then the measured ones. */
  readonly warmUp: readonly (readonly string[])[];
  readonly measured: readonly (readonly string[])[];
  /**
   * How long a person takes to answer, in milliseconds: after each measured reply the
   * conversation waits a time drawn evenly from [min, max] before its next message. Absent,
   * it sends at once (a saturation test).
   */
  readonly thinkMs?: readonly [min: number, max: number];
}

/** A small deterministic generator (mulberry32), so that runs draw the same pauses. */
function pauses(seed: number, [min, max]: readonly [number, number]): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return min + unit * (max - min);
  };
}

/** What the client posts. */
export type ClientReport =
  | { readonly type: 'opened' }
  | { readonly type: 'warmed'; readonly samples: readonly number[] }
  | { readonly type: 'measured'; readonly samples: readonly (readonly [conversation: number, message: number, ms: number])[]; readonly wallMs: number }
  | { readonly type: 'failed'; readonly message: string };

/** What the client is told. */
export type ClientCommand = 'warm' | 'measure' | 'close';

interface Conversation {
  readonly id: string;
  readonly token: string;
  readonly userId: string;
  readonly socket: WebSocket;
  /** When the first bot reply to each user activity id arrived (performance.now()). */
  readonly replies: Map<string, number>;
  readonly waiting: Map<string, (at: number) => void>;
}

/**
 * Keep-alive connections, one per conversation at most. node:http rather than fetch: the load
 * generator shares the process (not the event loop) with the server, and fetch costs several
 * times more CPU per request, which the server's thread would feel.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function postJson(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((response.statusCode ?? 500) >= 300) return reject(new Error(`${url} answered ${response.statusCode}: ${text}`));
          resolve(JSON.parse(text) as Record<string, unknown>);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function openConversation(domain: string, i: number, linkToken: string | undefined): Promise<Conversation> {
  const generated = await postJson(`${domain}/tokens/generate`, { user: { id: `dl_bench_${i}` }, ...(linkToken ? { linkToken } : {}) });
  const started = await postJson(`${domain}/conversations`, {}, String(generated.token));
  const socket = new WebSocket(String(started.streamUrl));
  const conversation: Conversation = { id: String(started.conversationId), token: String(started.token), userId: `dl_bench_${i}`, socket, replies: new Map(), waiting: new Map() };
  socket.on('message', (data: Buffer) => {
    const at = performance.now();
    const text = data.toString('utf8');
    if (text === '') return;
    const frame = JSON.parse(text) as { activities: { type: string; replyToId?: string; from: { role?: string } }[] };
    for (const activity of frame.activities) {
      if (activity.from.role !== 'bot' || activity.type !== 'message' || !activity.replyToId || conversation.replies.has(activity.replyToId)) continue;
      conversation.replies.set(activity.replyToId, at);
      conversation.waiting.get(activity.replyToId)?.(at);
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return conversation;
}

/** Posts one message and resolves with its round trip: POST sent to the bot's reply on the stream. */
async function roundTrip(domain: string, conversation: Conversation, text: string, timeoutMs = 10_000): Promise<number> {
  const start = performance.now();
  const posted = await postJson(`${domain}/conversations/${conversation.id}/activities`, { type: 'message', text, from: { id: conversation.userId } }, conversation.token);
  const id = String(posted.id);
  const arrived =
    conversation.replies.get(id) ??
    (await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${id} ("${text}") within ${timeoutMs} ms`)), timeoutMs);
      conversation.waiting.set(id, (at) => {
        clearTimeout(timer);
        conversation.waiting.delete(id);
        resolve(at);
      });
    }));
  return arrived - start;
}


async function main(job: ClientJob, port: NonNullable<typeof parentPort>): Promise<void> {
  const commands: ClientCommand[] = [];
  const waiters: ((command: ClientCommand) => void)[] = [];
  port.on('message', (command: ClientCommand) => {
    const waiter = waiters.shift();
    if (waiter) waiter(command);
    else commands.push(command);
  });
  const next = () => new Promise<ClientCommand>((resolve) => {
    const queued = commands.shift();
    if (queued) resolve(queued);
    else waiters.push(resolve);
  });
  const report = (message: ClientReport) => port.postMessage(message);

  const conversations = await Promise.all(job.linkTokens.map((token, i) => openConversation(job.domain, i, token ?? undefined)));
  report({ type: 'opened' });
  for (;;) {
    const command = await next();
    if (command === 'close') break;
    if (command === 'warm') {
      const samples: number[] = [];
      await Promise.all(
        conversations.map(async (c, i) => {
          // The first messages of a conversation may wait for its account to be read: a minute.
          for (const text of job.warmUp[i] ?? []) samples.push(await roundTrip(job.domain, c, text, 60_000));
        }),
      );
      report({ type: 'warmed', samples });
    } else {
      const samples: [number, number, number][] = [];
      const began = performance.now();
      await Promise.all(
        conversations.map(async (c, i) => {
          const texts = job.measured[i] ?? [];
          const think = job.thinkMs ? pauses(i + 1, job.thinkMs) : undefined;
          for (let m = 0; m < texts.length; m++) {
            // Conversations start out of step too, as people do.
            if (think) await new Promise((resolve) => setTimeout(resolve, think()));
            samples.push([i, m, await roundTrip(job.domain, c, texts[m]!)]);
          }
        }),
      );
      report({ type: 'measured', samples, wallMs: performance.now() - began });
    }
  }
  for (const c of conversations) c.socket.close();
  agent.destroy();
}

if (parentPort) {
  const port = parentPort;
  main(workerData as ClientJob, port).catch((error: unknown) => {
    port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies ClientReport);
  });
}
