import cliProgress from 'cli-progress';

/** Work shorter than this gets no bar (the issue: a progress bar for anything over a second). */
const SHOW_AFTER_MS = 1000;

export interface Progress {
  tick(label?: string): void;
  stop(): void;
}

/**
 * A progress bar on stderr that appears only once the work has run for a second, and only on a
 * terminal when neither --json nor --quiet was given (so piped and machine output stays clean).
 */
export function progress(total: number, enabled: boolean): Progress {
  if (!enabled || process.stderr.isTTY !== true) return { tick() {}, stop() {} };
  const start = Date.now();
  let done = 0;
  let bar: cliProgress.SingleBar | null = null;
  return {
    tick(label = '') {
      done++;
      if (!bar && Date.now() - start >= SHOW_AFTER_MS) {
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: '{bar} {value}/{total} {label}', clearOnComplete: true, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done, { label });
      } else bar?.update(done, { label });
    },
    stop() {
      bar?.stop();
    },
  };
}
