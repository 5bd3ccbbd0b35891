import { Command } from 'commander';
import { chatLinkCommand } from './cli/chat-link.command.js';
import { demoCommand } from './cli/demo.command.js';
import { importCommand } from './cli/import.command.js';
import { kpisCommand } from './cli/kpis.command.js';
import { serveCommand } from './cli/serve.command.js';

/**
 * `cobrabot <command>`: each command lives in app/cli/<name>.command.ts and registers itself
 * on the program here.
 */
export const program = new Command('cobrabot')
  .description('Cobrabot: collections assistant. Uses MONGODB_URI, or the embedded database in DATA_DIR.')
  .showHelpAfterError();

for (const register of [serveCommand, importCommand, kpisCommand, demoCommand, chatLinkCommand]) register(program);

await program.parseAsync(process.argv);
