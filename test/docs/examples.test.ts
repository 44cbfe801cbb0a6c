/**
 * The command examples of the README and docs/ are what the CLI prints today: every `$ derivcheck ...`
 * line in a fenced block is run (the built CLI, in a copy of the files the examples read) and the lines
 * shown below it must appear in its output, in order. A `...` line in the docs stands for lines left
 * out; timings are compared as "a time". A fenced block after a comment `<!-- ... saved as NAME ... -->`
 * is a file the reader is asked to save: it is written as NAME before the commands run. An example that names a file the repository does not hold (a
 * reader's own `submissions/`) is listed as not run, so a typo in a path does not pass unnoticed.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'shell-quote';
import { afterAll, describe, expect, test } from 'vitest';
import { runCliAsync } from '../cli/run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The folders the examples read, copied so that an example's output files stay out of the checkout. */
const EXAMPLE_INPUTS = ['docs/examples', 'test/grade/fixtures'];
/** Examples that name a file nobody ships, on purpose: a reader's own folder or question file. */
const NOT_RUN = [/\bsubmissions\//, /\bhw3\//, /--questions dense-layer\.yaml/];

interface Example {
  readonly file: string;
  readonly line: number;
  readonly command: string;
  readonly shown: readonly string[];
}

/** The `$ derivcheck` commands of a markdown file's fenced blocks, each with the output lines shown below it. */
function examplesOf(file: string): Example[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const examples: Example[] = [];
  let inBlock = false;
  let current: { line: number; command: string; shown: string[] } | undefined;
  const close = () => {
    if (current) examples.push({ file, ...current });
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.startsWith('```')) {
      close();
      inBlock = !inBlock;
      continue;
    }
    if (!inBlock) continue;
    if (text.startsWith('$ ')) {
      close();
      let command = text.slice(2);
      const line = i + 1;
      while (command.endsWith('\\') && i + 1 < lines.length) command = `${command.slice(0, -1)} ${lines[++i]!.trim()}`;
      if (/^(npx )?derivcheck /.test(command)) current = { line, command: command.replace(/^npx /, ''), shown: [] };
    } else current?.shown.push(text);
  }
  return examples;
}

/** What does not repeat from run to run (wall times), and what only spaces a table out. */
function normalised(line: string): string {
  return line
    .replace(/\d+(\.\d+)? (ms|s)\b/g, '<time>')
    .replace(/"execution_time": [\d.]+/g, '"execution_time": <time>')
    .replace(/─+/g, '─')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The shown lines that are missing from `output`, taken in order (`...` skips any number of lines). */
function missingLines(shown: readonly string[], output: string): string[] {
  const actual = output.split('\n').map(normalised);
  const missing: string[] = [];
  let at = 0;
  for (const line of shown.map(normalised)) {
    if (line === '' || line === '...') continue;
    const found = actual.indexOf(line, at);
    if (found < 0) missing.push(line);
    else at = found + 1;
  }
  return missing;
}

const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const examples = DOCS.flatMap(examplesOf);
const run = examples.filter((e) => !NOT_RUN.some((pattern) => pattern.test(e.command)));

const workdir = mkdtempSync(join(tmpdir(), 'derivcheck-docs-'));
for (const folder of EXAMPLE_INPUTS) cpSync(join(ROOT, folder), join(workdir, folder), { recursive: true });
for (const file of DOCS) {
  for (const [, name, text] of readFileSync(join(ROOT, file), 'utf8').matchAll(/<!--[^>]*\bsaved as (\S+)[^>]*-->\n```\w*\n([\s\S]*?)```/g)) writeFileSync(join(workdir, name!), text!);
}
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('the docs show what the CLI prints', () => {
  test('the examples are found, and the ones not run are the ones that name a reader\'s own files', () => {
    expect(run.length).toBeGreaterThanOrEqual(15);
    for (const e of examples.filter((x) => !run.includes(x))) {
      const paths = parse(e.command).filter((t): t is string => typeof t === 'string' && /\.(ya?ml|json)$|\/$/.test(t));
      expect(paths.some((p) => !existsSync(join(workdir, p)) && !existsSync(join(ROOT, p))), `${e.file}:${e.line} is not run but names only files that exist`).toBe(true);
    }
  });

  test.concurrent.each(run.map((e) => [`${e.file}:${e.line}`, e] as const))('%s', async (_where, example) => {
    const args = parse(example.command).filter((t): t is string => typeof t === 'string').slice(1);
    const { stdout, stderr } = await runCliAsync(args, { cwd: workdir });
    const missing = missingLines(example.shown, `${stdout}\n${stderr}`);
    expect(missing, `${example.file}:${example.line}: ${example.command}\nprinted:\n${stdout}${stderr}`).toEqual([]);
  });
});
