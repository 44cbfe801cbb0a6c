import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { readQuestionFile } from '../../src/question/index.js';

/** The built-in problems shipped as question files (problems/*.yaml). */
const FOLDER = new URL('../../problems/', import.meta.url);
const SHIPPED = readdirSync(FOLDER).filter((f) => f.endsWith('.yaml'));

describe('the shipped question files', () => {
  test('are the derivations the format can say: 10 of the 13 built-ins (rnn-ratio, rnn-jacobian and conv-shapes take code)', () => {
    expect(SHIPPED.map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual([
      'avgpool-sigmoid-conv',
      'conv2d',
      'dense-batch',
      'dense-batch-col',
      'logistic-layer',
      'mlp2-mse',
      'relu',
      'relu-softmax-ce',
      'softmax-ce',
      'softmax-ce-labels',
    ]);
    expect(problems.filter((p) => p.file !== undefined).map((p) => `${p.id}.yaml`).sort()).toEqual(SHIPPED.sort());
  });

  test.each(SHIPPED)('%s reads with every answer, spelling and mistake checked, and is the registry’s problem of its name', (file) => {
    const { problem } = readQuestionFile(fileURLToPath(new URL(file, FOLDER)));
    expect(problem.id).toBe(file.replace(/\.yaml$/, ''));
    const registered = problems.find((p) => p.id === problem.id)!;
    // The registry reads the file when a problem is first used: the same problem, field by field.
    const fields = (p: typeof problem) => ({ ...p, forward: undefined, forwardCost: p.forwardCost !== undefined, admissible: p.admissible !== undefined, file: undefined, dims: p.dims.names, properties: p.properties.map((c) => c.name) });
    // softmax-ce's module adds a property in code, after the file's own.
    const code = registered.id === 'softmax-ce' ? ['closed-form-needs-simplex'] : [];
    expect(fields(registered)).toEqual({ ...fields(problem), properties: [...fields(problem).properties, ...code] });
    expect(registered.file).toBe(fileURLToPath(new URL(file, FOLDER)));
  });
});
