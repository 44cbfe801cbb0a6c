import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests and FD sweeps are CPU-bound; two workers match the 2-core CI machine.
    pool: 'threads',
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
