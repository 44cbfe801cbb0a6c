import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import type { ProbeReport } from './cli-probe.js';
import { type Benchmark, SINGLE_THREAD_ENV, formatTable, median, repoRoot } from './harness.js';

/**
 * How long `derivcheck check` on a small dense gradient takes as a whole process, beside the closest
 * peer that runs here: a python3 process importing numpy and scipy.optimize and running check_grad on
 * the same loss and gradient, as many samples (bench/peers/scipy_check_grad.py; HIPS autograd, JAX
 * and torch are not installed). Bar (issue 18): ≤ 0.5 s median.
 *
 * Every process is timed from spawn to exit, the cases taking turns round after round so that
 * background load falls on all alike; medians over the rounds, the ratio being the median of the
 * rounds' ratios. Beside them: bare `node -e 0` and `python3 -c pass` (the floors), `check --runs 1`
 * (what drawing fewer samples could save at most) and, when CLI_LATENCY_BASELINE names another
 * build's bin/derivcheck.js, that build (before/after in one run; its CPU time too).
 *
 * Phases: in each round the check runs once more with bench/cli-probe.ts preloaded, which reads the
 * CLI's User Timing marks (src/cli/main.ts, src/cli/commands/check.ts) and the process's CPU time
 * (user + system, every thread), which the peer reports too: a figure that other load on the machine
 * disturbs far less than wall time (waiting for a core is not in it). Packages: each one the CLI
 * may load, imported alone in a fresh process (as Node loads it from node_modules, and bundled the
 * way scripts/build-cli.mjs bundles the CLI), and whether this build's check loads it (one run with
 * the probe's module hook; bundled chunks are mapped to their packages through their source maps).
 */

const ROUNDS = 21;
const PACKAGE_RUNS = 7;
const BAR_MS = 500;
const SEED = 1;

const CHECK_ARGS = ['check', '--loss', '0.5*sum((X*W - T).^2)', '--wrt', 'W', '--grad', "X' * (X*W - T)", '--shape', 'X=NxD', '--shape', 'W=DxM', '--shape', 'T=NxM', '--seed', String(SEED)];
const CLI = path.join(repoRoot, 'bin', 'derivcheck.js');
const PROBE = fileURLToPath(new URL('./cli-probe.js', import.meta.url));
const PEER = path.join(repoRoot, 'bench', 'peers', 'scipy_check_grad.py');

