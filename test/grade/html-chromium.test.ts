import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { gradeFiles } from '../../src/grade/batch.js';
import { classSummary } from '../../src/grade/class/summary.js';
import { heatmapLegend, heatmapSvg } from '../../src/grade/report/heatmap.js';
import { page } from '../../src/grade/report/html.js';
import { writeGradeOutput } from '../../src/grade/report/write.js';
import { CHROMIUM, LAUNCH_FLAGS, haveChromium, warnIfNoChromium } from '../chromium.js';
import { gradeClass, writeClass } from './class-fixture.js';

/**
 * The HTML report in a real browser: Debian's chromium, headless, driven by playwright-core. The
 * screenshot is kept at SCREENSHOT for a person to look at.
 */
const SCREENSHOT = path.join(os.tmpdir(), 'derivcheck-grade-report.png');
const INDEX_SCREENSHOT = path.join(os.tmpdir(), 'derivcheck-grade-index.png');
warnIfNoChromium('the HTML report browser test');

const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!haveChromium)('the HTML report in headless Chromium', () => {
  test('renders the formulas with KaTeX and the heat-map of |expected − got|', async () => {
    const file = path.join(dir, 'bob.yaml');
    writeFileSync(file, `id: bob\nanswers:\n  - { problem: dense-batch, target: dW, formula: "X' * dY / N" }\n  - { problem: softmax-ce, target: dz, latex: "\\\\operatorname{softmax}(z, 2) - p" }\n  - { problem: conv2d, target: dK, formula: "dK[f,c,:,:] = sum(conv2(X[n,c,:,:], dY[n,f,:,:], 'valid'), n)" }\n`);
    const report = await gradeFiles([file], { seed: 8, jobs: 0, problems });
    const out = path.join(dir, 'report');
    writeGradeOutput(report, 'html', out);
    const wrong = report.submissions[0]!.answers.filter((a) => a.finding.status === 'incorrect');
    expect(wrong).toHaveLength(2);

    const context = await chromium.launchPersistentContext(path.join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: LAUNCH_FLAGS });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(path.join(out, 'bob.html')).href);
      await page.evaluate('document.fonts.ready');
      // Every answer's formula was typeset by KaTeX (no raw LaTeX, no KaTeX error), in KaTeX's own font.
      const formulas = await page.locator('.formula .katex-html').allTextContents();
      expect(formulas).toHaveLength(3);
      // X'·dY / N as a fraction (KaTeX lays out the denominator first).
      for (const piece of ['X', '⊤', 'dY', 'N']) expect(formulas[0]).toContain(piece);
      expect(formulas[1]).toContain('softmax');
      expect(await page.locator('.katex-error').count()).toBe(0);
      expect(await page.evaluate("document.fonts.check('16px KaTeX_Main')")).toBe(true);
      // One heat-map per incorrect answer (a matrix and a 4-D kernel), one cell per entry, drawn at a real size.
      const maps = page.locator('svg.heatmap');
      expect(await maps.count()).toBe(2);
      for (let i = 0; i < 2; i++) {
        const ce = wrong[i]!.finding.evidence!;
        expect(await maps.nth(i).locator('rect').count()).toBe(ce.entryCount);
        const box = (await maps.nth(i).boundingBox())!;
        expect(box.width).toBeGreaterThan(20);
        expect(box.height).toBeGreaterThan(20);
        const fills = await maps.nth(i).locator('rect').evaluateAll((rects) => rects.map((r) => r.getAttribute('fill')));
        expect(fills.some((f) => f !== 'rgb(255,255,255)')).toBe(true);
      }
      // Each heat-map has its legend: the scale from 0 to the largest difference, in the target's units.
      const legends = page.locator('.heatmap-legend');
      expect(await legends.count()).toBe(2);
      expect(await legends.nth(0).textContent()).toContain('in the units of dW');
      expect(await legends.nth(1).textContent()).toContain('in the units of dK');
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
      console.log(`screenshot of the report: ${SCREENSHOT}`);
    } finally {
      await context.close();
    }
  });
});

