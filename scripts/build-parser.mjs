// Bundles the formula language's mathjs parser into the library's build (`npm run build:parser`, run by
// `npm run build` after tsc): dist/src/formula/mathjs-parse.js becomes one file holding the parser's
// part of mathjs. Compiled by tsc alone it imports `mathjs/number`, which Node loads as some 400 ES
// modules (≈ 0.27 s); bundled, importing the library is as quick as with the single-file mathjs it
// used before (src/formula/mathjs-parse.ts). The CLI's bundle (build-cli.mjs) holds the parser anyway.
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { NODE_BUNDLE } from './build-cli.mjs';

async function buildParser() {
  await build({ ...NODE_BUNDLE, entryPoints: ['src/formula/mathjs-parse.ts'], outfile: 'dist/src/formula/mathjs-parse.js', allowOverwrite: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildParser();
