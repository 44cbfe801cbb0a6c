import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands.js';
import { EXIT_BAD_INPUT, reportUsageError } from './exit.js';

// Start-up phases are marked (User Timing) for bench/cli-latency.ts; a mark costs a microsecond.
performance.mark('cli: modules loaded');

// A reader that closes early (`derivcheck list | head`) is not an error: stop quietly instead of crashing.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// Heavy modules (mathjs, the problem registry) are imported inside each command's handler, so that
// `derivcheck --help` starts in well under half a second.
const cli = yargs(hideBin(process.argv))
  .scriptName('derivcheck')
  .usage('$0 <command> [options]\n\nChecks gradient derivations against finite differences of the forward computation.')
  .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output (schema: docs/cli.md)' })
  .option('seed', { type: 'number', describe: 'Seed for every random draw (printed with each result)' })
  .option('quiet', { type: 'boolean', default: false, describe: 'Print only the verdict lines' })
  .strict()
  .demandCommand(1, 'Name a command: derivcheck <command> --help shows its options.')
  .recommendCommands()
  .help()
  .alias('help', 'h')
  .version()
  .wrap(Math.min(110, process.stdout.columns || 110))
  .fail((message, error) => {
    if (error) throw error;
    // yargs reads a value that starts with '-' as options (-sum(...) as -s -u -m): say how to attach it.
    const hint = /Unknown argument/.test(message) ? "\nA formula that starts with '-' must be attached to its option: --grad='-X'' * dY' or --loss=\"-sum(...)\"." : '';
    reportUsageError(message + hint);
    process.exit(EXIT_BAD_INPUT);
  });

for (const command of commands) cli.command(command);

await cli.parseAsync();
