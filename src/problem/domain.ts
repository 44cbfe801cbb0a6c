/**
 * Domains as users write them: `normal`, `positive`, `awayFromZero`, `simplex`, `labels:K`,
 * `uniform:LO:HI`. One reader for the command line (`--domain p=simplex`) and question files
 * (`domain: "labels:K"`).
 */
import type { Domain } from './types.js';

/** Every spelling the reader takes, for messages. */
export const DOMAIN_SPELLINGS = 'normal, positive, awayFromZero, simplex, labels:K or uniform:LO:HI';

/** A domain spelling that is not one of DOMAIN_SPELLINGS. */
export class DomainSpecError extends Error {
  override readonly name = 'DomainSpecError';
  constructor(readonly spec: string) {
    super(`'${spec}' is not a domain; expected ${DOMAIN_SPELLINGS}`);
  }
}

/** The domain `spec` spells; throws DomainSpecError. A label count names a dimension, checked where dimensions are known. */
export function parseDomain(spec: string): Domain {
  const [kind, ...rest] = spec.trim().split(':');
  switch (kind) {
    case 'normal':
    case 'positive':
    case 'awayFromZero':
    case 'simplex':
      if (rest.length === 0) return { kind };
      break;
    case 'labels':
      if (rest.length === 1 && rest[0]) return { kind: 'labels', classes: rest[0] };
      break;
    case 'uniform': {
      const [lo, hi] = rest.map(Number);
      if (rest.length === 2 && Number.isFinite(lo) && Number.isFinite(hi) && lo! < hi!) return { kind: 'uniform', lo: lo!, hi: hi! };
      break;
    }
  }
  throw new DomainSpecError(spec);
}
