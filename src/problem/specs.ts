/**
 * Parsers for the compact specs of an ad hoc check's inputs (`--shape X=NxD`, `--dims N=1..8`,
 * `--domain p=simplex`), shared by the CLI's `check` and the browser playground. Each failure is a
 * SpecError naming the option, what is wrong, the form it takes and an example.
 */
import { DEFAULT_LIMITS } from '../formula/limits.js';
import { hasName, nameRecord } from '../names/records.js';
import type { DimExpr, Domain } from './types.js';

/** A malformed spec: which option, what is wrong with it, what form it takes, and an example of that form. */
export class SpecError extends Error {
  override readonly name: string = 'SpecError';
  constructor(
    readonly argument: string,
    readonly problem: string,
    readonly expected: string,
    readonly example: string,
  ) {
    super(`${argument}: ${problem}; expected ${expected}, e.g. ${example}`);
  }
}

function splitAssignment(option: string, text: string, example: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) throw new SpecError(option, `'${text}' is not NAME=VALUE`, 'NAME=VALUE', example);
  return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
}

/**
 * `X=4x3`, `X=NxD`, `X=N×D`, `X=N,D+1` (commas when a dimension name contains an x), `s=scalar`.
 * Entries are sizes or dimension expressions; the formula layer validates the expressions.
 */
export function parseShapeSpec(text: string): [string, DimExpr[]] {
  const example = '--shape X=NxD (or X=4x3, s=scalar)';
  const [name, dims] = splitAssignment('--shape', text, example);
  if (dims === 'scalar') return [name, []];
  const parts = dims.includes(',') ? dims.split(',') : dims.split(/[x×]/);
  if (parts.some((p) => p.trim() === '')) throw new SpecError('--shape', `'${text}' has an empty dimension`, 'NAME=D1xD2...', example);
  return [name, parts.map((p) => (/^\d+$/.test(p.trim()) ? Number(p.trim()) : p.trim()))];
}

/** `N=1..8`, `N=4`, or several at once: `N=1..8,D=2..5`. */
export function parseDimRanges(texts: readonly string[]): Record<string, [number, number]> {
  const example = '--dims N=1..8,D=3';
  const ranges = nameRecord<[number, number]>();
  for (const item of texts.flatMap((t) => t.split(','))) {
    const [name, range] = splitAssignment('--dims', item, example);
    const m = /^(\d+)(?:\.\.(\d+))?$/.exec(range);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || lo < 1 || hi < lo) throw new SpecError('--dims', `'${item}' is not a size range`, 'NAME=LO..HI with 1 ≤ LO ≤ HI, or NAME=SIZE', example);
    // One side past the element cap cannot be allocated whatever the other sides are (LimitExceededError names the input otherwise).
    if (hi > DEFAULT_LIMITS.maxElements) throw new SpecError('--dims', `'${item}' is larger than the ${DEFAULT_LIMITS.maxElements} entries a tensor may hold`, `sizes up to ${DEFAULT_LIMITS.maxElements}`, example);
    if (hasName(ranges, name)) throw new SpecError('--dims', `${name} is given twice`, 'one range per dimension', example);
    ranges[name] = [lo, hi];
  }
  return ranges;
}

/** The domains --domain takes, as its help and errors list them. */
export const DOMAIN_KINDS =
  'normal (normal:STD), positive, awayFromZero (awayFromZero:MARGIN), simplex (simplex:DIM, 1-based; default the last), symmetric, spd, orthogonal, binary, pm1, labels:K (K a dimension name or a number) or uniform:LO:HI';

