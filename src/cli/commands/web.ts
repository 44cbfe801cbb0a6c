import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../exit.js';
import type { CommonOptions } from '../output.js';
import { runCommand } from '../run.js';

interface WebArgs extends CommonOptions {
  port: number;
  host: string;
}

/** The port tried first; when it is taken, any free port. */
const DEFAULT_PORT = 8080;

/**
 * The built site (`npm run build:web`): dist/web beside dist/cli, where the CLI's bundle runs from
 * (scripts/build-cli.mjs); from its TypeScript source (tests), the repository's dist/web.
 */
const SITE_DIR = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../../dist/web/' : '../web/', import.meta.url));

function isAddressInUse(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
}

async function web(args: WebArgs): Promise<number> {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new UsageError('--port', `'${args.port}' is not a port`, 'an integer in 0..65535 (0: any free port)', '--port 8080');
  if (!existsSync(`${SITE_DIR}index.html`)) throw new UsageError('web', `the playground is not built (${SITE_DIR} has no index.html)`, 'a built site', 'npm run build:web');
  const { serveDirectory } = await import('../static-server.js');
  let server;
  try {
    server = await serveDirectory(SITE_DIR, args.host, args.port);
  } catch (err) {
    if (!isAddressInUse(err)) throw err;
    if (args.port !== DEFAULT_PORT) throw new UsageError('--port', `port ${args.port} is in use`, 'a free port (0: any free port)', '--port 0');
    server = await serveDirectory(SITE_DIR, args.host, 0);
  }
  process.stdout.write(`derivcheck playground: ${server.url}\n(the page runs every check in the browser; Ctrl-C stops the server)\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  await server.close();
  return 0;
}

export const webCommand: CommandModule<object, WebArgs> = {
  command: 'web',
  describe: 'Serve the browser playground on localhost and print its URL (the checks run in the page)',
  builder: (y) =>
    y
      .option('port', { type: 'number', default: DEFAULT_PORT, describe: 'Port to listen on (when the default is taken, any free port; 0: any free port)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to listen on' })
      .example('$0 web', 'serve the playground on http://127.0.0.1:8080/') as unknown as Argv<WebArgs>,
  handler: (args) => runCommand(() => web(args)),
};
