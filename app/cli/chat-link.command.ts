import type { Command } from 'commander';
import { buildDebtorAssistant } from '../assistant.js';
import { chatLinkUrl } from '../chat-link-url.js';
import { CliError, withRuntime } from './run-action.js';

/**
 * `cobrabot chat-link DEBTOR_ID [--hours N]`: prints `PUBLIC_URL/chat?lang=LANG&t=TOKEN`, a web
 * chat link that opens already verified as that debtor, in the debtor's language (send it only
 * to the debtor: it shows the debt).
 */
export function chatLinkCommand(program: Command): void {
  program
    .command('chat-link <debtorId>')
    .description('Print a web chat URL that opens already verified as the debtor (PUBLIC_URL/chat?lang=LANG&t=TOKEN)')
    .option('--hours <n>', 'how long the link stays valid, in hours (1-720)', '72')
    .action((debtorId: string, opts: { hours: string }) =>
      withRuntime(async (runtime) => {
        const hours = Number(opts.hours);
        if (!Number.isInteger(hours) || hours < 1 || hours > 720) throw new CliError(`--hours: must be a whole number from 1 to 720 (got "${opts.hours}")`, 'BAD_OPTION');
        const assistant = buildDebtorAssistant(runtime, { creditorName: runtime.config.creditorName });
        const profile = await assistant.profile(debtorId);
        if (!profile) throw new CliError(`no debtor with debtor_id ${debtorId}`, 'UNKNOWN_DEBTOR');
        const token = await assistant.issueLinkToken(profile.debtorId, hours * 3600);
        process.stdout.write(`${chatLinkUrl(runtime.config.publicUrl, token, profile.language)}\n`);
      }),
    );
}
