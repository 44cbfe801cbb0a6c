import { describe, expect, test } from 'vitest';
import { SpecError, parseDomainSpec } from '../../src/problem/specs.js';

describe('--domain specs', () => {
  test.each([
    ['p=simplex', { kind: 'simplex' }],
    ['A=symmetric', { kind: 'symmetric' }],
    ['A=spd', { kind: 'spd' }],
    ['Q=orthogonal', { kind: 'orthogonal' }],
    ['y=binary', { kind: 'binary' }],
    ['y=pm1', { kind: 'pm1' }],
    ['c=labels:K', { kind: 'labels', classes: 'K' }],
    // A number of classes (refused before: it was read as a dimension name '2').
    ['c=labels:2', { kind: 'labels', classes: 2 }],
    ['x=uniform:-1:1', { kind: 'uniform', lo: -1, hi: 1 }],
    // Parameters the problem modules use: a spread, a margin from the kink, the simplex's dim (1-based).
    ['K=normal:0.4', { kind: 'normal', std: 0.4 }],
    ['x=awayFromZero:0.5', { kind: 'awayFromZero', margin: 0.5 }],
    ['p=simplex:1', { kind: 'simplex', axis: 0 }],
    ['p=simplex:2', { kind: 'simplex', axis: 1 }],
  ])('%s', (text, domain) => {
    expect(parseDomainSpec(text)).toEqual([text.slice(0, text.indexOf('=')), domain]);
  });

  test.each(['x=gaussian', 'c=labels:', 'c=labels:0', 'c=labels:2.5', 'x=uniform:1:-1', 'A=spd:2', 'x=normal:0', 'x=normal:-1', 'x=normal:', 'x=awayFromZero:x', 'p=simplex:0', 'p=simplex:1.5'])('%s is a usage error listing the domains', (text) => {
    expect(() => parseDomainSpec(text)).toThrow(SpecError);
    expect(() => parseDomainSpec(text)).toThrow(/symmetric, spd, orthogonal, binary, pm1/);
  });
});
