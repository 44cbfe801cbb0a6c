import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI (`npm test` builds dist/ before vitest runs). */
export const CLI = fileURLToPath(new URL('../../bin/derivcheck.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `derivcheck ...args` as a child process, as a user's shell would (no TTY: no colours, no progress bar). */
export function runCli(args: readonly string[], options: { input?: string; cwd?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    input: options.input ?? '',
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** runCli without blocking the test worker, so that independent cases can run their processes side by side (test.concurrent). */
export function runCliAsync(args: readonly string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What a measured run of the CLI used, from the process's own resource usage at exit (all its threads). */
export interface CliUsage extends CliResult {
  /** Peak resident set of the process, in bytes. */
  readonly maxRssBytes: number;
  /** CPU seconds of the process (user + system, every thread): a figure load on the machine barely changes. */
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
}

/** Prints the process's peak RSS (KiB) and CPU time (µs) as a line of its own on stderr, at exit (every process the CLI runs in: the hook is passed on; worker threads run it too, and print nothing). */
const USAGE_HOOK = `data:text/javascript,import { isMainThread } from 'node:worker_threads'; if (isMainThread) process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\nusage ' + u.maxRSS + ' ' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });`;

/** runCliAsync, measuring the CLI process's peak memory and CPU time. */
export function runCliMeasured(args: readonly string[], options: { cwd?: string } = {}): Promise<CliUsage> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', USAGE_HOOK, CLI, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      // One line per process: grade and verify may run in a second process (src/cli/launch.ts), whose
      // line comes first; their CPU adds up, and the larger peak is the run's.
      const usages = [...stderr.matchAll(/\nusage (\d+) (\d+)\n/g)];
      if (usages.length === 0 || !stderr.endsWith(usages.at(-1)![0])) return reject(new Error(`no usage line from the CLI (exit ${code}): ${stderr.slice(-500)}`));
      const maxRssBytes = Math.max(...usages.map((u) => Number(u[1]) * 1024));
      const cpuSeconds = usages.reduce((sum, u) => sum + Number(u[2]) / 1e6, 0);
      resolve({ code, stdout, stderr: stderr.slice(0, usages[0]!.index), maxRssBytes, cpuSeconds, wallSeconds: (performance.now() - started) / 1e3 });
    });
  });
}
