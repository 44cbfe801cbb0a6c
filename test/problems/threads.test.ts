import { describe, expect, test } from 'vitest';
import { defaultWorkerCount } from '../../src/problem/threads.js';

describe('default worker count (verify and grade)', () => {
  test('one thread on a machine of 1 or 2 cores (two workers were slower there), one per core above', () => {
    expect([1, 2, 3, 4, 16].map((cores) => defaultWorkerCount(cores))).toEqual([1, 1, 3, 4, 16]);
  });
});
