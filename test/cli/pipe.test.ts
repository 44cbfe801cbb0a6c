import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { CLI } from './run-cli.js';

test('a reader that closes the pipe before reading (derivcheck list | true) ends the CLI quietly, without a stack trace', () => {
  // `true` exits at once, so every write of list meets a closed pipe (EPIPE).
  const r = spawnSync('bash', ['-c', `set -o pipefail; node "${CLI}" list | true; echo "status \${PIPESTATUS[0]}"`], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  expect(r.stdout.trim()).toBe('status 0');
  expect(r.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
});
