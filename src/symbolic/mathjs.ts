import mathjsBundle from 'mathjs/lib/browser/math.js';

/**
 * mathjs with all its functions, for the symbolic leg (derivative, simplify), loaded from its
 * single-file bundle: the ESM entry point loads about a thousand modules (≈ 1.7 s here), the bundle
 * one file (≈ 0.15 s). Same library and version, same API. A static import (the bundle is CommonJS,
 * so its module.exports is the default export) works in Node and in the browser build alike. The
 * formula language needs mathjs's parser only and has its own instance (src/formula/mathjs-parse.ts),
 * so that checking and grading never build this one.
 */
export const mathjs: typeof import('mathjs') = mathjsBundle;
