/**
 * YAML (and JSON, which is YAML 1.2) files validated by a zod schema, with every problem reported at
 * its line and column as an editor shows it: submission, overrides, question and assignment files. The
 * document is parsed once with positions kept; a zod issue's path is mapped back to the node it names.
 */
import { type Document, LineCounter, isNode, isScalar, parseDocument, visit } from 'yaml';
import type { z } from 'zod';

/** YAML aliases expand into copies; 100 is the yaml package's own default and stops "billion laughs" files. */
export const MAX_ALIAS_COUNT = 100;

/** A place in a file, 1-based (0 when the problem is not at a place). */
export interface FilePosition {
  readonly line: number;
  readonly column: number;
}

export type YamlDocument = ReturnType<typeof parseDocument>;

export type ParsedYaml =
  | { readonly ok: true; readonly doc: YamlDocument; readonly data: unknown; readonly at: (offset: number) => FilePosition }
  | { readonly ok: false; readonly reason: string; readonly position: FilePosition; /** The yaml package's error code (BAD_DQ_ESCAPE, ...), when the text is not YAML. */ readonly code?: string };

/** A composed YAML document, with where each character offset lies, or why the text is not YAML. */
export interface ComposedYaml {
  readonly doc: YamlDocument;
  readonly at: (offset: number) => FilePosition;
  /** The first syntax error or repeated key, if any, with the yaml package's code (BAD_DQ_ESCAPE, DUPLICATE_KEY, ...). */
  readonly error?: { readonly message: string; readonly offset: number; readonly code: string };
}

/**
 * Composes `text` as every derivcheck file is read (submissions, overrides, question and assignment
 * files): positions kept, repeated keys refused. The yaml package's own repeated-key check
 * (uniqueKeys) compares each key with every earlier key of its map, so a 1 MB flow map of 60,000
 * keys took 12 s; the same rule (two scalar keys with equal values) is checked here in one pass.
 */
export function composeYaml(text: string): ComposedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number): FilePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const syntax = doc.errors[0];
  if (syntax) return { doc, at, error: { message: syntax.message.split('\n')[0]!, offset: syntax.pos[0], code: syntax.code } };
  const repeated = firstRepeatedKey(doc);
  return repeated === undefined ? { doc, at } : { doc, at, error: { message: 'Map keys must be unique', offset: repeated, code: 'DUPLICATE_KEY' } };
}

/** Offset of the first key (in text order) equal to an earlier key of its map, as the yaml package compares keys: scalars by value (NaN never equal). */
function firstRepeatedKey(doc: YamlDocument): number | undefined {
  let first: number | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key) || Number.isNaN(key.value)) continue;
        if (seen.has(key.value)) {
          const offset = key.range?.[0] ?? 0;
          if (first === undefined || offset < first) first = offset;
          return;
        }
        seen.add(key.value);
      }
    },
  });
  return first;
}

/** Parses `text` (repeated keys refused, aliases bounded) to plain data; a failure is a reason with its position. */
export function parseYaml(text: string): ParsedYaml {
  const { doc, at, error } = composeYaml(text);
  if (error) return { ok: false, reason: `not valid YAML or JSON: ${error.message}`, position: at(error.offset), code: error.code };
  try {
    return { ok: true, doc, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), at };
  } catch (err) {
    return { ok: false, reason: `cannot read the document: ${(err as Error).message}`, position: { line: 1, column: 1 } };
  }
}

/** Offset of the deepest node on `keyPath` that exists (a missing key points at the map that lacks it). */
export function offsetOfPath(doc: Pick<Document, 'contents' | 'getIn'>, keyPath: readonly PropertyKey[]): number {
  for (let n = keyPath.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(keyPath.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

/** `answers[2].formula`: a path as the file's reader would write it. */
export function formatPath(keyPath: readonly PropertyKey[]): string {
  return keyPath.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

/**
 * The issue to report of those zod found: an unknown field first, since a misspelled key (`pionts`) also
 * leaves the field it meant missing, and the misspelling is what to fix.
 */
export function leadingIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  return issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
}

/**
 * zod's issue said in the file's terms, with the path it concerns prefixed; `fields` names what
 * an entry may hold, for an unknown key ("an answer has problem, target and formula or latex").
 */
export function describeIssue(issue: z.core.$ZodIssue, fields: string, keyPath: readonly PropertyKey[] = issue.path as readonly PropertyKey[]): string {
  const where = keyPath.length > 0 ? `${formatPath(keyPath)}: ` : '';
  return `${where}${issueText(issue, fields)}`;
}

function issueText(issue: z.core.$ZodIssue, fields: string): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `missing (expected ${issue.expected})` : `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_union':
      return `expected text or a number, got ${describeValue(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}; ${fields}`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}
