// Bundles the command line into dist/cli/ (`npm run build:cli`, the last step of `npm run build`).
//
// Why a bundle: Node's ES module loader pays per file (resolve, read, compile, link), and the CLI's
// packages are many small files (yargs, fast-check, unified-latex, nerdamer through the CommonJS
// lexer). One bundle with its shared chunks starts `derivcheck check` far sooner; bench/cli-latency.ts
// measures it (bench/README.md). The library keeps its unbundled build (dist/src, package.json
// `exports`): only the CLI runs from here.
//
// Layout: every output file sits in dist/cli/, so code that finds a file beside its own module
// (import.meta.url) finds it there: the worker scripts (verify-worker.js, worker.js), the problem
// registry the workers import (problems.js; src/cli/registry.ts), the question-file loader they import
// (question-loader.js), and the WebAssembly kernels, copied here. The shipped question files stay in
// the package's problems/ folder (problems/shipped-spec.ts finds them from dist/cli/). Entries that run in the same thread share chunks, hence one copy of each class
// (`instanceof Tensor` holds across the registry and the CLI).
import { copyFileSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** How derivcheck bundles for Node (bench/cli-latency.ts bundles single packages the same way). */
export const NODE_BUNDLE = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS packages inside an ES module bundle call require() for Node's built-ins.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
};

async function buildCli() {
  const outdir = 'dist/cli';
  rmSync(outdir, { recursive: true, force: true });
  await build({
    ...NODE_BUNDLE,
    entryPoints: [
      { in: 'src/cli/launch.ts', out: 'launch' },
      { in: 'src/cli/main.ts', out: 'main' },
      { in: 'problems/index.ts', out: 'problems' },
      { in: 'src/problem/verify-worker.ts', out: 'verify-worker' },
      { in: 'src/grade/worker.ts', out: 'worker' },
      // Question files for worker threads: each worker imports this loader (src/question/question-loader.ts).
      { in: 'src/question/question-loader.ts', out: 'question-loader' },
    ],
    outdir,
    // A command's code (imported in its handler) lands in chunks loaded only when it runs.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    sourcemap: true,
  });
  copyFileSync('src/tensor/kernels.wasm', `${outdir}/kernels.wasm`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildCli();
