import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, type Database } from '../core/infra/database.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../core/infra/embedded-database.js';

/** A throw-away FerretDB for one benchmark, so figures never touch ./data. */
export interface BenchDatabase {
  readonly server: EmbeddedDatabase;
  /** Connects to a fresh database `name` on the server. */
  open(name: string): Promise<Database>;
  stop(): Promise<void>;
}

export async function startBenchDatabase(): Promise<BenchDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cobrabot-bench-'));
  const server = await startEmbeddedDatabase({ dataDir: dir, reuse: false });
  const open: Database[] = [];
  return {
    server,
    async open(name) {
      const db = await connectDatabase(`mongodb://127.0.0.1:${server.port}/${name}`);
      open.push(db);
      return db;
    },
    async stop() {
      for (const db of open) await db.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Peak resident set size sampled every 20 ms while `body` runs, in MiB. */
export async function measure<T>(body: () => Promise<T>): Promise<{ result: T; ms: number; peakRssMiB: number; peakHeapMiB: number }> {
  let peakRss = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 20);
  const start = process.hrtime.bigint();
  try {
    const result = await body();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    return { result, ms, peakRssMiB: peakRss / 2 ** 20, peakHeapMiB: peakHeap / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}
