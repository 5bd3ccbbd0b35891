import { expect } from 'chai';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedDatabase } from '../../../core/infra/embedded-database.js';

describe('embedded database (FerretDB)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cobrabot-embedded-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on a free loopback port, keeps its files in the data dir and stores documents', async () => {
    const db = await startEmbeddedDatabase({ dataDir: dir });
    try {
      expect(db.owned).to.equal(true);
      expect(db.uri).to.match(/^mongodb:\/\/127\.0\.0\.1:\d+\/cobrabot$/);
      const client = await MongoClient.connect(db.uri);
      await client.db().collection('probe').insertOne({ _id: 'x' as never, v: 1 });
      expect(await client.db().collection('probe').countDocuments()).to.equal(1);
      await client.close();
      expect(existsSync(path.join(dir, 'ferretdb'))).to.equal(true);
      expect(existsSync(path.join(dir, 'ferretdb.json'))).to.equal(true);
    } finally {
      await db.stop();
    }
    expect(existsSync(path.join(dir, 'ferretdb.json'))).to.equal(false);
  });

  it('lets a second process (a CLI command) reuse the running instance', async () => {
    const first = await startEmbeddedDatabase({ dataDir: dir });
    try {
      const second = await startEmbeddedDatabase({ dataDir: dir });
      expect(second.owned).to.equal(false);
      expect(second.port).to.equal(first.port);
      await second.stop();
      const client = await MongoClient.connect(first.uri, { serverSelectionTimeoutMS: 2000 });
      await client.db().command({ ping: 1 });
      await client.close();
    } finally {
      await first.stop();
    }
  });

  it('keeps data across a restart', async () => {
    const a = await startEmbeddedDatabase({ dataDir: dir });
    let client = await MongoClient.connect(a.uri);
    await client.db().collection('kept').insertOne({ n: 42 });
    await client.close();
    await a.stop();
    const b = await startEmbeddedDatabase({ dataDir: dir });
    client = await MongoClient.connect(b.uri);
    expect((await client.db().collection('kept').findOne({}))?.n).to.equal(42);
    await client.close();
    await b.stop();
  });

  it('reports a crash in one line naming the log', async () => {
    const db = await startEmbeddedDatabase({ dataDir: dir });
    const reason = new Promise<string>((resolve) => db.onCrash(resolve));
    const lock = JSON.parse((await import('node:fs')).readFileSync(path.join(dir, 'ferretdb.json'), 'utf8')) as { pid: number };
    process.kill(lock.pid, 'SIGKILL');
    const line = await reason;
    expect(line).to.match(/^The database \(FerretDB\) stopped unexpectedly \(signal SIGKILL\); see .*ferretdb\.log/);
    expect(line).not.to.include('\n');
  });
});
