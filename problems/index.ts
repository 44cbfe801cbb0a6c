import type { Problem } from '../src/problem/types.js';
import { denseBatch } from './dense-batch.js';

/** Every problem module, in the order `derivcheck list` shows them. */
export const problems: readonly Problem[] = [denseBatch];
