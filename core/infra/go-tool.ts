import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A Go program the project builds from source at a pinned version (DESIGN.md section 4). */
export interface GoTool {
  readonly name: string;
  readonly binary: string;
  /** Module path plus the package to build, for `go install`. */
  readonly module: string;
  readonly version: string;
  /**
   * Some modules refuse to run when built by a plain `go install` because a generated file is
   * missing from the published source. Then the published source is copied, the file written the
   * way the project's own build writes it, and the package built with `go build`.
   */
  readonly fromSource?: { readonly modulePath: string; readonly packageDir: string; readonly generated: Readonly<Record<string, string>> };
}

export const FERRETDB: GoTool = {
  name: 'FerretDB',
  binary: 'ferretdb',
  module: 'github.com/FerretDB/FerretDB/cmd/ferretdb',
  version: 'v1.24.2',
  // FerretDB panics at start-up without build/version/version.txt, which its release tooling
  // generates and the module zip lacks.
  fromSource: { modulePath: 'github.com/FerretDB/FerretDB', packageDir: './cmd/ferretdb', generated: { 'build/version/version.txt': 'v1.24.2\n' } },
};

export const STRIPE_MOCK: GoTool = {
  name: 'stripe-mock',
  binary: 'stripe-mock',
  module: 'github.com/stripe/stripe-mock',
  version: 'v0.203.0',
};

/** Project root: two levels above this file. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The git-ignored folder built tools go to (`COBRABOT_TOOLS_DIR` overrides). */
export function toolsDir(): string {
  return path.resolve(process.env.COBRABOT_TOOLS_DIR ?? path.join(PROJECT_ROOT, '.tools', 'bin'));
}

/** Building a tool failed; the message says why in one line. */
export class ToolInstallError extends Error {
  readonly code = 'TOOL_INSTALL_FAILED';
}

function findGo(): string {
  const candidates = [process.env.GO_BIN, ...String(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'go')), '/usr/local/go/bin/go'];
  const found = candidates.find((c): c is string => Boolean(c) && existsSync(c as string));
  if (!found) {
    throw new ToolInstallError('Go is needed to build the embedded database the first time: install Go 1.22+ (or set MONGODB_URI to use your own MongoDB)');
  }
  return found;
}

const pending = new Map<string, Promise<string>>();

/**
 * Returns the path of the tool's binary, building it with `go install` on first use.
 * Prints one progress line (updated in place on a terminal) while it builds.
 */
export function ensureGoTool(tool: GoTool, progress: NodeJS.WritableStream = process.stderr): Promise<string> {
  const key = tool.binary;
  let p = pending.get(key);
  if (!p) {
    p = install(tool, progress);
    pending.set(key, p);
    p.catch(() => pending.delete(key));
  }
  return p;
}

async function install(tool: GoTool, progress: NodeJS.WritableStream): Promise<string> {
  const dir = toolsDir();
  const bin = path.join(dir, tool.binary);
  const marker = `${bin}.version`;
  const stamp = `${tool.version}${tool.fromSource ? ' (built from module source)' : ''}`;
  if (existsSync(bin) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === stamp) return bin;
  mkdirSync(dir, { recursive: true });
  const go = findGo();
  const tty = 'isTTY' in progress && Boolean((progress as NodeJS.WriteStream).isTTY);
  const started = Date.now();
  const line = (extra: string) => `Installing ${tool.name} ${tool.version} into ${path.relative(process.cwd(), dir) || dir} (first run only)${extra}`;
  progress.write(tty ? line('…') : `${line('…')}\n`);
  const ticker = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000);
    progress.write(tty ? `\r${line(`… ${s}s`)}` : `${line(`: still building, ${s}s`)}\n`);
  }, 15_000);
  ticker.unref();
  try {
    const env = { ...process.env, GOBIN: dir, CGO_ENABLED: '0' };
    if (tool.fromSource) {
      const { modulePath, packageDir, generated } = tool.fromSource;
      const info = JSON.parse(await run(go, ['mod', 'download', '-json', `${modulePath}@${tool.version}`], env, os.tmpdir())) as { Dir?: string };
      if (!info.Dir) throw new ToolInstallError(`go mod download gave no source folder for ${modulePath}@${tool.version}`);
      const work = mkdtempSync(path.join(os.tmpdir(), `cobrabot-${tool.binary}-`));
      try {
        cpSync(info.Dir, work, { recursive: true });
        makeWritable(work);
        for (const [file, content] of Object.entries(generated)) writeFileSync(path.join(work, file), content);
        await run(go, ['build', '-buildvcs=false', '-o', bin, packageDir], env, work);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    } else {
      await run(go, ['install', `${tool.module}@${tool.version}`], env, os.tmpdir());
    }
    if (!existsSync(bin)) throw new ToolInstallError(`building ${tool.name} ${tool.version} left no ${bin}`);
  } finally {
    clearInterval(ticker);
  }
  writeFileSync(marker, `${stamp}\n`);
  progress.write(`${tty ? '\r' : ''}${line(`: done in ${Math.round((Date.now() - started) / 1000)}s`)}\n`);
  return bin;
}

/** The module cache is read-only; a copy must be writable to add generated files and to delete. */
function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(p);
    else chmodSync(p, 0o644);
  }
}

async function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (d: string) => out.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => err.push(d));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) {
    const last = err.join('').trim().split('\n').slice(-1)[0] ?? '';
    throw new ToolInstallError(`go ${args[0]} failed (exit ${code}): ${last}`);
  }
  return out.join('');
}
