import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { QuestionFileError, parseQuestionFile } from '../../src/question/index.js';

/** The example question, verbatim: every bad file below is one edit of it. */
const BASE = readFileSync(new URL('./files/tanh-mlp-ce.yaml', import.meta.url), 'utf8');

function edit(from: string, to: string): string {
  expect(BASE).toContain(from);
  return BASE.replace(from, to);
}

function errorOf(text: string): QuestionFileError {
  try {
    parseQuestionFile(text, 'hw/q1.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(QuestionFileError);
    return err as QuestionFileError;
  }
  throw new Error('the file was accepted');
}

interface BadFile {
  readonly text: string;
  /** Where the error must point (1-based), the field it names, and fragments of what it says. */
  readonly line: number;
  readonly column: number;
  readonly field: string;
  readonly says: readonly (string | RegExp)[];
}

const BAD_FILES: Record<string, BadFile> = {
  'a key given twice': { text: edit('  D: 2..5', '  D: 2..5\n  D: 3'), line: 7, column: 3, field: '', says: ['not valid YAML or JSON', 'unique'] },
  'a list instead of a mapping': { text: '- id: q\n- loss: x\n', line: 1, column: 1, field: '', says: ['expected a question', 'got a list'] },
  'no id': { text: edit('id: tanh-mlp-ce\n', ''), line: 1, column: 1, field: 'id', says: ['missing the id', 'id: tanh-mlp-ce'] },
  'an id with a space': { text: edit('id: tanh-mlp-ce', 'id: tanh mlp'), line: 1, column: 5, field: 'id', says: ['letters, digits'] },
  'a misspelt field': { text: edit('loss:', 'lose:'), line: 20, column: 1, field: '', says: ["unknown field 'lose'", "did you mean 'loss'?"] },
  'a range the wrong way round': { text: edit('N: 1..6', 'N: 6..1'), line: 5, column: 6, field: 'dims.N', says: ['6..1 is not a size range', 'N: 1..6'] },
  'a range in words': { text: edit('N: 1..6', 'N: lots'), line: 5, column: 6, field: 'dims.N', says: ['"lots" is not a size', 'N: 3'] },
  'an input without its shape': { text: edit('W1: { shape: [D, Hd] }', 'W1: { shap: [D, Hd] }'), line: 11, column: 9, field: 'inputs.W1', says: ["unknown field 'shap'", "did you mean 'shape'?"] },
  'a shape naming an undeclared dimension': { text: edit('W1: { shape: [D, Hd] }', 'W1: { shape: [D, H2] }'), line: 11, column: 20, field: 'inputs.W1.shape[1]', says: ['H2 is not a dimension', 'declare H2 under dims'] },
  'an unknown domain': { text: edit('"labels:K"', 'gaussian'), line: 15, column: 29, field: 'inputs.c.domain', says: ["'gaussian' is not a domain", 'labels:K'] },
  'labels counted by an undeclared dimension': { text: edit('"labels:K"', '"labels:C"'), line: 15, column: 29, field: 'inputs.c.domain', says: ['the class count C is not a dimension', 'a declared dimension'] },
  'a let step that does not parse': { text: edit('Z: H * W2 + b2', 'Z: H * W2 + '), line: 18, column: 14, field: 'let.Z', says: ['Unexpected end of expression', /\^/] },
  'a let step naming an unknown symbol': { text: edit('Z: H * W2 + b2', 'Z: H * W3 + b2'), line: 18, column: 10, field: 'let.Z', says: ['unknown symbol W3', 'did you mean W1 or W2?', '  H * W3 + b2\n      ^^'] },
  'a let step whose shapes do not fit': { text: edit('Z: H * W2 + b2', 'Z: H * W1 + b2'), line: 18, column: 6, field: 'let.Z', says: ['inner dimensions differ', "H * W1'"] },
  'a let step in mapping form naming an unknown symbol': { text: edit('Z: H * W2 + b2', 'Z: { formula: "H * W3 + b2", description: the logits }'), line: 18, column: 22, field: 'let.Z', says: ['unknown symbol W3'] },
  'a loss that is not a scalar': { text: edit('loss: -sum(log(P) .* onehot(c, K)) / N', 'loss: log(P)'), line: 20, column: 7, field: 'loss', says: ['must be a scalar', 'N×K', 'sum it'] },
  'a quoted loss naming an unknown symbol': { text: edit('loss: -sum(log(P) .* onehot(c, K)) / N', 'loss: "-sum(log(Q) .* onehot(c, K)) / N"'), line: 20, column: 17, field: 'loss', says: ['unknown symbol Q'] },
  'a target with respect to an unknown name': { text: edit('wrt: W2', 'wrt: W3'), line: 33, column: 10, field: 'targets.dW2.wrt', says: ['neither an input nor a let name', 'W1 or W2'] },
  'an answer whose shapes do not fit': { text: edit("answer: H' * (P - onehot(c, K)) / N", 'answer: H * (P - onehot(c, K)) / N'), line: 34, column: 13, field: 'targets.dW2.answer', says: ['inner dimensions differ', "did you mean H' * (P - onehot(c, K))?"] },
  'an answer of the transposed shape': { text: edit("answer: H' * (P - onehot(c, K)) / N", "answer: (P - onehot(c, K))' * H / N"), line: 34, column: 13, field: 'targets.dW2.answer', says: ['expected Hd×K, got K×Hd'] },
  'a mistake that does not parse': { text: edit("- formula: X' * ((P - onehot(c, K)) * W2') / N", "- formula: X' * ((P - onehot(c, K)) * W2' / N"), line: 29, column: 52, field: 'targets.dW1.mistakes[0].formula', says: ['Parenthesis ) expected'] },
  'a mistake without why': { text: edit("        why: H = tanh(A), so the chain rule multiplies by tanh'(A) = 1 - H.^2, elementwise.\n", ''), line: 29, column: 9, field: 'targets.dW1.mistakes[0].why', says: ['missing why'] },
  'a negative number of points': { text: edit('points: 2', 'points: -2'), line: 27, column: 13, field: 'targets.dW1.points', says: ['points is a number ≥ 0'] },
  'a spelling with both formula and latex': { text: edit('accept: []', 'accept: [{ formula: x, latex: y }]'), line: 26, column: 14, field: 'targets.dW1.accept[0]', says: ['exactly one of formula or latex'] },
  'an answer that is a list': { text: edit("answer: H' * (P - onehot(c, K)) / N", 'answer: { formula: [1] }'), line: 34, column: 24, field: 'targets.dW2.answer.formula', says: ['as text', 'got a list'] },
  'a formula with a comma in a flow mapping, unquoted': { text: edit('X:  { shape: [N, D] }', 'X:  { shape: [N, D], description: features, one per row }'), line: 10, column: 47, field: 'inputs.X', says: ["unknown field 'one per row'", 'put a formula with a comma in quotes'] },
  'no targets': { text: `${BASE.slice(0, BASE.indexOf('targets:'))}targets: {}\n`, line: 21, column: 10, field: 'targets', says: ['at least one target'] },
  'an example of the wrong shape': { text: edit('X: [[1, 2]]', 'X: [[1, 2, 3]]'), line: 37, column: 13, field: 'examples[0].values', says: ['W1', 'D×Hd'] },
  'an example without an input': { text: edit('X: [[1, 2]], ', ''), line: 37, column: 13, field: 'examples[0].values', says: ['no value for X'] },
  'an example value that is not a number': { text: edit('X: [[1, 2]]', 'X: [[1, "a"]]'), line: 37, column: 23, field: 'examples[0].values.X[0][1]', says: ['numbers or nested lists of numbers'] },
  'zero runs': { text: edit('runs: 16', 'runs: 0'), line: 38, column: 18, field: 'grading.runs', says: ['whole number ≥ 1'] },
  'a tolerance, which verdicts do not take': { text: edit('runs: 16', 'runs: 16, tolerance: 1e-3'), line: 38, column: 33, field: 'grading.tolerance', says: ['no per-question tolerance', 'error bars'] },
  'a domain parameter the domain does not take': { text: edit('"labels:K"', '"simplex:0"'), line: 15, column: 29, field: 'inputs.c.domain', says: ["'simplex:0' is not a domain", 'simplex:DIM'] },
  'an alias of an unknown name': { text: `${BASE}notation: { aliases: { g: G } }\n`, line: 39, column: 27, field: 'notation.aliases.g', says: ['neither an input nor a let name'] },
};

describe('a question file that cannot be used is reported with its file, line, column and field', () => {
  test.each(Object.entries(BAD_FILES))('%s', (_name, bad) => {
    const error = errorOf(bad.text);
    expect({ file: error.file, line: error.line, column: error.column, field: error.field }).toEqual({ file: 'hw/q1.yaml', line: bad.line, column: bad.column, field: bad.field });
    expect(error.message.startsWith(`hw/q1.yaml:${bad.line}:${bad.column}: `)).toBe(true);
    for (const fragment of bad.says) expect(error.message).toMatch(fragment);
  });

  test('a YAML syntax error is reported where the parser stops', () => {
    const error = errorOf(edit('N: 1..6', 'N: [1..6'));
    expect(error.line).toBeGreaterThanOrEqual(5);
    expect(error.message).toContain('not valid YAML or JSON');
  });

  test('JSON is read as well, with positions', () => {
    const json = JSON.stringify({ id: 'j', inputs: { x: { shape: ['N'] } }, dims: { N: '1..3' }, loss: 'sum(x .^ 2)', targets: { dx: { wrt: 'y', answer: '2 * x' } } }, null, 2);
    const error = errorOf(json);
    expect(error.field).toBe('targets.dx.wrt');
    expect(json.split('\n')[error.line - 1]).toContain('"wrt": "y"');
  });
});
