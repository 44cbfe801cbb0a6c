/** 1 / (1 + e^−x), in the branch that cannot overflow (as tensor-core's sigmoid). */
function sigmoid(x) {
    if (x >= 0)
        return 1 / (1 + Math.exp(-x));
    const e = Math.exp(x);
    return e / (1 + e);
}
/** MATLAB's mod: the result has the sign of the divisor, and mod(a, 0) = a. */
function mod(a, b) {
    return b === 0 ? a : a - Math.floor(a / b) * b;
}
/** Scalar functions by formula name. */
export const SCALAR_FUNCTIONS = new Map([
    ['exp', Math.exp],
    ['log', Math.log],
    ['sqrt', Math.sqrt],
    ['abs', Math.abs],
    ['tanh', Math.tanh],
    ['ceil', Math.ceil],
    ['floor', Math.floor],
    ['sigmoid', sigmoid],
    ['relu', (x) => (x < 0 ? 0 : x)],
    ['delta', (a, b) => (a === b ? 1 : 0)],
    ['mod', mod],
    ['max', (a, b) => Math.max(a, b)],
    ['min', (a, b) => Math.min(a, b)],
]);
/** Binary operators on numbers, as functions (tensor evaluator) and as JS source (generated loops). */
export const SCALAR_OPERATORS = {
    '+': { apply: (a, b) => a + b, code: (a, b) => `(${a} + ${b})` },
    '-': { apply: (a, b) => a - b, code: (a, b) => `(${a} - ${b})` },
    '*': { apply: (a, b) => a * b, code: (a, b) => `(${a} * ${b})` },
    '.*': { apply: (a, b) => a * b, code: (a, b) => `(${a} * ${b})` },
    '/': { apply: (a, b) => a / b, code: (a, b) => `(${a} / ${b})` },
    './': { apply: (a, b) => a / b, code: (a, b) => `(${a} / ${b})` },
    '^': { apply: (a, b) => a ** b, code: (a, b) => `(${a} ** ${b})` },
    '.^': { apply: (a, b) => a ** b, code: (a, b) => `(${a} ** ${b})` },
    '<': { apply: (a, b) => (a < b ? 1 : 0), code: (a, b) => `(${a} < ${b} ? 1 : 0)` },
    '>': { apply: (a, b) => (a > b ? 1 : 0), code: (a, b) => `(${a} > ${b} ? 1 : 0)` },
    '<=': { apply: (a, b) => (a <= b ? 1 : 0), code: (a, b) => `(${a} <= ${b} ? 1 : 0)` },
    '>=': { apply: (a, b) => (a >= b ? 1 : 0), code: (a, b) => `(${a} >= ${b} ? 1 : 0)` },
    '==': { apply: (a, b) => (a === b ? 1 : 0), code: (a, b) => `(${a} === ${b} ? 1 : 0)` },
    '!=': { apply: (a, b) => (a !== b ? 1 : 0), code: (a, b) => `(${a} !== ${b} ? 1 : 0)` },
};
