import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium: the only browser the tests use; never a downloaded one. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Flags for a quiet, sandbox-free, network-silent headless run in containers. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium is missing and cannot be installed from here; the message says what to do. */
export class ChromiumUnavailableError extends Error {
  readonly code = 'CHROMIUM_UNAVAILABLE';
}

function found(): string | undefined {
  for (const file of CANDIDATES) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'EACCES') throw error;
    }
  }
  return undefined;
}

function apt(args: string[]): void {
  const run = spawnSync('apt-get', args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 10 * 60_000 });
  if (run.error || run.status !== 0) {
    const detail = run.error ? run.error.message : (run.stderr || run.stdout).trim().split('\n').slice(-3).join(' | ');
    throw new ChromiumUnavailableError(`apt-get ${args.join(' ')} failed: ${detail}`, { cause: run.error });
  }
}

/**
 * The path of Debian's chromium. When it is missing and this process runs as root, installs it
 * with apt-get (update first); otherwise fails with a message naming the command to run.
 */
export function chromiumExecutable(): string {
  const existing = found();
  if (existing) return existing;
  if (process.getuid?.() !== 0) {
    throw new ChromiumUnavailableError('chromium is not installed: run `sudo apt-get install -y chromium` (Debian/Ubuntu) and run the tests again');
  }
  process.stderr.write('chromium is missing: installing it with apt-get (once)...\n');
  apt(['update']);
  apt(['install', '-y', 'chromium']);
  const installed = found();
  if (!installed) throw new ChromiumUnavailableError(`apt-get installed chromium but none of ${CANDIDATES.join(', ')} exists`);
  return installed;
}

/** Starts headless Chromium with {@link CHROMIUM_ARGS}. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
}
