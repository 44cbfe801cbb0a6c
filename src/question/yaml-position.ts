/**
 * Positions in YAML documents for messages about their fields: the node at a field path, the key of
 * an unknown field, and the zod issue worth reporting.
 */
import { type Document, isMap, isPair, isScalar } from 'yaml';
import type { z } from 'zod';
import { leadingIssue, offsetOfPath } from '../io/yaml-document.js';
import type { FieldPath } from './spec.js';

type Issue = z.core.$ZodIssue;

/**
 * The issue a file is reported by, with its field path and offset: an unknown field first (a misspelt
 * `lose:` also makes `loss` missing, and the spelling is the fix), pointed at by its name.
 */
export function reportedIssue(doc: Document, issues: readonly Issue[]): { path: FieldPath; message: string; offset: number } {
  const issue = leadingIssue(issues);
  const { path, message } = innermost(issue);
  const offset = issue.code === 'unrecognized_keys' ? keyOffset(doc, path, issue.keys[0]!) : offsetOfPath(doc, path);
  return { path, message, offset };
}

/**
 * The issue to report: for a union (a formula or a mapping), the branch whose type matched, so that
 * `{ formula: 3 }` is reported at its formula, not as "neither text nor a mapping".
 */
function innermost(issue: Issue, prefix: FieldPath = []): { path: FieldPath; message: string } {
  const path = [...prefix, ...(issue.path as (string | number)[])];
  if (issue.code === 'invalid_union') {
    const matched = issue.errors.find((branch) => branch.length > 0 && !branch.some(isTypeMismatch));
    if (matched) return innermost(matched[0]!, path);
  }
  return { path, message: issue.message };
}

/** The value itself has none of the types a schema (or every branch of a union) takes. */
function isTypeMismatch(issue: Issue): boolean {
  if (issue.path.length > 0) return false;
  return issue.code === 'invalid_type' || (issue.code === 'invalid_union' && issue.errors.every((branch) => branch.some(isTypeMismatch)));
}

/** Offset of the key `key` of the mapping at `path` (an unknown field is pointed at by its name). */
export function keyOffset(doc: Document, path: FieldPath, key: string): number {
  const map = path.length === 0 ? doc.contents : doc.getIn(path as unknown[], true);
  if (isMap(map)) {
    for (const pair of map.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) return pair.key.range[0];
    }
  }
  return offsetOfPath(doc, path);
}

