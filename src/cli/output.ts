import pc from 'picocolors';
import { Tensor } from '../tensor/tensor.js';
import { SEED_RANGE, requireInRange } from './option-ranges.js';

/** Options every command takes. */
export interface CommonOptions {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly seed?: number | undefined;
}

/** Colours only when stdout is a terminal and NO_COLOR is unset. */
export const colors = pc.createColors(process.stdout.isTTY === true && !process.env['NO_COLOR']);

/** JSON with tensors as nested row-major arrays; non-finite numbers become null (JSON has no NaN). */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (v instanceof Tensor) return v.toNested();
      if (v instanceof Float64Array || v instanceof Int32Array) return Array.from(v);
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      return v;
    },
    2,
  );
}

export function printJson(value: unknown): void {
  process.stdout.write(`${toJson(value)}\n`);
}

export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Relative errors as the tables show them: 3 significant digits, '-' when nothing was compared. */
export function formatError(e: number | null | undefined): string {
  if (e === null || e === undefined) return '-';
  if (!Number.isFinite(e)) return String(e);
  return e === 0 ? '0' : e.toExponential(2);
}

/** A seed for this run: the one given (checked), else a fresh one that every report prints so the run can be repeated. */
export function resolveSeed(seed: number | undefined): number {
  if (seed !== undefined) requireInRange('--seed', seed, SEED_RANGE);
  return seed ?? Math.floor(Math.random() * 2 ** 31);
}
