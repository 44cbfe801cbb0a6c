export * from './fd/index.js';
export * from './formula/index.js';
export * from './grade/index.js';
export * from './symbolic/index.js';
