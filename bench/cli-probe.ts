/**
 * Preloaded into `derivcheck` processes by bench/cli-latency.ts (`node --import dist/bench/cli-probe.js`):
 * marks when the first module runs, and on exit writes to the file named by CLI_PROBE_OUT, as JSON,
 * the run's User Timing marks (the CLI marks its start-up phases), its CPU time and, when CLI_PROBE_MODULES is set,
 * every module the process loaded: ES modules as the load hook of cli-load-hooks.ts saw them, CommonJS
 * files from the require cache. The hook thread slows loading, so timed runs leave it off.
 */
import { writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

export interface ProbeReport {
  /** Mark name and time in ms since the process started (performance.timeOrigin). */
  readonly marks: readonly { readonly name: string; readonly ms: number }[];
  /** User + system CPU time of the whole process (every thread) until exit, in ms: less sensitive to other load than wall time. */
  readonly cpuMs: number;
  readonly esModules: readonly string[];
  readonly commonJsFiles: readonly string[];
}

performance.mark('node: first module');
const out = process.env['CLI_PROBE_OUT'];
if (!out) throw new Error('cli-probe: set CLI_PROBE_OUT to the file the report goes to');

const esModules: string[] = [];
if (process.env['CLI_PROBE_MODULES']) {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url: string) => esModules.push(url));
  port1.unref();
  register('./cli-load-hooks.js', import.meta.url, { data: { port: port2 }, transferList: [port2] });
}

process.on('exit', () => {
  const report: ProbeReport = {
    marks: performance.getEntriesByType('mark').map((m) => ({ name: m.name, ms: m.startTime })),
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    esModules,
    commonJsFiles: Object.keys(createRequire(import.meta.url).cache),
  };
  writeFileSync(out, JSON.stringify(report));
});
