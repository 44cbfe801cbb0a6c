import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { type StaticServer, serveDirectory } from '../../src/cli/static-server.js';
import { haveChromium, warnIfNoChromium } from '../chromium.js';
import { usePlayground } from './playground-browser.js';

/**
 * The playground (web/) in headless Chromium (playground-browser.ts): opened from file:// (and once
 * from a local HTTP server) and driven as a user would. The wrong-answer screenshot is kept at
 * SCREENSHOT for a person to look at.
 */
warnIfNoChromium('the playground browser tests');

const { site, fileBase: FILE_BASE, open, close, closeWatched, verdictOf } = usePlayground();
const SCREENSHOT = path.join(os.tmpdir(), 'derivcheck-playground.png');

/** Least squares, Y = XW: ∂/∂W ½‖XW − T‖² = Xᵀ(XW − T). */
const DENSE = { loss: '0.5*sum((X*W - T).^2)', wrt: 'W', shape: ['X=NxD', 'W=DxM', 'T=NxM'] };
const DENSE_RIGHT = "X' * (X*W - T)";
/** The sign of T flipped: wrong in every entry by 2·XᵀT, so the heat-map has many shades. */
const DENSE_WRONG = "X' * (X*W + T)";

/** Sizes of at least 2 and 3: the smallest counterexample still has a matrix of entries to draw. */
const DENSE_SIZES = 'N=2..5,D=3..4,M=2..3';

/**
 * Sizes whose check runs for a second or two (the check's budget caps FD at these sizes), long enough
 * that the worker is surely busy with it when the test cancels it in the same task that started it.
 */
const SLOW_SIZES = 'N=150,D=60,M=60';

function lossQuery(grad: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ loss: DENSE.loss, wrt: DENSE.wrt, grad, dims: DENSE_SIZES, seed: '11', runs: '24', ...extra });
  for (const s of DENSE.shape) q.append('shape', s);
  return `?${q}`;
}

