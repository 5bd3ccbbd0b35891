import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectDatabase } from '../../core/infra/database.js';
import { freshDatabaseUri } from '../support/database.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CONFIG_VARS = [
  'MONGODB_URI', 'DATA_DIR', 'PORT', 'PUBLIC_URL', 'ADMIN_API_TOKEN', 'DEFAULT_LOCALE', 'DEFAULT_TIMEZONE', 'COLLECTION_POLICY',
  'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_API_BASE', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_API_ROOT',
  'TELEGRAM_WEBHOOK_SECRET', 'WHATSAPP_ENABLED', 'LOG_LEVEL',
];

/** `node bin/cobrabot.js serve` as `npm start` runs it, with its output collected. */
class Serve {
  readonly proc: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: Record<string, string>) {
    const clean: NodeJS.ProcessEnv = { ...process.env };
    for (const name of CONFIG_VARS) delete clean[name];
    this.proc = spawn(process.execPath, ['bin/cobrabot.js', 'serve'], { cwd: ROOT, env: { ...clean, LOG_LEVEL: 'warn', ...env } });
    this.proc.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    this.proc.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Resolves once the banner is complete; rejects if the process exits first. */
  async banner(timeoutMs = 20_000): Promise<{ url: string; token?: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stdout.includes('Stop with Ctrl+C.')) {
      if (!this.running) throw new Error(`serve exited before its banner: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no banner within ${timeoutMs} ms; stdout: ${this.stdout}; stderr: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const port = /^Cobrabot is running at http:\/\/localhost:(\d+)/m.exec(this.stdout)?.[1];
    if (!port) throw new Error(`no URL in the banner: ${this.stdout}`);
    const token = /^ {2}Admin token +([A-Za-z0-9_-]{16,})(?: |$)/m.exec(this.stdout)?.[1];
    return { url: `http://127.0.0.1:${port}`, token };
  }

  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.proc.kill('SIGTERM');
    return this.exited;
  }
}

