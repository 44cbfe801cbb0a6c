export * from './types.js';
export * from './dims.js';
export * from './shapes.js';
export * from './sample.js';
export * from './claim.js';
export * from './check.js';
export * from './verify.js';
export * from './registry.js';
