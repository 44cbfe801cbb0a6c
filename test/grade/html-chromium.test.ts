import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { gradeFiles } from '../../src/grade/batch.js';
import { writeGradeOutput } from '../../src/grade/report/write.js';
import { CHROMIUM, LAUNCH_FLAGS, haveChromium, warnIfNoChromium } from '../chromium.js';

/**
 * The HTML report in a real browser: Debian's chromium, headless, driven by playwright-core. The
 * screenshot is kept at SCREENSHOT for a person to look at.
 */
const SCREENSHOT = path.join(os.tmpdir(), 'derivcheck-grade-report.png');
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
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
      console.log(`screenshot of the report: ${SCREENSHOT}`);
    } finally {
      await context.close();
    }
  });
});
