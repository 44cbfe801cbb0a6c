import { existsSync } from 'node:fs';

/**
 * Debian's chromium, driven headless by playwright-core (the browser tests of the HTML report and the
 * playground). Without it those tests skip and say why.
 */
export const CHROMIUM = '/usr/bin/chromium';

export const LAUNCH_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const haveChromium = existsSync(CHROMIUM);

/** Warns (once per test file) that the browser tests of `what` are skipped. */
export function warnIfNoChromium(what: string): void {
  if (!haveChromium) console.warn(`skipping ${what}: ${CHROMIUM} is missing (apt-get install -y chromium)`);
}
