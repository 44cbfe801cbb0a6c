import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildSite } from '../../web/build.js';
import { CHROMIUM, LAUNCH_FLAGS, haveChromium } from '../chromium.js';

/**
 * The playground (web/) in headless Chromium, for the browser tests: the site built from the sources
 * into a temporary folder (as `npm run build:web` builds dist/web), and pages opened on it that are
 * watched: a request to any other host than this machine, or an error thrown in the page, fails the
 * test. Tests wait for the page's states (a verdict, data-state, data-reading), never for a time.
 */
export interface Playground {
  /** The site's folder and its index.html as a file:// URL. */
  readonly site: string;
  readonly fileBase: string;
  /** A fresh page (its own context) at `url`, watched for requests to other hosts and for errors. */
  open(url: string, width?: number): Promise<Page>;
  /** Closes the page; what it did that it must not. */
  closeWatched(page: Page): Promise<{ external: string[]; errors: string[] }>;
  /** Closes the page, which must have made no request to another host and thrown no error. */
  close(page: Page): Promise<void>;
  /** The verdict of the check the page has finished (`expected`: wait for that one). */
  verdictOf(page: Page, expected?: string): Promise<string | null>;
}

const isLocal = (url: string) => {
  const { protocol, hostname } = new URL(url);
  return ['file:', 'blob:', 'data:'].includes(protocol) || (protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname));
};

/** Builds the site before the file's tests (where Chromium is installed) and removes it after them. */
export function usePlayground(): Playground {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-web-'));
  const site = path.join(dir, 'site');
  let browser: Browser;
  /** What a page did that it must not: requests to other hosts (recorded and aborted), errors thrown in it. */
  const misdeeds = new WeakMap<Page, { external: Set<string>; errors: string[] }>();

  beforeAll(async () => {
    if (!haveChromium) return;
    await buildSite(site);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_FLAGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const closeWatched = async (page: Page) => {
    await page.context().close();
    const seen = misdeeds.get(page)!;
    return { external: [...seen.external], errors: seen.errors };
  };

  return {
    site,
    fileBase: pathToFileURL(path.join(site, 'index.html')).href,
    async open(url, width = 1000) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const seen = { external: new Set<string>(), errors: [] as string[] };
      await context.route('**/*', (route) => {
        const requested = route.request().url();
        if (isLocal(requested)) return route.continue();
        seen.external.add(requested);
        return route.abort();
      });
      // Requests a route does not see (a worker's) are still events of the context.
      context.on('request', (request) => {
        if (!isLocal(request.url())) seen.external.add(request.url());
      });
      const page = await context.newPage();
      misdeeds.set(page, seen);
      page.on('pageerror', (err) => seen.errors.push(err.message));
      await page.goto(url);
      return page;
    },
    closeWatched,
    async close(page) {
      expect(await closeWatched(page)).toEqual({ external: [], errors: [] });
    },
    async verdictOf(page, expected) {
      // A check still running may show the verdict of the one before it.
      await page.locator(`#result:not([data-state="running"])${expected ? `[data-verdict="${expected}"]` : '[data-verdict]'}`).waitFor({ timeout: 60_000 });
      return page.getAttribute('#result', 'data-verdict');
    },
  };
}
