import { ConfigError, loadConfig, type Config } from '../../core/infra/config.js';
import { EmbeddedDatabaseError } from '../../core/infra/embedded-database.js';
import { ToolInstallError } from '../../core/infra/go-tool.js';
import { openRuntime, type Runtime } from '../runtime.js';

/** An error a command reports as one line (exit 1), without a stack trace. */
export class CliError extends Error {
  readonly code: string;
  constructor(message: string, code = 'CLI_ERROR') {
    super(message);
    this.code = code;
  }
}

const ONE_LINE = [CliError, ConfigError, EmbeddedDatabaseError, ToolInstallError];

/** Prints an expected failure as one line and sets the exit code; rethrows bugs. */
export function reportFailure(error: unknown): void {
  if (ONE_LINE.some((kind) => error instanceof kind)) {
    process.stderr.write(`cobrabot: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  if (error instanceof Error && /ECONNREFUSED|Server selection timed out|MongoServerSelectionError/.test(`${error.name} ${error.message}`)) {
    process.stderr.write(`cobrabot: cannot reach the database: ${error.message.split('\n')[0]}\n`);
    process.exitCode = 1;
    return;
  }
  throw error;
}

/** Runs a command body with config and an open runtime, closing it afterwards. */
export async function withRuntime(body: (runtime: Runtime) => Promise<void>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let runtime: Runtime | undefined;
  try {
    const config: Config = loadConfig(env);
    runtime = await openRuntime(config);
    await body(runtime);
  } catch (error) {
    reportFailure(error);
  } finally {
    await runtime?.close();
  }
}
