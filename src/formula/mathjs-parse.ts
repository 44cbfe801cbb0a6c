import { create, parseDependencies } from 'mathjs/number';

/**
 * mathjs's parser, in an instance of its own built from the parser's factories alone (the node classes,
 * numbers as JavaScript numbers). The full instance the symbolic leg uses (src/symbolic/mathjs.ts)
 * builds every mathjs function as it loads, ≈ 60 ms of a 0.27 s `derivcheck check` and of every grading
 * worker's start, for a parser that needs none of them. Bundled, this module is ≈ 0.34 MB: the CLI's
 * bundle holds it, and `npm run build` bundles it in the library's build too (scripts/build-parser.mjs),
 * where the unbundled `mathjs/number` would load some 400 modules.
 */
export const parseMathjs = create({ parseDependencies }).parse;
