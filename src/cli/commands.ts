import type { CommandModule } from 'yargs';
import { checkCommand } from './commands/check.js';
import { evalCommand } from './commands/eval.js';
import { gradeCommand } from './commands/grade.js';
import { listCommand } from './commands/list.js';
import { verifyCommand } from './commands/verify.js';
import { webCommand } from './commands/web.js';

/** Every command the CLI offers; each module imports its library code lazily in its handler. */
export const commands = [listCommand, verifyCommand, evalCommand, checkCommand, gradeCommand, webCommand] as unknown as CommandModule[];