interface Case {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** The commit of the build at `cli` (its git checkout), to name a baseline without the machine's paths. */
function commitOf(cli: string): string {
  const git = spawnSync('git', ['-C', path.dirname(cli), 'log', '-1', '--format=%h'], { encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : 'unknown commit';
}

const cases = (baseline: string | undefined): Case[] => [
  { label: 'derivcheck check', command: process.execPath, args: [CLI, ...CHECK_ARGS] },
  ...(baseline ? [{ label: `baseline: derivcheck check at ${commitOf(baseline)}`, command: process.execPath, args: [baseline, ...CHECK_ARGS] }] : []),
  { label: 'peer: python3, numpy + scipy check_grad', command: 'python3', args: [PEER, String(SEED)], env: SINGLE_THREAD_ENV },
  { label: 'derivcheck check --runs 1', command: process.execPath, args: [CLI, ...CHECK_ARGS, '--runs', '1'] },
  { label: 'node -e 0', command: process.execPath, args: ['-e', '0'] },
  { label: 'python3 -c pass', command: 'python3', args: ['-c', 'pass'] },
];

/** Runs a process to its end; its wall time in ms and its stdout. */
function timed(command: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): { ms: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return { ms, stdout: result.stdout };
}

const quartiles = (xs: readonly number[]): [number, number] => {
  const s = [...xs].sort((a, b) => a - b);
  return [s[Math.floor((s.length - 1) / 4)]!, s[Math.ceil((3 * (s.length - 1)) / 4)]!];
};

/** The phases between the CLI's marks; the first runs from the process start, the last to the parent seeing it exit. */
const PHASES: readonly { readonly until: string; readonly label: string }[] = [
  { until: 'node: first module', label: 'node start-up (process start → first module)' },
  { until: 'cli: modules loaded', label: 'CLI modules: yargs, the command definitions' },
  { until: 'check: arguments parsed', label: 'argument parsing (yargs)' },
  { until: 'check: modules loaded', label: "check's modules: formula language + mathjs parser, FD, problem layer, fast-check" },
  { until: 'check: judged', label: 'parse, shape-check and compile the loss and the gradient; 100 samples: shapes and inputs drawn, FD ground truth, comparison' },
  { until: 'check: printed', label: 'print the verdict' },
];
const EXIT_PHASE = 'exit (and the spawn before the process clock starts)';

function phasesOf(report: ProbeReport, wallMs: number): Record<string, number> {
  const at = new Map(report.marks.map((m) => [m.name, m.ms]));
  const phases: Record<string, number> = {};
  let previous = 0;
  for (const { until, label } of PHASES) {
    const t = at.get(until);
    if (t === undefined) throw new Error(`the check did not mark '${until}' (marks: ${[...at.keys()].join(', ')})`);
    phases[label] = t - previous;
    previous = t;
  }
  phases[EXIT_PHASE] = wallMs - previous;
  return phases;
}

function probedCheck(dir: string, modules: boolean, cli = CLI): { ms: number; report: ProbeReport } {
  const out = path.join(dir, 'probe.json');
  const { ms } = timed(process.execPath, ['--import', PROBE, cli, ...CHECK_ARGS], { CLI_PROBE_OUT: out, ...(modules ? { CLI_PROBE_MODULES: '1' } : {}) });
  return { ms, report: JSON.parse(readFileSync(out, 'utf8')) as ProbeReport };
}

/**
 * The package a file belongs to: node_modules/<name>, or derivcheck's own folder (src/formula,
 * problems). A scoped package whose own source maps name files outside it (unified-latex's name
 * node_modules/@unified-latex/libs/...) counts as its scope.
 */
function packageOf(file: string): string | undefined {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (m) return m[1]!.startsWith('@') && !existsSync(path.join(repoRoot, 'node_modules', m[1]!, 'package.json')) ? m[1]!.split('/')[0] : m[1];
  const own = /(?:^|\/)(src\/[^/]+|problems)\//.exec(file);
  return own ? `derivcheck ${own[1]}` : undefined;
}

/** Packages of every loaded file; a bundled chunk contributes the sources its source map lists. */
function loadedPackages(report: ProbeReport): Set<string> {
  const packages = new Set<string>();
  const files = [...report.esModules.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)), ...report.commonJsFiles];
  for (const file of files) {
    const map = `${file}.map`;
    const sources = file.includes(`${path.sep}dist${path.sep}cli${path.sep}`) && existsSync(map) ? (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources : [file];
    for (const source of sources) {
      const p = packageOf(source.replaceAll('\\', '/'));
      if (p) packages.add(p);
    }
  }
  return packages;
}

/** Each package as the CLI loads it (mathjs: the parser's instance of src/formula/mathjs-parse.ts, which check loads; the symbolic leg's single-file bundle it does not). */
const PACKAGES: readonly { readonly name: string; readonly code: string; readonly bundled: boolean }[] = [
  { name: 'yargs', code: "import yargs from 'yargs'; import { hideBin } from 'yargs/helpers'; globalThis.keep = [yargs, hideBin];", bundled: true },
  { name: 'mathjs', code: "import { create, parseDependencies } from 'mathjs/number'; globalThis.keep = create({ parseDependencies }).parse;", bundled: true },
  { name: 'nerdamer', code: "import nerdamer from 'nerdamer'; import 'nerdamer/Algebra.js'; import 'nerdamer/Calculus.js'; import 'nerdamer/Solve.js'; globalThis.keep = nerdamer;", bundled: true },
  { name: '@unified-latex/unified-latex-util-parse', code: "import { parseMath } from '@unified-latex/unified-latex-util-parse'; globalThis.keep = parseMath;", bundled: true },
  { name: 'fast-check', code: "import fc from 'fast-check'; globalThis.keep = fc;", bundled: true },
  { name: 'katex', code: "import katex from 'katex'; globalThis.keep = katex;", bundled: true },
  { name: 'yaml', code: "import { parseDocument } from 'yaml'; globalThis.keep = parseDocument;", bundled: true },
  { name: 'zod', code: "import { z } from 'zod'; globalThis.keep = z;", bundled: true },
  { name: 'cli-table3', code: "import Table from 'cli-table3'; globalThis.keep = Table;", bundled: true },
  { name: 'cli-progress', code: "import p from 'cli-progress'; globalThis.keep = p;", bundled: true },
  { name: 'node:worker_threads', code: "import { Worker } from 'node:worker_threads'; globalThis.keep = Worker;", bundled: false },
];

interface ImportCost {
  readonly wallMs: number;
  /** CPU time of the process during the import (every thread): what other load disturbs least. */
  readonly cpuMs: number;
}

/** What importing `file` costs in a fresh process, measured inside it (the process start excluded). */
function importCost(file: string): ImportCost {
  const code = [
    'const cpu = process.cpuUsage(); const t = performance.now();',
    `await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const d = process.cpuUsage(cpu); console.log(JSON.stringify({ wallMs: performance.now() - t, cpuMs: (d.user + d.system) / 1000 }));',
  ].join(' ');
  return JSON.parse(timed(process.execPath, ['--input-type=module', '-e', code]).stdout) as ImportCost;
}

const medianCost = (costs: readonly ImportCost[]): ImportCost => ({ wallMs: median(costs.map((c) => c.wallMs)), cpuMs: median(costs.map((c) => c.cpuMs)) });

async function packageCosts(dir: string, loadedByCheck: ReadonlySet<string>) {
  const { NODE_BUNDLE: nodeBundle } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'build-cli.mjs')).href)) as { NODE_BUNDLE: BuildOptions };
  const rows = [];
  for (const pkg of PACKAGES) {
    const file = path.join(dir, pkg.name.replace(/[@/:]/g, '_'));
    const plain = `${file}.mjs`;
    const bundled = `${file}.bundle.mjs`;
    writeFileSync(plain, pkg.code);
    if (pkg.bundled) await build({ ...nodeBundle, stdin: { contents: pkg.code, resolveDir: repoRoot, loader: 'js' }, outfile: bundled });
    const plainCosts: ImportCost[] = [];
    const bundledCosts: ImportCost[] = [];
    for (let r = 0; r < PACKAGE_RUNS; r++) {
      plainCosts.push(importCost(plain));
      if (pkg.bundled) bundledCosts.push(importCost(bundled));
    }
    rows.push({
      package: pkg.name,
      plain: medianCost(plainCosts),
      bundled: pkg.bundled ? medianCost(bundledCosts) : null,
      loadedByCheck: loadedByCheck.has(pkg.name) || loadedByCheck.has(pkg.name.split('/')[0]!),
      plainSamples: plainCosts,
      bundledSamples: bundledCosts,
    });
  }
  return rows;
}

const ms = (x: number): string => x.toFixed(0);

async function run(): Promise<unknown> {
  const baseline = process.env['CLI_LATENCY_BASELINE'];
  const list = cases(baseline);
  const walls = list.map(() => [] as number[]);
  const peerPhases: Record<string, number>[] = [];
  const checkPhases: Record<string, number>[] = [];
  const cpuMs = { check: [] as number[], peer: [] as number[], baseline: [] as number[] };
  // Scratch files under dist/, so that the packages imported from there resolve in node_modules as the CLI's do.
  const dir = mkdtempSync(path.join(repoRoot, 'dist', 'cli-latency-'));
  try {
    const modules = probedCheck(dir, true).report;
    for (let round = 0; round < ROUNDS; round++) {
      list.forEach((c, i) => {
        const { ms: wall, stdout } = timed(c.command, c.args, c.env);
        walls[i]!.push(wall);
        if (c.command === process.execPath && c.args[1] === 'check' && !stdout.includes('✓ correct')) throw new Error(`${c.label} did not find the gradient correct:\n${stdout}`);
        if (c.args[0] === PEER) {
          const peer = JSON.parse(stdout) as { verdict: string; cpuMs: number; phasesMs: Record<string, number> };
          if (peer.verdict !== 'correct') throw new Error(`the peer judged the correct gradient ${peer.verdict}`);
          cpuMs.peer.push(peer.cpuMs);
          const inside = Object.values(peer.phasesMs).reduce((a, b) => a + b, 0);
          peerPhases.push({ 'interpreter start-up and exit': wall - inside, ...peer.phasesMs });
        }
      });
      const probed = probedCheck(dir, false);
      checkPhases.push(phasesOf(probed.report, probed.ms));
      cpuMs.check.push(probed.report.cpuMs);
      if (baseline) cpuMs.baseline.push(probedCheck(dir, false, baseline).report.cpuMs);
    }
    const peerIndex = list.findIndex((c) => c.args[0] === PEER);
    const rows = list.map((c, i) => {
      const [q1, q3] = quartiles(walls[i]!);
      const ratio = median(walls[i]!.map((w, r) => w / walls[peerIndex]![r]!));
      return { case: c.label, command: [path.basename(c.command), ...c.args.map((a) => (a === baseline ? 'BASELINE/bin/derivcheck.js' : path.isAbsolute(a) ? path.relative(repoRoot, a) : a))].join(' '), medianMs: median(walls[i]!), q1Ms: q1, q3Ms: q3, ratioToPeer: ratio, samplesMs: walls[i]!.map((x) => Math.round(x)) };
    });
    console.log(formatTable(['case', 'median ms', 'quartiles ms', '× peer (paired median)'], rows.map((r) => [r.case, ms(r.medianMs), `${ms(r.q1Ms)}–${ms(r.q3Ms)}`, r.ratioToPeer.toFixed(2)])));

    const cpu = {
      checkMs: median(cpuMs.check),
      peerMs: median(cpuMs.peer),
      ratio: median(cpuMs.check.map((c, r) => c / cpuMs.peer[r]!)),
      ...(baseline ? { baselineMs: median(cpuMs.baseline), baselineRatio: median(cpuMs.baseline.map((c, r) => c / cpuMs.peer[r]!)) } : {}),
    };
    console.log(`\nCPU time (user + system, every thread), medians: derivcheck check ${ms(cpu.checkMs)} ms, peer ${ms(cpu.peerMs)} ms, ratio ${cpu.ratio.toFixed(2)} (paired)`);
    if (cpu.baselineMs !== undefined) console.log(`baseline ${ms(cpu.baselineMs)} ms, ${cpu.baselineRatio!.toFixed(2)}× the peer`);

    const phaseMedians = (samples: Record<string, number>[]) => Object.keys(samples[0]!).map((label) => ({ phase: label, medianMs: median(samples.map((s) => s[label]!)) }));
    const check = phaseMedians(checkPhases);
    const peer = phaseMedians(peerPhases);
    console.log(`\nderivcheck check, by phase (medians of ${ROUNDS} runs with the probe preloaded):`);
    console.log(formatTable(['phase', 'median ms'], check.map((p) => [p.phase, ms(p.medianMs)])));
    console.log('\npeer, by phase:');
    console.log(formatTable(['phase', 'median ms'], peer.map((p) => [p.phase, ms(p.medianMs)])));

    const loaded = loadedPackages(modules);
    const packages = await packageCosts(dir, loaded);
    console.log(`\npackages, each imported alone in a fresh process (median of ${PACKAGE_RUNS}):`);
    const cost = (c: ImportCost | null): string => (c === null ? '—' : `${ms(c.wallMs)} / ${ms(c.cpuMs)}`);
    console.log(formatTable(['package', 'from node_modules: wall / CPU ms', 'bundled: wall / CPU ms', 'loaded by check'], packages.map((p) => [p.package, cost(p.plain), cost(p.bundled), p.loadedByCheck ? 'yes' : 'no'])));
    console.log(`derivcheck's own folders loaded by check: ${[...loaded].filter((p) => p.startsWith('derivcheck')).map((p) => p.slice('derivcheck '.length)).sort().join(', ')}`);

    const headline = rows[0]!;
    const bar = { requirement: `derivcheck check on the dense gradient ≤ ${BAR_MS} ms median, whole process`, met: headline.medianMs <= BAR_MS };
    console.log(`\nbar: ${bar.met ? 'met' : 'NOT met'} (${bar.requirement}): ${ms(headline.medianMs)} ms, ${headline.ratioToPeer.toFixed(2)}× the peer`);
    return { rounds: ROUNDS, args: CHECK_ARGS, cases: rows, cpu: { ...cpu, checkSamplesMs: cpuMs.check, peerSamplesMs: cpuMs.peer, baselineSamplesMs: cpuMs.baseline }, phases: { check, peer, checkSamples: checkPhases, peerSamples: peerPhases }, packages, loadedPackages: [...loaded].sort(), bar };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const cliLatencyBenchmark: Benchmark = {
  name: 'cli-latency',
  description: '`derivcheck check` on a small dense gradient as a whole process, by phase, beside python3 + scipy check_grad',
  run,
};
