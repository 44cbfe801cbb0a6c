import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Declarations, FUNCTION_ROWS, type ScalarKernel, compileFormula, functionRow, parseFormula } from '../../src/formula/index.js';
import { Tensor, abs, ceil, exp, floor, log, maximum, minimum, relu, sigmoid, sqrt, tanh } from '../../src/tensor/index.js';
import { FC, evaluate, normals } from './helpers.js';

/**
 * The loop generator: its source is made from the checked tree only (no user text), and its scalar
 * semantics are the tensor-core kernels' (so index notation and whole-tensor forms agree bit for bit).
 */

/** A function's scalar kernel from the function table. */
function scalarKernel(name: string): ScalarKernel {
  const row = functionRow(name);
  if (row?.kind !== 'computed' || row.scalar === undefined) throw new Error(`${name} has no scalar kernel`);
  return row.scalar;
}

/** Every elementwise function of one argument in the table. */
const UNARY = FUNCTION_ROWS.filter((row) => row.family === 'elementwise' && row.arity[1] === 1).map((row) => row.name);

const DECLARATIONS: Declarations = {
  dims: ['rowCount', 'colCount'],
  symbols: [
    { name: 'userTensor', shape: ['rowCount', 'colCount'] },
    { name: 'otherTensor', shape: ['rowCount', 'colCount'] },
  ],
};

describe('generated loops contain no user text', () => {
  const sources: string[] = [];
  const original = globalThis.Function;

  beforeEach(() => {
    sources.length = 0;
    // Records the source of every function the compiler builds.
    globalThis.Function = new Proxy(original, {
      construct(target, args: string[]) {
        sources.push(args[args.length - 1]!);
        return Reflect.construct(target, args);
      },
    });
  });

  afterEach(() => {
    globalThis.Function = original;
  });

  test('names, indices and strings of the formula never appear in the source', () => {
    const text = "outIdx[rowIdx, colIdx] = sum(userTensor[rowIdx, sumIdx] * otherTensor[rowIdx, sumIdx], sumIdx) + max(userTensor[rowIdx, colIdx], 0.25) + colCount";
    const run = compileFormula(parseFormula(text, { declarations: DECLARATIONS }), DECLARATIONS, { targetShape: ['rowCount', 'colCount'] });
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      for (const name of ['outIdx', 'rowIdx', 'colIdx', 'sumIdx', 'userTensor', 'otherTensor', 'rowCount', 'colCount']) expect(source).not.toContain(name);
      // Only generated identifiers: a letter and digits (v3, d0, t12), the kernel's parameters and helpers.
      const words = new Set(source.match(/[A-Za-z_][A-Za-z0-9_]*/g));
      const allowed = /^([a-z]\d+(_\d+)?|use|strict|return|function|kernel|rt|T|Z|B|H|C|F|O|out|w|const|let|for|if|else|continue|tick|now|tmo|ovb|env|budget|deadline|data|offset|strides|shape|Math|max|min|e)$/;
      for (const w of words) expect(w, `unexpected word ${w} in generated code`).toMatch(allowed);
    }
    const v = normals(3, { userTensor: [3, 4], otherTensor: [3, 4] });
    expect(run(v, { rowCount: 3, colCount: 4 }).shape).toEqual([3, 4]);
  });

  test('formulas of one loop structure share one compiled kernel; another constant is another kernel', () => {
    const compile = (text: string) => compileFormula(parseFormula(text, { declarations: DECLARATIONS }), DECLARATIONS, { targetShape: ['rowCount', 'colCount'] });
    // A structure no other test compiles (the constant), so that the first compilation builds it here.
    const first = compile('r[i, j] = sum(userTensor[i, k] * otherTensor[i, k], k) * 0.3095 + userTensor[i, j]');
    const built = sources.length;
    expect(built).toBeGreaterThan(0);
    // Other index names and spacing: the same loops, so no function is built again.
    const again = compile('out[a,b]=sum(userTensor[a,c]*otherTensor[a,c],c)*0.3095+userTensor[a,b]');
    expect(sources.length).toBe(built);
    const other = compile('r[i, j] = sum(userTensor[i, k] * otherTensor[i, k], k) * 0.6190 + userTensor[i, j]');
    expect(sources.length).toBeGreaterThan(built);
    // Each runs on its own inputs: the shared kernel holds nothing of the formula that built it.
    const v = normals(5, { userTensor: [2, 3], otherTensor: [2, 3] });
    const dims = { rowCount: 2, colCount: 3 };
    const u = v['userTensor']!.toNested() as number[][];
    const o = v['otherTensor']!.toNested() as number[][];
    const expected = (c: number) => u.map((row, i) => row.map((x) => row.reduce((acc, _, k) => acc + u[i]![k]! * o[i]![k]!, 0) * c + x));
    for (const [run, c] of [[first, 0.3095], [again, 0.3095], [other, 0.619]] as const) {
      const got = run(v, dims).toNested() as number[][];
      got.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(expected(c)[i]![j]!, 12)));
    }
  });
});

