import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../app/http/server.js';
import { loadConfig } from '../../../core/infra/config.js';
import { connectDatabase, type Database } from '../../../core/infra/database.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../../core/infra/embedded-database.js';

/** Each test runs its own FerretDB, since it takes it down. */
describe('GET /healthz with the database down', () => {
  let dir: string;
  let server: EmbeddedDatabase;
  let db: Database;
  let app: FastifyInstance;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cobrabot-healthz-'));
    server = await startEmbeddedDatabase({ dataDir: dir, reuse: false });
    db = await connectDatabase(server.uri);
    app = await buildServer({ config: loadConfig({ DATA_DIR: dir }), db, embedded: server, close: async () => undefined }, {});
    const before = await app.inject('/healthz');
    expect(before.statusCode).to.equal(200);
  });

  afterEach(async () => {
    await app.close();
    // The MongoDB driver can wait forever to end its sessions on a connection whose server was
    // killed (a write that never drains): do not let that hang the suite.
    await Promise.race([db.close(), new Promise((resolve) => setTimeout(resolve, 1000))]);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function timedHealth(): Promise<{ status: number; body: unknown; ms: number }> {
    const start = Date.now();
    const res = await app.inject('/healthz');
    return { status: res.statusCode, body: res.json(), ms: Date.now() - start };
  }

  it('answers 503 degraded within 3 s after the database process is killed', async () => {
    const crashed = new Promise<string>((resolve) => server.onCrash(resolve));
    const { pid } = JSON.parse(readFileSync(path.join(dir, 'ferretdb.json'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
    await crashed;
    const res = await timedHealth();
    expect(res.status).to.equal(503);
    expect(res.body).to.deep.equal({ status: 'degraded', db: 'down' });
    expect(res.ms).to.be.below(3000);
    const again = await timedHealth();
    expect(again.status).to.equal(503);
    expect(again.ms).to.be.below(3000);
  });

  // FerretDB takes ~3 s to stop while a client is connected: that is the database's shutdown,
  // not the health check.
  it('answers 503 degraded within 3 s after the database is stopped', async () => {
    await server.stop();
    const res = await timedHealth();
    expect(res.status).to.equal(503);
    expect(res.body).to.deep.equal({ status: 'degraded', db: 'down' });
    expect(res.ms).to.be.below(3000);
  });
});
