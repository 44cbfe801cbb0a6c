// Writes src/formula/latex/katex-commands.ts, the commands KaTeX renders in math mode
// (`npm run latex:commands` after upgrading KaTeX). The LaTeX reader tells a typo (a command nobody
// knows: invalid) from notation it does not read (a command KaTeX renders: flagged for a person) by
// this list, so that reading an answer never loads KaTeX and reads the same in Node and the browser.
// test/formula/katex-commands.test.ts checks the file against the installed KaTeX.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const OUT = 'src/formula/latex/katex-commands.ts';

/** Whether KaTeX knows `\name` in math mode: it renders, or fails for a reason other than an undefined command (a missing argument). */
function knows(katex, name) {
  try {
    katex.renderToString(`\\${name}`, { throwOnError: true, strict: 'ignore' });
    return true;
  } catch (err) {
    return !String(err?.message).includes('Undefined control sequence');
  }
}

/** Every command named in KaTeX's source (functions, symbols, macros) that KaTeX knows, sorted. */
export function katexCommands() {
  const katex = require('katex');
  const source = readFileSync(require.resolve('katex/dist/katex.mjs'), 'utf8');
  const named = new Set([...source.matchAll(/"\\\\([A-Za-z]+)"/g)].map((m) => m[1]));
  // \show and kin print to the console while rendering.
  const log = console.log;
  console.log = () => {};
  try {
    return [...named].filter((name) => knows(katex, name)).sort();
  } finally {
    console.log = log;
  }
}

/** The TypeScript module holding `names`. */
export function katexCommandsModule(names) {
  const version = require('katex/package.json').version;
  const lines = [];
  for (let i = 0; i < names.length; i += 12) lines.push(`  ${names.slice(i, i + 12).map((n) => `'${n}'`).join(', ')},`);
  return [
    `/**`,
    ` * The commands KaTeX ${version} renders in math mode, written by scripts/katex-commands.mjs`,
    ` * (\`npm run latex:commands\`; do not edit). A command outside it is a typo; one in it that the reader`,
    ` * does not read is notation for a person to read.`,
    ` */`,
    `export const KATEX_COMMANDS: ReadonlySet<string> = new Set([`,
    ...lines,
    `]);`,
    ``,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const names = katexCommands();
  writeFileSync(OUT, katexCommandsModule(names));
  process.stdout.write(`${OUT}: ${names.length} commands\n`);
}