/** A positive finite number, or undefined. */
function positiveNumber(text: string | undefined): number | undefined {
  const value = text === undefined || text.trim() === '' ? NaN : Number(text);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * The domain a spelling names (`simplex`, `simplex:1`, `normal:0.4`, `labels:K`, `labels:2`,
 * `uniform:-1:1`), or undefined: one reader for --domain and question files' `domain:`. A class count
 * that names a dimension, and a simplex dim, are checked where the shapes are known.
 */
export function parseDomain(spec: string): Domain | undefined {
  const [kind, ...rest] = spec.trim().split(':');
  const [arg] = rest;
  switch (kind) {
    case 'positive':
    case 'symmetric':
    case 'spd':
    case 'orthogonal':
    case 'binary':
    case 'pm1':
      return rest.length === 0 ? { kind } : undefined;
    case 'normal': {
      if (rest.length === 0) return { kind };
      const std = positiveNumber(arg);
      return rest.length === 1 && std !== undefined ? { kind, std } : undefined;
    }
    case 'awayFromZero': {
      if (rest.length === 0) return { kind };
      const margin = positiveNumber(arg);
      return rest.length === 1 && margin !== undefined ? { kind, margin } : undefined;
    }
    case 'simplex':
      if (rest.length === 0) return { kind };
      // A MATLAB dim (1-based), as sum(p, 1) and softmax(z, 1) take it.
      return rest.length === 1 && /^[1-9]\d*$/.test(arg!) ? { kind, axis: Number(arg) - 1 } : undefined;
    case 'labels': {
      // A class count is a dimension name (labels:K) or a number (labels:2).
      if (rest.length !== 1) return undefined;
      if (/^[1-9]\d*$/.test(arg!)) return { kind: 'labels', classes: Number(arg) };
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(arg!) ? { kind: 'labels', classes: arg! } : undefined;
    }
    case 'uniform': {
      const [lo, hi] = rest.map(Number);
      return rest.length === 2 && Number.isFinite(lo) && Number.isFinite(hi) && lo! < hi! ? { kind: 'uniform', lo: lo!, hi: hi! } : undefined;
    }
    default:
      return undefined;
  }
}

/** NAME=DOMAIN with a domain of parseDomain. */
export function parseDomainSpec(text: string): [string, Domain] {
  const example = '--domain p=simplex (or c=labels:K, y=labels:2, A=spd, x=uniform:-1:1)';
  const [name, spec] = splitAssignment('--domain', text, example);
  const domain = parseDomain(spec);
  if (domain === undefined) throw new SpecError('--domain', `'${spec}' is not a domain`, DOMAIN_KINDS, example);
  return [name, domain];
}

/** `H=tanh(X*W)`: a let name (an identifier) and its formula, which may itself contain '='. */
export function parseLetSpec(text: string): [string, string] {
  const example = '--let "H=tanh(X*W + b)"';
  const [name, formula] = splitAssignment('--let', text, example);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new SpecError('--let', `'${name}' is not a name`, 'NAME=FORMULA with NAME letters, digits and _', example);
  return [name, formula];
}

/** NAME=VALUE options (--shape, --domain) as a record; a name given twice is a SpecError. */
function namedOptions<T>(option: string, entries: readonly (readonly [string, T])[], example: string): Record<string, T> {
  const record = nameRecord<T>();
  for (const [name, value] of entries) {
    if (hasName(record, name)) throw new SpecError(option, `${name} is given twice`, `one ${option} per name`, example);
    record[name] = value;
  }
  return record;
}

/** The inputs of an ad hoc check as specs: one `NAME=DIMS` per input, `NAME=LO..HI` size ranges, `NAME=DOMAIN`. */
export interface InputSpecTexts {
  readonly shape: readonly string[];
  readonly dims: readonly string[];
  readonly domain: readonly string[];
}

/**
 * Parses every spec of an ad hoc check's inputs, and checks that there is an input and that no name is
 * given twice (adHocProblem checks that each domain and range is of a declared input or dimension).
 */
export function parseInputSpecs(texts: InputSpecTexts): {
  shapes: Record<string, DimExpr[]>;
  dimRanges: Record<string, [number, number]>;
  domains: Record<string, Domain>;
} {
  if (texts.shape.length === 0) throw new SpecError('--shape', 'no input is declared', 'one --shape NAME=DIMS per input of the loss', '--shape X=NxD --shape w=Dx1');
  return {
    shapes: namedOptions('--shape', texts.shape.map(parseShapeSpec), '--shape X=NxD --shape w=Dx1'),
    dimRanges: parseDimRanges(texts.dims),
    domains: namedOptions('--domain', texts.domain.map(parseDomainSpec), '--domain p=simplex'),
  };
}
