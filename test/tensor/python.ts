import { spawnSync } from 'node:child_process';

/**
 * Runs a python3 script with JSON on stdin and parses the JSON it prints: numpy/scipy as the independent
 * oracle for the tensor kernels. Returns undefined only when python3 itself is missing, so that the
 * cross-checks skip on such machines; a script error (numpy or scipy missing included) fails the test.
 */
export function runPython(script: string, input: unknown): unknown {
  const result = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', timeout: 60_000 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`python3 failed (${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

export const hasPython = spawnSync('python3', ['--version']).error === undefined;
