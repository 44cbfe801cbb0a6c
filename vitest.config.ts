import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig(({ mode }) => ({
  test: {
    // Property tests and FD sweeps are CPU-bound; two workers match the 2-core CI machine.
    pool: 'threads',
    maxWorkers: 2,
    // Test files share each worker's module cache instead of re-importing mathjs, the problem registry and
    // the symbolic engines per file (import time 23 s → 5 s of a 67 s run). No test file mocks a module
    // or leaves global state changed (generated-code.test.ts restores globalThis.Function); the suite
    // passes with shuffled file orders (--sequence.shuffle.files).
    isolate: false,
    testTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/fuzz/**'] } },
      // The fuzz measures its own process's CPU time and memory (test/fuzz/pipeline.ts): a process of its
      // own. Projects run in mode 'test'; `--mode fuzz` (npm run fuzz) reaches the suite as MODE.
      { extends: true, test: { name: 'fuzz', include: ['test/fuzz/**/*.test.ts'], pool: 'forks', env: { MODE: mode } } },
    ],
  },
}));
