import type { Command } from 'commander';
import { ServerStartError, startServer } from '../main.js';
import { reportFailure } from './run-action.js';

/**
 * `cobrabot serve` (what `npm start` runs): the HTTP server with its database. A bad
 * configuration value or a database that cannot start ends it with one line on stderr and exit
 * code 1, never a stack trace.
 */
export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('Start the server (npm start): MONGODB_URI, or the embedded database in DATA_DIR seeded with a demo portfolio when empty')
    .action(async () => {
      try {
        await startServer(process.env, process.stdout);
      } catch (error) {
        if (error instanceof ServerStartError) {
          process.stderr.write(`cobrabot: ${error.message}\n`);
        } else if (error instanceof Error && /^Mongo/.test(error.name)) {
          // Authentication, DNS or TLS failures of MONGODB_URI: the operator's to fix, not a bug.
          process.stderr.write(`cobrabot: cannot use the database: ${error.message.split('\n')[0]}\n`);
        } else {
          reportFailure(error);
        }
        // Exit now: a half-opened driver or timer must not keep a failed start alive.
        process.exit(1);
      }
    });
}
