import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../core/infra/embedded-database.js';
import { chromiumExecutable } from './chromium.js';

/**
 * One FerretDB for the whole run, in a temporary folder; each spec file takes its own database
 * on it (test/support/database.ts), so files never see each other's data.
 */
let server: EmbeddedDatabase | undefined;
let dir: string | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  // Browser tests need Debian's chromium: installed here (apt-get, as root) when missing, before
  // any test's timeout runs, rather than inside one.
  chromiumExecutable();
  dir = mkdtempSync(path.join(os.tmpdir(), 'cobrabot-test-db-'));
  server = await startEmbeddedDatabase({ dataDir: dir, reuse: false });
  process.env.COBRABOT_TEST_MONGODB = `mongodb://127.0.0.1:${server.port}`;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
