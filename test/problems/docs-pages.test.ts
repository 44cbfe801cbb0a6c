import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import type { Problem } from '../../src/problem/types.js';

/**
 * The closed-form and mistake tables of a problem's docs page are generated from the problem (for a
 * shipped question, from its file): a page that marks them as generated must hold exactly what the
 * problem says. `UPDATE_DOCS=1 npx vitest run test/problems/docs-pages.test.ts` rewrites them.
 */

const DOCS = new URL('../../docs/problems/', import.meta.url);
const SHIPPED = new URL('../../problems/', import.meta.url);

/** A table cell: a formula as code, with the pipe escaped so that it does not end the cell. */
const code = (text: string): string => `\`${text.replace(/\|/g, '\\|')}\``;
const cell = (text: string): string => text.replace(/\|/g, '\\|');

function closedFormsTable(problem: Problem): string {
  const rows = problem.targets.flatMap((t) => t.closedForms.map((c) => `| ${t.name} | ${cell(c.style)} | ${code(c.formula)} |`));
  return ['| target | style | formula |', '|---|---|---|', ...rows].join('\n');
}

function mistakesTable(problem: Problem): string {
  const rows = problem.targets.flatMap((t) => t.mistakes.map((m) => `| ${t.name} | ${m.label} | ${code(m.formula)} | ${cell(m.why)} |`));
  return ['| target | label | formula | why it is wrong |', '|---|---|---|---|', ...rows].join('\n');
}

const TABLES: Readonly<Record<string, (p: Problem) => string>> = { 'closed forms': closedFormsTable, mistakes: mistakesTable };

/** `<!-- generated: closed forms of problems/x.yaml ... -->` TABLE `<!-- end generated -->`. */
const BLOCK = /(<!-- generated: (closed forms|mistakes) [^>]*-->\n)([\s\S]*?)(\n<!-- end generated -->)/g;

function regenerate(page: string, problem: Problem): string {
  return page.replace(BLOCK, (_all, open: string, kind: string, _old: string, close: string) => `${open}${TABLES[kind]!(problem)}${close}`);
}

const shipped = readdirSync(SHIPPED).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));

describe('docs/problems pages', () => {
  test.each(shipped)('%s: the page of a shipped question has its tables generated from the file', (id) => {
    const page = readFileSync(new URL(`${id}.md`, DOCS), 'utf8');
    expect(page).toContain(`Question file: \`problems/${id}.yaml\``);
    expect([...page.matchAll(BLOCK)].map((m) => m[2])).toEqual(['closed forms', 'mistakes']);
  });

  test.each(problems.map((p) => [p.id, p] as const))('%s: generated tables agree with the problem', (id, problem) => {
    const file = new URL(`${id}.md`, DOCS);
    const page = readFileSync(file, 'utf8');
    const fresh = regenerate(page, problem);
    if (fresh !== page && process.env['UPDATE_DOCS']) writeFileSync(file, fresh);
    else expect(page, `docs/problems/${id}.md disagrees with its problem; UPDATE_DOCS=1 rewrites its generated tables`).toBe(fresh);
  });
});
