// @ts-check
/**
 * Builds the browser playground into a static site (`npm run build:web` → dist/web/):
 *   index.html       the page (web/index.html)
 *   playground.js    the page's script, one classic script (no modules: a page opened from file://
 *                    may not load them), holding the engine's worker script as text
 *   playground.css   the page's styles and KaTeX's, with KaTeX's fonts in fonts/
 * The engine is the library itself, bundled from src/ and problems/ for the browser: the modules that
 * read files give way to twins holding the bytes (src/tensor/wasm-kernels-file.ts to
 * web/engine/wasm-kernels-inline.ts, problems/shipped-spec.ts to the specs of problems/*.yaml). Any
 * other Node built-in on the engine's path fails the build.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KERNELS_WASM = path.join(ROOT, 'src/tensor/kernels.wasm');

/** What the bundles run on: the browsers of the last few years (workers, BigInt, WebAssembly SIMD where present). */
const TARGET = ['es2022'];

/**
 * The shipped question files read into specs, as a module with problems/shipped-spec.ts's exports: the
 * browser has no files to read, and reading them in every worker at start-up would parse and validate
 * data that is the same every time. The reader (src/question/document.ts) is
 * bundled for Node, run here on problems/*.yaml, and its specs put in the page as JSON (maps as
 * { $map: entries }).
 */
async function shippedSpecsModule() {
  const reader = path.join(ROOT, 'dist/.question-document.mjs');
  await esbuild.build({ entryPoints: [path.join(ROOT, 'src/question/document.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: reader, logLevel: 'warning' });
  try {
    const { readQuestionDocument } = await import(pathToFileURL(reader).href);
    const folder = path.join(ROOT, 'problems');
    const specs = Object.fromEntries(
      readdirSync(folder)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => [f.slice(0, -'.yaml'.length), readQuestionDocument(readFileSync(path.join(folder, f), 'utf8'), `problems/${f}`).spec]),
    );
    const json = JSON.stringify(specs, (_key, value) => (value instanceof Map ? { $map: [...value] } : value));
    return `const SPECS = JSON.parse(${JSON.stringify(json)}, (_key, value) => (value !== null && typeof value === 'object' && Array.isArray(value.$map) ? new Map(value.$map) : value));
export function shippedQuestionFile(id) { return undefined; }
export function shippedQuestionSpec(id) {
  if (!Object.hasOwn(SPECS, id)) throw new Error('problems/' + id + '.yaml is not in the bundle');
  return SPECS[id];
}
`;
  } finally {
    rmSync(reader, { force: true });
  }
}

/**
 * Puts the browser's twins in place of the modules that read files: kernels.wasm's bytes, and the
 * shipped question files' specs.
 */
const browserTwins = {
  name: 'browser-twins',
  /** @param {esbuild.PluginBuild} build */
  setup(build) {
    build.onResolve({ filter: /\/wasm-kernels-file\.js$/ }, () => ({ path: path.join(ROOT, 'web/engine/wasm-kernels-inline.ts') }));
    build.onResolve({ filter: /\/shipped-spec\.js$/ }, () => ({ path: 'shipped-spec', namespace: 'derivcheck-shipped' }));
    build.onLoad({ filter: /.*/, namespace: 'derivcheck-shipped' }, async () => ({ contents: await shippedSpecsModule(), loader: 'js' }));
  },
};

/**
 * Modules the engine must not bundle: the symbolic leg (src/symbolic, with nerdamer, ≈440 kB) serves
 * `verify`'s proofs, never a check or a grade, and reaches the page only through a stray import (a
 * constant taken from verify.ts, say). The build fails instead of quietly growing by a third. (The
 * YAML reader and zod are bundled: a question file dropped on the page is read by the library's own
 * reader, src/question/file.ts.)
 */
const KEPT_OUT = /(^|\/)(src\/symbolic|node_modules\/nerdamer)\//;

/**
 * The engine's worker script, bundled first, as the module 'derivcheck:engine' of the page's script
 * (its default export is the script's text).
 * @param {string} engine
 */
function engineAsText(engine) {
  return {
    name: 'engine-as-text',
    /** @param {esbuild.PluginBuild} build */
    setup(build) {
      build.onResolve({ filter: /^derivcheck:engine$/ }, () => ({ path: 'engine', namespace: 'derivcheck' }));
      build.onLoad({ filter: /.*/, namespace: 'derivcheck' }, () => ({ contents: engine, loader: 'text' }));
    },
  };
}

/**
 * Builds the site into `outDir` (emptied first) and returns the files written with their sizes.
 * @param {string} outDir
 * @returns {Promise<{ file: string; bytes: number }[]>}
 */
export async function buildSite(outDir) {
  if (!existsSync(KERNELS_WASM)) throw new Error(`${path.relative(ROOT, KERNELS_WASM)} is missing: run \`npm run build:wasm\` first`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  /** @type {esbuild.BuildOptions} */
  const common = { bundle: true, minify: true, target: TARGET, platform: 'browser', logLevel: 'warning', legalComments: 'eof' };
  const engine = await esbuild.build({
    ...common,
    entryPoints: [path.join(ROOT, 'web/engine/worker.ts')],
    format: 'iife',
    write: false,
    loader: { '.wasm': 'binary' },
    plugins: [browserTwins],
    metafile: true,
  });
  const strays = Object.keys(engine.metafile.inputs).filter((input) => KEPT_OUT.test(input));
  if (strays.length > 0) throw new Error(`the engine bundles modules it never runs: ${strays.join(', ')} (follow their imports from web/engine/)`);
  await esbuild.build({
    ...common,
    entryPoints: [path.join(ROOT, 'web/app/main.ts')],
    format: 'iife',
    outfile: path.join(outDir, 'playground.js'),
    plugins: [engineAsText(engine.outputFiles[0]?.text ?? '')],
  });
  await esbuild.build({
    ...common,
    entryPoints: [path.join(ROOT, 'web/app/playground.css')],
    outfile: path.join(outDir, 'playground.css'),
    // woff2 is enough for every browser that runs the engine; the older formats KaTeX lists are left out.
    loader: { '.woff2': 'file', '.woff': 'empty', '.ttf': 'empty' },
    assetNames: 'fonts/[name]',
  });
  copyFileSync(path.join(ROOT, 'web/index.html'), path.join(outDir, 'index.html'));
  return ['index.html', 'playground.js', 'playground.css'].map((file) => ({ file, bytes: statSync(path.join(outDir, file)).size }));
}

/** The site's folder: `derivcheck web` serves it. */
export const SITE_DIR = path.join(ROOT, 'dist/web');

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = await buildSite(SITE_DIR);
  for (const { file, bytes } of files) console.log(`${path.relative(process.cwd(), path.join(SITE_DIR, file))}  ${(bytes / 1024).toFixed(0)} kB`);
}
