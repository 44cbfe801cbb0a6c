import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { KATEX_COMMANDS } from '../../src/formula/latex/katex-commands.js';
import { katexCommands, katexCommandsModule } from '../../scripts/katex-commands.mjs';

/** The LaTeX reader's list of commands KaTeX renders: a typo (invalid) is told from notation it does not read (review) by it. */
describe('the KaTeX command list', () => {
  test('is the one written from the installed KaTeX (run npm run latex:commands after upgrading it)', () => {
    const file = readFileSync(new URL('../../src/formula/latex/katex-commands.ts', import.meta.url), 'utf8');
    expect(file).toBe(katexCommandsModule(katexCommands()));
  });

  test('holds the commands students write and not their typos', () => {
    for (const name of ['frac', 'Rightarrow', 'hat', 'vec', 'ldots', 'mathbb', 'lVert', 'Tr']) expect(KATEX_COMMANDS.has(name), name).toBe(name !== 'Tr');
    for (const typo of ['odto', 'fracc', 'nabal']) expect(KATEX_COMMANDS.has(typo), typo).toBe(false);
  });
});
