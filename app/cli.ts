import { Command } from 'commander';

/**
 * `cobrabot <command>`: each command lives in app/cli/<name>.command.ts and registers itself
 * on the program here.
 */
export const program = new Command('cobrabot')
  .description('Cobrabot: collections assistant. Uses MONGODB_URI, or the embedded database in DATA_DIR.')
  .showHelpAfterError();

const commands: ((program: Command) => void)[] = [];

for (const register of commands) register(program);

await program.parseAsync(process.argv);