// Pages run side by side: most of a test's time is the page waiting for its worker.
describe.skipIf(!haveChromium).concurrent('the playground in headless Chromium', () => {
  test('the network guard sees a request to another host (so that its silence elsewhere means something)', async () => {
    const page = await open(FILE_BASE);
    await page.evaluate(() => fetch('https://example.com/').catch(() => undefined));
    expect(await closeWatched(page)).toEqual({ external: ['https://example.com/'], errors: [] });
  });

  test('a link with a right dense-layer gradient opens on the verdict correct, with the WebAssembly kernels', async () => {
    const page = await open(FILE_BASE + lossQuery(DENSE_RIGHT));
    expect(await verdictOf(page)).toBe('correct');
    expect(await page.textContent('#result')).toContain('agrees with finite differences on 24 random samples');
    expect(await page.textContent('#result')).toContain('seed 11');
    expect(await page.textContent('#kernels')).toBe('WebAssembly SIMD');
    // The preview typesets the reading with KaTeX: X transposed, no raw LaTeX, no KaTeX error.
    expect(await page.textContent('#preview-text')).toBe("X' * (X * W - T)");
    expect(await page.locator('#preview-math .katex-html').textContent()).toContain('⊤');
    expect(await page.locator('.katex-error').count()).toBe(0);
    await close(page);
  });

  test('a wrong gradient: incorrect, with the worst entries, the heat-map and the counterexample (screenshot checked)', async () => {
    const page = await open(FILE_BASE + lossQuery(DENSE_WRONG));
    expect(await verdictOf(page)).toBe('incorrect');
    expect(await page.getAttribute('#result', 'data-reason')).toBe('mismatch');
    expect(await page.getAttribute('#result', 'data-review')).toBe('false');
    expect(await page.textContent('.evidence h3')).toBe('Smallest counterexample');
    const where = (await page.textContent('.evidence p'))!;
    const dims = Object.fromEntries([...where.matchAll(/([NDM])=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
    expect(Object.keys(dims).sort()).toEqual(['D', 'M', 'N']);
    expect(dims['D']! * dims['M']!).toBeGreaterThanOrEqual(6);
    // One heat-map cell per entry of dW (D×M), drawn at a visible size, not all white.
    const map = page.locator('svg.heatmap');
    expect(await map.locator('rect').count()).toBe(dims['D']! * dims['M']!);
    const box = (await map.boundingBox())!;
    expect(box.width).toBeGreaterThan(15);
    const fills = await map.locator('rect').evaluateAll((rects) => rects.map((r) => r.getAttribute('fill')));
    expect(new Set(fills).size).toBeGreaterThan(2);
    // The axis numbers lie inside the map and are smaller than its cells (the page draws a small map up
    // to 3× larger, and numbers at the page's default size overflowed its top edge, three cells tall).
    const cell = (await map.locator('rect').first().boundingBox())!;
    const numbers = await map.locator('text').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().toJSON() as { left: number; top: number; bottom: number }));
    expect(numbers.length).toBeGreaterThanOrEqual(2);
    for (const n of numbers) {
      expect(n.top).toBeGreaterThanOrEqual(box.y - 0.5);
      expect(n.left).toBeGreaterThanOrEqual(box.x - 0.5);
      expect(n.bottom - n.top).toBeLessThan(cell.height);
    }
    // The worst entries: named dW[i,j] within D×M, expected and got further apart than their budget.
    const rows = await page.locator('table.entries tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows.length).toBeGreaterThan(0);
    for (const [entry, expected, got, budget] of rows) {
      const [, i, j] = /^dW\[(\d+),(\d+)\]$/.exec(entry!)!;
      expect(Number(i)).toBeLessThanOrEqual(dims['D']!);
      expect(Number(j)).toBeLessThanOrEqual(dims['M']!);
      expect(Math.abs(Number(expected) - Number(got))).toBeGreaterThan(Number(budget));
    }
    // The screenshot of the result shows the red of the badge and the heat-map: decode it in the page and count.
    const png = await page.locator('#result').screenshot();
    writeFileSync(SCREENSHOT, await page.screenshot({ fullPage: true }));
    console.log(`screenshot of the wrong-answer view: ${SCREENSHOT}`);
    expect(png.length).toBeGreaterThan(8_000);
    const pixels = await page.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const data = context.getImageData(0, 0, image.width, image.height).data;
      let red = 0;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i]! > 170 && data[i + 1]! < 120 && data[i + 2]! < 120) red++;
        colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      }
      return { width: image.width, height: image.height, red, colours: colours.size };
    }, png.toString('base64'));
    expect(pixels.width).toBeGreaterThan(300);
    expect(pixels.height).toBeGreaterThan(200);
    expect(pixels.red).toBeGreaterThan(500);
    expect(pixels.colours).toBeGreaterThan(50);
    await close(page);
  });

  test('a LaTeX answer is read as the formula it means, and checked', async () => {
    const page = await open(FILE_BASE + lossQuery('X^\\top (X W - T)', { latex: '1' }));
    expect(await verdictOf(page)).toBe('correct');
    expect(await page.textContent('#preview-text')).toBe("X' * (X * W - T)");
    expect(await page.isChecked('#latex')).toBe(true);
    await close(page);
  });

  test('an undecided check says why and that a person should look at it', async () => {
    // log of normal inputs is NaN wherever an entry is negative: no sample can be decided.
    const q = new URLSearchParams({ loss: 'sum(log(w))', wrt: 'w', grad: '1 ./ w', shape: 'w=N', seed: '2', runs: '8' });
    const page = await open(`${FILE_BASE}?${q}`);
    expect(await verdictOf(page)).toBe('undecided');
    expect(await page.getAttribute('#result', 'data-reason')).toBe('non-finite');
    expect(await page.getAttribute('#result', 'data-review')).toBe('true');
    expect(await page.textContent('#result .review')).toContain('a person should check');
    expect(await page.textContent('#result .reason')).toContain('non-finite');
    expect(await page.textContent('#result .message')).toContain('--domain');
    await close(page);
  });

  test('typing a new gradient changes the verdict and the link', async () => {
    const page = await open(FILE_BASE + lossQuery(DENSE_WRONG));
    expect(await verdictOf(page)).toBe('incorrect');
    await page.focus('#grad');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(DENSE_RIGHT);
    expect(await verdictOf(page, 'correct')).toBe('correct');
    expect(new URL(page.url()).searchParams.get('grad')).toBe(DENSE_RIGHT);
    await close(page);
  });

  test('an unreadable gradient is invalid, with the caret under the place in the field', async () => {
    const page = await open(FILE_BASE + lossQuery("X' * (X*W - T"));
    expect(await verdictOf(page)).toBe('invalid');
    expect(await page.getAttribute('#result', 'data-reason')).toBe('syntax');
    expect(await page.textContent('#result .field-ref')).toContain('Claimed gradient');
    expect(await page.textContent('#result pre.caret')).toContain('^');
    const inline = page.locator('#grad-error');
    await inline.waitFor({ state: 'visible' });
    expect(await inline.textContent()).toContain('^');
    expect(await page.getAttribute('#grad', 'aria-invalid')).toBe('true');
    await close(page);
  });

  test('a built-in problem target is graded as the grader grades it, with the mistake named', async () => {
    const page = await open(`${FILE_BASE}?problem=dense-batch&target=dW&grad=${encodeURIComponent("X' * dY / N")}&seed=3`);
    expect(await verdictOf(page)).toBe('incorrect');
    expect(await page.textContent('.mistake')).toContain('mean-vs-sum');
    expect(await page.isVisible('#problem-fields')).toBe(true);
    expect(await page.inputValue('#target')).toBe('dW');
    await page.focus('#grad');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type("X' * dY");
    await page.keyboard.press('Enter');
    expect(await verdictOf(page, 'correct')).toBe('correct');
    await close(page);
  });

  test('keyboard only: every control is reached with Tab, shows its focus, and Enter runs the check', async () => {
    const page = await open(FILE_BASE);
    const typed: Record<string, string> = { loss: DENSE.loss, shape: DENSE.shape.join(' '), wrt: DENSE.wrt, dims: DENSE_SIZES, grad: DENSE_RIGHT, seed: '5', runs: '16' };
    const reached: string[] = [];
    for (let presses = 0; presses < 30 && !reached.includes('check'); presses++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const active = document.activeElement as HTMLElement;
        return { id: active.id || `${(active as HTMLInputElement).name}:${(active as HTMLInputElement).value}`, outline: getComputedStyle(active).outlineStyle };
      });
      expect(focused.outline).not.toBe('none');
      reached.push(focused.id);
      const text = typed[focused.id];
      if (text !== undefined) {
        await page.keyboard.type(text);
        // A half-typed value may show its field's error for a moment (a scrollable error box is a Tab
        // stop of its own in Chromium): wait until the page has read what was typed, which is valid.
        await page.locator('#form[data-reading="ready"]').waitFor();
        expect(await page.isHidden(`#${focused.id}-error`)).toBe(true);
      }
    }
    // The mode radio group is one stop (its checked button); Cancel is a stop only while a live check
    // started by the typing runs (on a loaded machine it may still run when Tab gets there).
    expect(reached.filter((id) => id !== 'cancel'), JSON.stringify(reached)).toEqual(['mode:loss', 'loss', 'shape', 'wrt', 'domain', 'dims', 'lets', 'grad', 'latex', 'seed', 'runs', 'check']);
    await page.keyboard.press('Enter');
    expect(await verdictOf(page)).toBe('correct');
    // The mode radios switch with the arrow keys.
    await page.focus('input[name="mode"][value="loss"]');
    await page.keyboard.press('ArrowRight');
    expect(await page.isVisible('#problem-fields')).toBe(true);
    expect(await page.isVisible('#loss-fields')).toBe(false);
    await close(page);
  });

  test('at 375 px wide the wrong-answer view and the problem view fit without horizontal scrolling', async () => {
    for (const query of [lossQuery(DENSE_WRONG), `?problem=conv2d&target=dK&grad=${encodeURIComponent("dK[f,c,:,:] = sum(conv2(X[n,c,:,:], dY[n,f,:,:], 'valid'), n)")}&seed=2`]) {
      const page = await open(FILE_BASE + query, 375);
      await verdictOf(page);
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }));
      expect(widths.scroll).toBeLessThanOrEqual(widths.view);
      await close(page);
    }
  });

  test('a running check can be cancelled, and the next one runs', async () => {
    const page = await open(FILE_BASE + lossQuery(DENSE_RIGHT));
    expect(await verdictOf(page)).toBe('correct');
    // Started and cancelled in one task of the page, so that no machine is fast enough to finish the
    // check before the click, nor slow enough to click before it starts: Cancel is enabled exactly while
    // a check runs, and the click ends the worker in the middle of it.
    const startedThenCancelled = await page.evaluate(([dims]) => {
      (document.getElementById('dims') as HTMLInputElement).value = dims!;
      (document.getElementById('runs') as HTMLInputElement).value = '1000';
      (document.querySelector('form') as HTMLFormElement).requestSubmit();
      const cancel = document.getElementById('cancel') as HTMLButtonElement;
      const running = document.getElementById('result')!.dataset['state'] === 'running' && !cancel.disabled;
      cancel.click();
      return running;
    }, [SLOW_SIZES]);
    expect(startedThenCancelled).toBe(true);
    await page.locator('#result[data-state="cancelled"]').waitFor();
    expect(await page.getAttribute('#result', 'data-verdict')).toBeNull();
    expect(await page.isDisabled('#cancel')).toBe(true);
    await page.fill('#dims', DENSE_SIZES);
    await page.fill('#runs', '12');
    await page.press('#runs', 'Enter');
    expect(await verdictOf(page)).toBe('correct');
    expect(await page.textContent('#result')).toContain('agrees with finite differences on 12 random samples');
    await close(page);
  });

  test('served over HTTP by the static server, the page works the same', async () => {
    let server: StaticServer | undefined;
    try {
      server = await serveDirectory(site, '127.0.0.1', 0);
      const page = await open(server.url + lossQuery(DENSE_RIGHT));
      expect(await verdictOf(page)).toBe('correct');
      await close(page);
    } finally {
      await server?.close();
    }
  });
});
