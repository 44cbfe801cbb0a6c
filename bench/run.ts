import { type Benchmark, machine, writeResults } from './harness.js';
import { check4dBenchmark } from './check4d.js';
import { cliLatencyBenchmark } from './cli-latency.js';
import { costModelBenchmark } from './cost-model.js';
import { fdBenchmark } from './fd.js';
import { fdAllocBenchmark } from './fd-alloc.js';
import { formulaBenchmark } from './formula.js';
import { gradeBenchmark } from './grade.js';
import { questionsBenchmark } from './questions.js';
import { scaleBenchmark } from './scale.js';
import { tensorBenchmark } from './tensor.js';
import { verifyBenchmark } from './verify.js';

/**
 * `npm run bench [-- filter...]`: runs every registered benchmark, or those whose name contains one of
 * the filters, and writes bench/results/<name>.json. To add one, write bench/<name>.ts exporting a
 * `Benchmark` and list it here.
 */
const BENCHMARKS: readonly Benchmark[] = [tensorBenchmark, formulaBenchmark, costModelBenchmark, fdBenchmark, fdAllocBenchmark, check4dBenchmark, gradeBenchmark, scaleBenchmark, verifyBenchmark, questionsBenchmark, cliLatencyBenchmark];

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const selected = filters.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => filters.some((f) => b.name.includes(f)));
  if (selected.length === 0) {
    console.error(`no benchmark matches ${filters.join(', ')}; available: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  for (const bench of selected) {
    console.log(`\n== ${bench.name}: ${bench.description}\n`);
    const results = await bench.run();
    const file = writeResults(bench.name, {
      benchmark: bench.name,
      description: bench.description,
      date: new Date().toISOString(),
      command: `npm run bench -- ${bench.name}`,
      machine: machine(),
      results,
    });
    console.log(`\nwritten ${file}`);
  }
}

await main();
