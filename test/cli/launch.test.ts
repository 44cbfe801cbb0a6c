/**
 * The CLI's entry (src/cli/launch.ts): on a machine of two cores or fewer, grade and verify run in a
 * second process started with one V8 background thread and a smaller inlining budget; every other
 * command runs in the first. The
 * second process's exit code is the CLI's, and a signal to the first reaches the second.
 */
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, test } from 'vitest';
import { backgroundThreadCount, inliningBudget, longCommandNodeOptions } from '../../src/problem/threads.js';
import { CLI } from './run-cli.js';

/** Each process the CLI runs in prints its pid and Node options on stderr as it starts (its main thread: worker threads run the hook too). */
const PROCESS_HOOK = `data:text/javascript,import { isMainThread } from 'node:worker_threads'; if (isMainThread) process.stderr.write('process ' + process.pid + ' ' + JSON.stringify(process.execArgv.filter((a) => !a.startsWith('--import') && !a.startsWith('data:'))) + '\\n');`;

interface Started {
  readonly pid: number;
  readonly options: string[];
}

function processesOf(stderr: string): Started[] {
  return [...stderr.matchAll(/^process (\d+) (.*)$/gm)].map((m) => ({ pid: Number(m[1]), options: JSON.parse(m[2]!) as string[] }));
}

function run(args: readonly string[]) {
  const r = spawnSync(process.execPath, ['--import', PROCESS_HOOK, CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, processes: processesOf(r.stderr) };
}

const pool = backgroundThreadCount();
const options = longCommandNodeOptions();

describe('the CLI entry', () => {
  test('the policy: one background thread on two cores or fewer, Node’s default above', () => {
    expect(backgroundThreadCount(1)).toBe(1);
    expect(backgroundThreadCount(2)).toBe(1);
    expect(backgroundThreadCount(4)).toBeUndefined();
    expect(pool).toBe(availableParallelism() <= 2 ? 1 : undefined);
  });

  test('and V8’s inlining budget of 200 bytecode bytes on two cores or fewer, its default above; both as Node options', () => {
    expect(inliningBudget(2)).toBe(200);
    expect(inliningBudget(4)).toBeUndefined();
    expect(longCommandNodeOptions(2)).toEqual(['--v8-pool-size=1', '--max-inlined-bytecode-size-cumulative=200']);
    expect(longCommandNodeOptions(8)).toEqual([]);
  });

  test('check and the quick commands run in one process', () => {
    const check = run(['check', '--loss', 'sum(x.^2)', '--wrt', 'x', '--grad', '2*x', '--shape', 'x=N', '--seed', '1']);
    expect(check.code).toBe(0);
    expect(check.processes).toHaveLength(1);
    expect(run(['--version']).processes).toHaveLength(1);
  });

  test.runIf(pool !== undefined)('verify and grade run in a second process with the long commands’ options, and its exit code is the CLI’s', () => {
    const verify = run(['verify', 'relu', '--runs', '5', '--seed', '1']);
    expect(verify.processes.map((p) => p.options)).toEqual([[], options]);
    expect(verify.code).toBe(0);
    // Options may come before the command.
    expect(run(['--seed', '1', 'verify', 'relu', '--runs', '3']).processes).toHaveLength(2);
    // A usage error is exit 2 from the second process, passed on.
    const usage = run(['grade', '/nonexistent-derivcheck-folder']);
    expect(usage.processes).toHaveLength(2);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/cannot read .*nonexistent-derivcheck-folder/);
  });

  test.runIf(pool !== undefined)('a signal to the CLI ends the second process too', async () => {
    const child = spawn(process.execPath, ['--import', PROCESS_HOOK, CLI, 'verify', '--runs', '300', '--seed', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const both = new Promise<Started[]>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        const started = processesOf(stderr);
        if (started.length === 2) resolve(started);
      });
    });
    const [, second] = await both;
    const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    child.kill('SIGTERM');
    expect(await closed).toBe('SIGTERM');
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // The second process ends on the signal passed on (it may take a moment to be reaped).
    const deadline = Date.now() + 10_000;
    while (alive(second!.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive(second!.pid)).toBe(false);
  });
});
