import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { ensureGoTool, FERRETDB } from './go-tool.js';

/** A running MongoDB-compatible server for dev, CI and `npm start` without `MONGODB_URI`. */
export interface EmbeddedDatabase {
  /** Connection string including the database name. */
  readonly uri: string;
  readonly port: number;
  /** False when this process reuses an instance another process (`npm start`) runs. */
  readonly owned: boolean;
  /** Stops the server if this process started it; resolves when it has exited. */
  stop(): Promise<void>;
  /** Called once if the server exits without {@link EmbeddedDatabase.stop}, with a one-line reason. */
  onCrash(listener: (reason: string) => void): void;
}

export interface EmbeddedDatabaseOptions {
  /** Folder for the database files, the log and the lock file. */
  readonly dataDir: string;
  /** Database name in the returned URI. */
  readonly dbName?: string;
  /** Reuse an instance already serving `dataDir` (default true). */
  readonly reuse?: boolean;
  /** Where the install progress line goes. */
  readonly progress?: NodeJS.WritableStream;
  readonly readyTimeoutMs?: number;
}

/** The database could not start; the message is one line. */
export class EmbeddedDatabaseError extends Error {
  readonly code = 'EMBEDDED_DB_FAILED';
}

interface LockFile {
  pid: number;
  port: number;
}

const LOCK = 'ferretdb.json';
/**
 * SQLite settings of the embedded database, on top of FerretDB's own (WAL journal, 10 s busy
 * timeout). `synchronous(normal)`: in WAL mode a commit no longer waits for the disk, only a
 * checkpoint does. The database stays consistent whatever crashes; a power cut (not a crash of
 * a process) can lose the last commits. That is the trade for a development and test database
 * whose single writer otherwise spends most of each small transaction (a chat message, a state
 * save) waiting for fsync: concurrent inserts run about four times faster. Production points
 * MONGODB_URI at MongoDB.
 */
const SQLITE_OPTIONS = '_pragma=synchronous(normal)';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function answers(port: number, timeoutMs: number): Promise<boolean> {
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/`, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    directConnection: true,
  });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch (error) {
    if (error instanceof Error) return false;
    throw error;
  } finally {
    await client.close(true);
  }
}

function readLock(file: string): LockFile | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockFile>;
    return typeof parsed.pid === 'number' && typeof parsed.port === 'number' ? { pid: parsed.pid, port: parsed.port } : undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

function lastLogLine(logFile: string): string {
  if (!existsSync(logFile)) return '';
  const lines = readFileSync(logFile, 'utf8').trim().split('\n');
  return lines[lines.length - 1]?.slice(0, 300) ?? '';
}

/**
 * Starts FerretDB (SQLite backend) with its files in `dataDir`, or reuses the instance that
 * another process started there. FerretDB is built on first use (see {@link ensureGoTool}).
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const dbName = options.dbName ?? 'cobrabot';
  const lockFile = path.join(dataDir, LOCK);
  mkdirSync(dataDir, { recursive: true });

  const existing = readLock(lockFile);
  if (existing && alive(existing.pid) && (options.reuse ?? true) && (await answers(existing.port, 1500))) {
    return {
      uri: `mongodb://127.0.0.1:${existing.port}/${dbName}`,
      port: existing.port,
      owned: false,
      stop: async () => undefined,
      onCrash: () => undefined,
    };
  }
  if (existing && alive(existing.pid)) {
    throw new EmbeddedDatabaseError(`the database in ${dataDir} is held by process ${existing.pid}; stop it or use another DATA_DIR`);
  }

  const binary = await ensureGoTool(FERRETDB, options.progress);
  const sqliteDir = path.join(dataDir, 'ferretdb');
  mkdirSync(sqliteDir, { recursive: true });
  const port = await freePort();
  const logFile = path.join(dataDir, 'ferretdb.log');
  const logFd = openSync(logFile, 'a');
  // --debug-addr=- : otherwise every instance binds 127.0.0.1:8088 and a second one fails.
  // --state-dir     : otherwise state.json lands in the working directory.
  const child: ChildProcess = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${sqliteDir}/?${SQLITE_OPTIONS}`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${sqliteDir}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    // Its own process group: a Ctrl+C in the terminal reaches only us, and we stop it in order.
    { stdio: ['ignore', logFd, logFd], detached: true },
  );
  closeSync(logFd);
  if (child.pid === undefined) throw new EmbeddedDatabaseError(`could not start ${binary}`);
  writeFileSync(lockFile, JSON.stringify({ pid: child.pid, port } satisfies LockFile));

  let stopping = false;
  let exited = false;
  const crashListeners: ((reason: string) => void)[] = [];
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true;
      if (readLock(lockFile)?.pid === child.pid) rmSync(lockFile, { force: true });
      process.off('exit', killOnExit);
      if (!stopping) {
        const why = signal ? `signal ${signal}` : `exit code ${code}`;
        const reason = `The database (FerretDB) stopped unexpectedly (${why}); see ${logFile}${lastLogLine(logFile) ? `: ${lastLogLine(logFile)}` : ''}`;
        for (const l of crashListeners.splice(0)) l(reason);
      }
      resolve();
    });
  });
  // A parent that dies must not leave the server holding the data directory.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  while (!(await answers(port, 300))) {
    if (exited) throw new EmbeddedDatabaseError(`the database (FerretDB) did not start: ${lastLogLine(logFile) || 'no output'}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new EmbeddedDatabaseError(`the database (FerretDB) did not answer within ${options.readyTimeoutMs ?? 20_000} ms; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    uri: `mongodb://127.0.0.1:${port}/${dbName}`,
    port,
    owned: true,
    onCrash: (l) => void crashListeners.push(l),
    stop: async () => {
      if (exited) return;
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
