/**
 * The CLI's entry point (bin/derivcheck.js). Node sizes V8's pool of background threads and its
 * compiler's budgets only at start-up, and on a machine of two cores or fewer the long commands (grade,
 * verify) run faster with one background thread and a smaller inlining budget (src/problem/threads.ts's
 * longCommandNodeOptions): for those the CLI starts itself again with those options, which costs about
 * 55 ms. Every other command, `check` among them (where the restart would cost more than it saves),
 * runs in this process. grade starts its first worker here, before the CLI's own code loads
 * (src/grade/worker-thread.ts).
 */
import { spawn } from 'node:child_process';
import { startGradingWorkerEarly } from '../grade/worker-thread.js';
import { longCommandNodeOptions } from '../problem/threads.js';

/** Commands that run long enough for a restart to pay. */
const RESTARTED = new Set(['grade', 'verify']);

const args = process.argv.slice(2);
const options = longCommandNodeOptions();
// Any argument naming one of them, since options may come first (`--seed 3 verify`); an argument that
// only happens to read `grade` costs a restart and changes nothing else.
const longCommand = args.some((a) => RESTARTED.has(a));
const restarted = options.every((o) => process.execArgv.includes(o));

if (longCommand && !restarted) {
  const child = spawn(process.execPath, [...process.execArgv, ...options, process.argv[1]!, ...args], { stdio: 'inherit' });
  // A terminal's Ctrl-C reaches both processes; a supervisor's signal reaches this one only, so it is passed on.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const s of signals) process.removeAllListeners(s);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
} else {
  // grade's first worker loads the library while this thread loads the CLI and reads the options (≈ 0.13 s sooner).
  if (args.includes('grade')) startGradingWorkerEarly();
  await import('./main.js');
}
