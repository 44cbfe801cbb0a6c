/** Parsers for the compact specs the CLI takes (--shape X=NxD, --dims N=1..8, --domain p=simplex); each failure is a UsageError. */
import { DOMAIN_SPELLINGS, DomainSpecError, parseDomain } from '../problem/domain.js';
import type { DimExpr, Domain } from '../problem/types.js';
import { UsageError } from './exit.js';

function splitAssignment(option: string, text: string, example: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) throw new UsageError(option, `'${text}' is not NAME=VALUE`, 'NAME=VALUE', example);
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
  if (parts.some((p) => p.trim() === '')) throw new UsageError('--shape', `'${text}' has an empty dimension`, 'NAME=D1xD2...', example);
  return [name, parts.map((p) => (/^\d+$/.test(p.trim()) ? Number(p.trim()) : p.trim()))];
}

/** `H=tanh(X*W)`: a let name (an identifier) and its formula, which may itself contain '='. */
export function parseLetSpec(text: string): [string, string] {
  const example = '--let "H=tanh(X*W + b)"';
  const [name, formula] = splitAssignment('--let', text, example);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError('--let', `'${name}' is not a name`, 'NAME=FORMULA with NAME letters, digits and _', example);
  return [name, formula];
}

/** `N=1..8`, `N=4`, or several at once: `N=1..8,D=2..5`. */
export function parseDimRanges(texts: readonly string[]): Record<string, [number, number]> {
  const example = '--dims N=1..8,D=3';
  const ranges: Record<string, [number, number]> = {};
  for (const item of texts.flatMap((t) => t.split(','))) {
    const [name, range] = splitAssignment('--dims', item, example);
    const m = /^(\d+)(?:\.\.(\d+))?$/.exec(range);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || lo < 1 || hi < lo) throw new UsageError('--dims', `'${item}' is not a size range`, 'NAME=LO..HI with 1 ≤ LO ≤ HI, or NAME=SIZE', example);
    ranges[name] = [lo, hi];
  }
  return ranges;
}

/** NAME=SPEC with a domain spelling of src/problem/domain.ts. */
export function parseDomainSpec(text: string): [string, Domain] {
  const example = '--domain p=simplex (or c=labels:K, x=uniform:-1:1)';
  const [name, spec] = splitAssignment('--domain', text, example);
  try {
    return [name, parseDomain(spec)];
  } catch (err) {
    if (err instanceof DomainSpecError) throw new UsageError('--domain', `'${spec}' is not a domain`, DOMAIN_SPELLINGS, example);
    throw err;
  }
}