describe('scalar functions are the tensor-core kernels, element for element', () => {
  const KERNELS: readonly (readonly [string, (t: Tensor) => Tensor])[] = [
    ['exp', exp], ['log', log], ['sqrt', sqrt], ['abs', abs], ['tanh', tanh], ['ceil', ceil], ['floor', floor], ['sigmoid', sigmoid], ['relu', relu],
  ];
  const special = [0, -0, 1, -1, 0.5, -0.5, 1e-300, -1e-300, 700, -700, 1e308, -1e308, Infinity, -Infinity, NaN];

  test.each(KERNELS)('%s', (name, kernel) => {
    const f = scalarKernel(name);
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 1, maxLength: 20 }), (xs) => {
        const all = [...xs, ...special];
        const expected = kernel(Tensor.fromArray([all.length], all)).toArray();
        all.forEach((x, i) => expect(Object.is(f(x), expected[i]), `${name}(${x})`).toBe(true));
      }),
      { ...FC, numRuns: 50 },
    );
  });

  test('max and min of two numbers are maximum and minimum', () => {
    const pairs = [[1, 2], [NaN, 1], [1, NaN], [-0, 0], [0, -0], [Infinity, -Infinity]];
    for (const [a, b] of pairs) {
      expect(Object.is(scalarKernel('max')(a!, b!), maximum(a!, b!).item())).toBe(true);
      expect(Object.is(scalarKernel('min')(a!, b!), minimum(a!, b!).item())).toBe(true);
    }
  });

  test('mod follows MATLAB: the sign of the divisor, mod(a, 0) = a', () => {
    const mod = scalarKernel('mod');
    expect([mod(7, 3), mod(-7, 3), mod(7, -3), mod(5, 0), mod(-1, 4)]).toEqual([1, 2, -2, 5, 3]);
  });
});

describe('index notation and whole-tensor forms agree bit for bit', () => {
  const D: Declarations = { dims: ['N', 'M'], symbols: [{ name: 'X', shape: ['N', 'M'] }, { name: 'Y', shape: ['N', 'M'] }] };
  test.each(UNARY)('%s', (f) => {
    const v = normals(5, { X: [4, 5], Y: [4, 5] });
    v.X!.data[0] = NaN;
    v.X!.data[1] = -Infinity;
    v.X!.data[2] = 800;
    const dims = { N: 4, M: 5 };
    const loops = evaluate(`Z[i, j] = ${f}(X[i, j]) * 2 - Y[i, j] ./ 3`, D, v, dims, { targetShape: ['N', 'M'] }).toArray();
    const whole = evaluate(`${f}(X) * 2 - Y ./ 3`, D, v, dims).toArray();
    loops.forEach((x, i) => expect(Object.is(x, whole[i]), `entry ${i}: ${x} vs ${whole[i]}`).toBe(true));
  });
});
