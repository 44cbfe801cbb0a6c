/** derivcheck's library API: everything the CLI does can be done from here. */
export * from './tensor/index.js';
export * from './fd/index.js';
export * from './formula/index.js';
export * from './symbolic/index.js';
export * from './problem/index.js';
export * from './grade/index.js';
/** The problem modules (the package entry is the one place outside problems/ that imports them). */
export { problems } from '../problems/index.js';
