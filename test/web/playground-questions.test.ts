import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { haveChromium, warnIfNoChromium } from '../chromium.js';
import { usePlayground } from './playground-browser.js';

/**
 * Question files on the playground in headless Chromium: chosen with the file input (the keyboard's
 * way), dropped on the page (a drop event carrying a DataTransfer, as a browser fires it), and broken
 * ones. The Findings themselves are the grader's (test/web/questions.test.ts shows they are equal).
 * The view of a wrong answer to a dropped question is kept at SCREENSHOT for a person to look at
 * (docs/web-question-file.png is a copy).
 */
warnIfNoChromium('the playground question-file tests');

const { fileBase: FILE_BASE, open, close, verdictOf } = usePlayground();

const SCREENSHOT = path.join(os.tmpdir(), 'derivcheck-playground-question.png');
const QUESTION_FILE = new URL('./files/tanh-regression.yaml', import.meta.url).pathname;
const QUESTION = readFileSync(QUESTION_FILE, 'utf8');

const RIGHT_DW_LATEX = 'X^\\top \\left[(1 - h \\odot h) \\odot (e v^\\top)\\right]';
/** The question's own mistake: tanh' left out. */
const MISSING_TANH_PRIME = "X' * (E * v')";

/** Chooses files with the file input, in the mode where it shows, and waits until the page has read them. */
async function chooseFiles(page: Page, files: Parameters<Page['setInputFiles']>[1]): Promise<void> {
  await page.check('input[name="mode"][value="problem"]');
  // The marker of the files read before goes, so that the wait below is for these.
  await page.evaluate(() => delete document.getElementById('form')!.dataset['questions']);
  await page.setInputFiles('#question-file', files);
  await page.locator('#form[data-questions="ready"]').waitFor();
}

/** Replaces the claimed gradient and runs the check with Enter. */
async function answer(page: Page, grad: string, latex = false): Promise<void> {
  await page.setChecked('#latex', latex);
  await page.fill('#grad', grad);
  await page.press('#grad', 'Enter');
}

/** Drops a file on the drop zone as a browser does: dragenter, dragover, drop, each carrying the DataTransfer. Returns whether the page took the drop. */
async function dropFile(page: Page, name: string, text: string): Promise<boolean> {
  return page.evaluate(
    ([name, text]) => {
      const data = new DataTransfer();
      data.items.add(new File([text], name, { type: 'application/yaml' }));
      const zone = document.getElementById('question-drop')!;
      for (const type of ['dragenter', 'dragover']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      const drop = new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true });
      zone.dispatchEvent(drop);
      // A drop the page does not cancel is the browser's: it would open the file in place of the page.
      return drop.defaultPrevented;
    },
    [name, text] as const,
  );
}

