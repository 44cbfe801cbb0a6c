import type { CommandModule } from 'yargs';
import { listCommand } from './commands/list.js';
import { verifyCommand } from './commands/verify.js';

/** Every command the CLI offers; each module imports its library code lazily in its handler. */
export const commands = [listCommand, verifyCommand] as unknown as CommandModule[];