describe.skipIf(!haveChromium)('the HTML index of a class in headless Chromium', () => {
  test('the gradebook (points per target, class mean per column), the common-mistakes tables linking to examples, and the review filter', async () => {
    const klass = writeClass();
    const report = await gradeClass(klass.files);
    const out = path.join(dir, 'class');
    writeGradeOutput(report, 'html', out);
    const summary = classSummary(report);
    const context = await chromium.launchPersistentContext(path.join(dir, 'profile-class'), { executablePath: CHROMIUM, headless: true, args: LAUNCH_FLAGS });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(path.join(out, 'index.html')).href);
      const table = page.locator('table.gradebook');
      // student, one column per target in question order, needs review, total.
      const heads = await table.locator('tr').first().locator('th').allInnerTexts();
      expect(heads.map((h) => h.replace(/\s+/g, ' ').trim())).toEqual(['student', '1.1 softmax-ce/dz', '2.1 dense-batch/dW', '2.2 dense-batch/dX', '2.3 dense-batch/db', 'needs review', 'total']);
      // The class mean of each target column is the mean of the cells above it (graded students).
      const rows = await table.locator('tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
      const graded = rows.slice(1, -1).filter((r) => r.length === 7);
      expect(graded).toHaveLength(5);
      const mean = rows[rows.length - 1]!;
      expect(mean[0]).toBe('class mean');
      for (let col = 1; col <= 4; col++) {
        const cells = graded.map((r) => parseFloat(r[col]!));
        const expected = cells.reduce((a, b) => a + b, 0) / cells.length;
        expect(parseFloat(mean[col]!.split('/')[0]!)).toBeCloseTo(expected, 2);
      }
      // The common-mistakes table: its example link opens the student's page at an incorrect answer with that mistake.
      const sign = page.locator('table.mistakes tr', { hasText: 'sign' }).filter({ hasText: 'dense-batch/dW' });
      await sign.locator('a').click();
      await page.waitForURL(/bob\.html#answer-\d+$/);
      const anchor = new URL(page.url()).hash;
      const section = page.locator(`section${anchor}`);
      expect(await section.getAttribute('class')).toContain('incorrect');
      expect(await section.locator('.mistake').textContent()).toContain('sign');
      expect(summary.targets[1]!.mistakes[0]!.example.student).toBe('bob');
      // The review filter keeps only the students with an answer that needs review (and the mean row).
      await page.goBack();
      const names = () => table.locator('tr:visible td.name').allTextContents();
      expect(await names()).toHaveLength(7);
      await page.locator('#only-review').check();
      expect(await names()).toEqual(['alice', 'dan', 'frank', 'class mean']);
      expect(summary.needsReview.map((r) => r.student)).toEqual(['alice', 'dan', 'frank']);
      await page.screenshot({ path: INDEX_SCREENSHOT, fullPage: true });
      console.log(`screenshot of the index: ${INDEX_SCREENSHOT}`);
    } finally {
      await context.close();
      klass.cleanup();
    }
  });

  test.each([
    [8, 8],
    [64, 64],
    [3, 40],
  ])('a %i×%i heat-map stays readable: cells of 6 px or more in the text column, numbered axes that do not overlap, a legend with scale and units', async (rowsN, colsN) => {
    const rng = (i: number) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453);
    const expected = Array.from({ length: rowsN }, (_, r) => Array.from({ length: colsN }, (_, c) => rng(r * colsN + c)));
    const got = expected.map((row, r) => row.map((x, c) => x + (r === c ? 0.5 : 0)));
    const file = path.join(dir, `heatmap-${rowsN}x${colsN}.html`);
    writeFileSync(file, page(`${rowsN}×${colsN}`, `${heatmapSvg(expected, got, 'dW')}${heatmapLegend(expected, got, 'dW')}`));
    const context = await chromium.launchPersistentContext(path.join(dir, `profile-${rowsN}-${colsN}`), { executablePath: CHROMIUM, headless: true, args: LAUNCH_FLAGS });
    try {
      const tab = await context.newPage();
      await tab.setViewportSize({ width: 1000, height: 900 });
      await tab.goto(pathToFileURL(file).href);
      const cells = tab.locator('svg.heatmap rect');
      expect(await cells.count()).toBe(rowsN * colsN);
      const cell = (await cells.first().boundingBox())!;
      expect(cell.width).toBeGreaterThanOrEqual(6);
      expect(cell.height).toBe(cell.width);
      const map = (await tab.locator('svg.heatmap').boundingBox())!;
      expect(map.width).toBeLessThanOrEqual(700);
      // Axis numbers: the first and last row and column are numbered, and no two labels overlap.
      const labels = await tab.locator('svg.heatmap text').evaluateAll((ts) =>
        ts.map((t) => {
          const b = t.getBoundingClientRect();
          return { text: t.textContent, box: { left: b.left, right: b.right, top: b.top, bottom: b.bottom } };
        }),
      );
      const texts = labels.map((l) => l.text);
      for (const n of [String(rowsN), String(colsN), '1']) expect(texts).toContain(n);
      // Inside the map: the numbers over the columns are not cut off at its top edge.
      for (const { box } of labels) expect(box.top >= map.y - 0.5 && box.left >= map.x - 0.5).toBe(true);
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) {
          const a = labels[i]!.box;
          const b = labels[j]!.box;
          const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          expect(overlap, `${labels[i]!.text} and ${labels[j]!.text}`).toBe(false);
        }
      }
      const legend = tab.locator('.heatmap-legend');
      expect(await legend.textContent()).toMatch(/\|expected − got\|, in the units of dW:0.*0\.5/);
      expect((await legend.locator('.ramp').boundingBox())!.width).toBeGreaterThan(50);
    } finally {
      await context.close();
    }
  });
});