describe.skipIf(!haveChromium).concurrent('question files on the playground in headless Chromium', () => {
  test('a question file chosen with the file input: its statement, targets and let names; wrong and right answers graded, the link holding the check', async () => {
    const page = await open(`${FILE_BASE}?seed=5`);
    await chooseFiles(page, QUESTION_FILE);
    expect(await page.inputValue('#problem')).toBe('tanh-regression');
    expect(await page.textContent('#question-status')).toContain('Loaded tanh-regression from tanh-regression.yaml: 2 targets');
    expect(await page.textContent('#problem-statement')).toContain('H = tanh(X W + b)');
    expect(await page.locator('#target option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(['dW', 'dv']);
    // The let names an answer may use, with the LaTeX aliases the file gives them.
    const names = await page.locator('#problem-names dt code').allTextContents();
    expect(names).toEqual(['X', 'W', 'b', 'v', 'y', 'H', 'E']);
    expect(await page.textContent('#problem-names')).toContain('(LaTeX: h)');

    await answer(page, MISSING_TANH_PRIME);
    expect(await verdictOf(page, 'incorrect')).toBe('incorrect');
    expect(await page.textContent('.mistake')).toContain('missing-tanh-prime');
    const where = (await page.textContent('.evidence p'))!;
    const dims = Object.fromEntries([...where.matchAll(/([NDM])=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
    expect(await page.locator('svg.heatmap rect').count()).toBe(dims['D']! * dims['M']!);
    const rows = await page.locator('table.entries tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows.length).toBeGreaterThan(0);
    for (const [entry, expected, got, budget] of rows) {
      expect(entry).toMatch(/^dW\[\d+,\d+\]$/);
      expect(Math.abs(Number(expected) - Number(got))).toBeGreaterThan(Number(budget));
    }
    // The question's own grading settings: 12 samples per answer.
    expect(await page.textContent('#result .seed')).toContain('of 12 samples compared');
    writeFileSync(SCREENSHOT, await page.locator('main').screenshot());
    console.log(`screenshot of a wrong answer to a dropped question: ${SCREENSHOT}`);

    await answer(page, RIGHT_DW_LATEX, true);
    expect(await verdictOf(page, 'correct')).toBe('correct');
    // Read with the file's aliases (h is H, e is E), in the verdict and in the preview once it has caught up.
    expect(await page.textContent('#result .read-as code')).toBe("X' * ((1 - H .* H) .* (E * v'))");
    await page.locator('#form[data-reading="ready"]').waitFor();
    expect(await page.textContent('#preview-text')).toBe("X' * ((1 - H .* H) .* (E * v'))");
    const link = new URL(page.url()).searchParams;
    expect(Object.fromEntries(['problem', 'target', 'grad', 'latex', 'seed'].map((k) => [k, link.get(k)]))).toEqual({ problem: 'tanh-regression', target: 'dW', grad: RIGHT_DW_LATEX, latex: '1', seed: '5' });
    await close(page);
  });

  test('a link to a dropped question asks for its file; a file dropped on the page loads it and runs the check', async () => {
    const page = await open(`${FILE_BASE}?problem=tanh-regression&target=dv&grad=${encodeURIComponent("H' * E")}&seed=5`);
    await page.locator('#problem-statement:has-text("drop its question file")').waitFor();
    expect(await page.getAttribute('#result', 'data-verdict')).toBeNull();
    expect(await dropFile(page, 'tanh-regression.yaml', QUESTION)).toBe(true);
    // The link's target, not the first one, and the check the link holds runs.
    expect(await verdictOf(page, 'correct')).toBe('correct');
    expect(await page.inputValue('#problem')).toBe('tanh-regression');
    expect(await page.inputValue('#target')).toBe('dv');
    await answer(page, "H' * E / N");
    expect(await verdictOf(page, 'incorrect')).toBe('incorrect');
    await close(page);
  });

  test('a broken file shows its error with the place; the question loaded before still works', async () => {
    const page = await open(`${FILE_BASE}?seed=5`);
    await chooseFiles(page, QUESTION_FILE);
    const error = page.locator('#question-error');
    const broken: [string, Buffer, RegExp][] = [
      ['unknown-function.yaml', Buffer.from(QUESTION.replace('0.5 * sum(E.^2)', '0.5 * sum(frobnicate(E))')), /^unknown-function\.yaml:17:\d+: loss: .*frobnicate/],
      ['not-yaml.yaml', Buffer.from('id: q\ntitle: [unclosed\n'), /^not-yaml\.yaml:3:1: not valid YAML or JSON/],
      ['binary.yaml', Buffer.from([0x69, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x00, 0x81, 0x9c]), /^binary\.yaml:1:5: the file holds bytes that are not UTF-8 text/],
    ];
    for (const [name, buffer, message] of broken) {
      await chooseFiles(page, { name, mimeType: 'application/yaml', buffer });
      expect(await error.isVisible()).toBe(true);
      expect(await error.locator('p').first().textContent()).toMatch(message);
    }
    // 10 MB, chosen by its path (a sparse file: the browser reads its size, the page refuses it on that, and no test process holds its bytes).
    const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-web-huge-'));
    try {
      const huge = path.join(dir, 'huge.yaml');
      writeFileSync(huge, '');
      truncateSync(huge, 10 * 1024 * 1024);
      await chooseFiles(page, huge);
      expect(await error.locator('p').first().textContent()).toMatch(/^huge\.yaml: the file is 10485760 bytes; a question file is at most 1048576 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // A formula at fault is shown with the caret under it (the first file's error).
    await chooseFiles(page, { name: 'unknown-function.yaml', mimeType: 'application/yaml', buffer: Buffer.from(QUESTION.replace('0.5 * sum(E.^2)', '0.5 * sum(frobnicate(E))')) });
    expect(await error.locator('pre').textContent()).toContain('^');
    // The page still works on the question loaded before.
    expect(await page.inputValue('#problem')).toBe('tanh-regression');
    await page.selectOption('#target', 'dv');
    await answer(page, 'h^\\top e', true);
    expect(await verdictOf(page, 'correct')).toBe('correct');
    // A good file clears the errors.
    await chooseFiles(page, QUESTION_FILE);
    expect(await error.isHidden()).toBe(true);
    await close(page);
  });
});