/** Kills what a failed test left behind: the server, then a FerretDB it had started. */
async function cleanUp(serve: Serve | undefined, dataDir: string | undefined): Promise<void> {
  if (serve?.running) {
    serve.proc.kill('SIGKILL');
    await serve.exited;
  }
  const lock = dataDir ? path.join(dataDir, 'ferretdb.json') : undefined;
  if (lock && existsSync(lock)) {
    const { pid } = JSON.parse(readFileSync(lock, 'utf8')) as { pid: number };
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

describe('cobrabot serve (npm start)', function () {
  this.timeout(30_000);

  describe('with a bad configuration value', () => {
    for (const [variable, value] of [['PORT', 'abc'], ['DEFAULT_TIMEZONE', 'Mars/Olympus']] as const) {
      it(`stops on ${variable}=${value} with exit code 1 and one line naming it, no stack trace`, async () => {
        const serve = new Serve({ [variable]: value, MONGODB_URI: 'mongodb://127.0.0.1:1/never-used' });
        const { code } = await serve.exited;
        expect(code).to.equal(1);
        expect(serve.stderr.endsWith('\n')).to.equal(true);
        const lines = serve.stderr.trimEnd().split('\n');
        expect(lines, serve.stderr).to.have.length(1);
        expect(lines[0]).to.include(variable).and.include(value);
        expect(serve.stderr).not.to.match(/\bat .*:\d+:\d+/);
        expect(serve.stdout).to.equal('');
      });
    }
  });

  it('stops with exit code 1 and one line when the database cannot start', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cobrabot-serve-held-'));
    try {
      // A live process (this one) holds the data directory but serves no database there.
      writeFileSync(path.join(dataDir, 'ferretdb.json'), JSON.stringify({ pid: process.pid, port: 1 }));
      const serve = new Serve({ DATA_DIR: dataDir, PORT: '0' });
      const { code } = await serve.exited;
      expect(code).to.equal(1);
      const lines = serve.stderr.trimEnd().split('\n');
      expect(lines, serve.stderr).to.have.length(1);
      expect(lines[0]).to.match(/^cobrabot: .*held by process/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('with the embedded database in an empty DATA_DIR', () => {
    let dataDir: string;
    let serve: Serve | undefined;
    let first: { url: string; token?: string };

    before(() => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'cobrabot-serve-'));
    });
    afterEach(async function () {
      if (this.currentTest?.state === 'failed') await cleanUp(serve, dataDir);
    });
    after(async () => {
      await cleanUp(serve, dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('seeds the demo portfolio and prints the URLs, the admin token and how to import', async () => {
      serve = new Serve({ DATA_DIR: dataDir, PORT: '0' });
      first = await serve.banner();
      const port = new URL(first.url).port;
      const out = serve.stdout;
      expect(out).to.include(`http://localhost:${port}/healthz`);
      expect(out).to.include(`http://localhost:${port}/metrics`);
      expect(out).to.include(`http://localhost:${port}/api/v1`);
      expect(out).to.match(/seeded: 2\d debtors/);
      expect(out).to.include('npx cobrabot import');
      expect(out).to.include(`curl -X POST http://localhost:${port}/api/v1/imports`);
      expect(first.token, out).to.be.a('string');
      const health = await fetch(`${first.url}/healthz`);
      expect(health.status).to.equal(200);
    });

    it('prints a verified demo chat link in Spanish and one in English, each opening in its language', () => {
      const links = [...serve!.stdout.matchAll(/Demo chat +(.+?): (http:\/\/localhost:\d+\/chat\?\S+)/g)].map((m) => [m[1], new URL(m[2]!)] as const);
      expect(links.map(([label]) => label)).to.deep.equal(['María Fernanda Gómez Ruiz (DEMO-001, español)', 'Emily Carter Whitfield (DEMO-016, English)']);
      expect(links.map(([, url]) => url.searchParams.get('lang'))).to.deep.equal(['es', 'en']);
      for (const [, url] of links) expect(url.searchParams.get('t')).to.match(/^[\w-]{20,}$/);
    });

    it('prints no URL that answers 404', async () => {
      // Every URL printed, except the imports endpoint, which is POST only.
      const urls = (serve!.stdout.match(/http:\/\/localhost:\d+[^\s,)]*/g) ?? []).filter((u) => !u.endsWith('/imports'));
      expect(urls).to.have.length.of.at.least(4);
      for (const url of new Set(urls)) {
        const res = await fetch(url.replace('localhost', '127.0.0.1'), { headers: { authorization: `Bearer ${first.token}` } });
        expect(res.status, url).not.to.equal(404);
      }
    });

    it('keeps the generated admin token in DATA_DIR/admin-token, readable by the owner only', () => {
      const file = path.join(dataDir, 'admin-token');
      expect(readFileSync(file, 'utf8').trim()).to.equal(first.token);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
    });

    it('serves KPIs of the demo in MXN and USD with the printed token', async () => {
      const res = await fetch(`${first.url}/api/v1/kpis`, { headers: { authorization: `Bearer ${first.token}` } });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).to.include.keys('MXN', 'USD');
    });

    it('exits 0 on SIGTERM and stops the embedded database (lock file gone)', async () => {
      expect(existsSync(path.join(dataDir, 'ferretdb.json'))).to.equal(true);
      const { code } = await serve!.stop();
      expect(code).to.equal(0);
      expect(existsSync(path.join(dataDir, 'ferretdb.json'))).to.equal(false);
    });

    it('reuses the token and does not seed again on the next start', async () => {
      serve = new Serve({ DATA_DIR: dataDir, PORT: '0' });
      const second = await serve.banner();
      expect(second.token).to.equal(first.token);
      expect(serve.stdout).to.include('not seeded: the database already holds a portfolio');
      expect((await serve.stop()).code).to.equal(0);
    });
  });

  it('exits 1 with the one-line reason when the embedded database crashes', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cobrabot-serve-crash-'));
    const serve = new Serve({ DATA_DIR: dataDir, PORT: '0' });
    try {
      await serve.banner();
      const { pid } = JSON.parse(readFileSync(path.join(dataDir, 'ferretdb.json'), 'utf8')) as { pid: number };
      process.kill(pid, 'SIGKILL');
      const { code } = await serve.exited;
      expect(code).to.equal(1);
      const lines = serve.stderr.trimEnd().split('\n');
      expect(lines.filter((l) => /stopped unexpectedly/.test(l)), serve.stderr).to.have.length(1);
      expect(lines[lines.length - 1]).to.match(/^cobrabot: The database \(FerretDB\) stopped unexpectedly \(signal SIGKILL\)/);
    } finally {
      await cleanUp(serve, dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('with MONGODB_URI', () => {
    let serve: Serve | undefined;
    afterEach(() => cleanUp(serve, undefined));

    it('never seeds it, and leaves the admin API disabled with a one-line warning when ADMIN_API_TOKEN is unset', async () => {
      const uri = freshDatabaseUri();
      serve = new Serve({ MONGODB_URI: uri, PORT: '0', DATA_DIR: path.join(os.tmpdir(), 'cobrabot-unused-data-dir') });
      const { url, token } = await serve.banner();
      expect(token).to.equal(undefined);
      expect(serve.stdout).not.to.match(/seeded: \d/);
      expect(serve.stderr.trimEnd().split('\n').filter((l) => /admin API is disabled/.test(l))).to.have.length(1);
      const kpis = await fetch(`${url}/api/v1/kpis`);
      expect(kpis.status).to.equal(503);
      const db = await connectDatabase(uri);
      try {
        expect(await db.models.Debtor.countDocuments()).to.equal(0);
      } finally {
        await db.connection.dropDatabase();
        await db.close();
      }
      expect((await serve.stop()).code).to.equal(0);
    });
  });
});
