export * from './fd/index.js';
export * from './formula/index.js';
