/**
 * A question file's text read into a QuestionSpec: YAML (or JSON, which YAML 1.2 reads too) parsed
 * with positions and validated with the schema. Apart from compiling (file.ts), so that a build step
 * can read the shipped question files without the formula machinery (web/build.js).
 */
import type { Document } from 'yaml';
import { QuestionFileError } from './errors.js';
import { questionSchema } from './schema.js';
import { type QuestionSpec, formatFieldPath } from './spec.js';
import { reportedIssue } from './yaml-position.js';
import { MAX_ALIAS_COUNT, composeYaml } from '../io/yaml-document.js';

/** A validated question file: its spec, and its document for placing later errors. */
export interface QuestionDocument {
  readonly spec: QuestionSpec;
  readonly doc: Document;
  /** Line and column (1-based) of character `offset` of the file. */
  positionOf(offset: number): { line: number; column: number };
  /** A QuestionFileError at character `offset` of the file. */
  errorAt(offset: number, field: string, reason: string, detail?: string): QuestionFileError;
}

/** Parses and validates the text of a question file (`file` names it in errors); throws QuestionFileError. */
export function readQuestionDocument(text: string, file: string): QuestionDocument {
  const { doc, at: positionOf, error } = composeYaml(text);
  const errorAt = (offset: number, field: string, reason: string, detail = ''): QuestionFileError => {
    const { line, column } = positionOf(offset);
    return new QuestionFileError(file, line, column, field, reason, detail);
  };
  if (error) throw errorAt(error.offset, '', `not valid YAML or JSON: ${error.message}`);
  let data: unknown;
  try {
    data = doc.toJS({ mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw errorAt(0, '', `cannot read the document: ${(err as Error).message}`);
  }
  const parsed = questionSchema.safeParse(data);
  if (!parsed.success) {
    const { path, message, offset } = reportedIssue(doc, parsed.error.issues);
    throw errorAt(offset, path.length > 0 ? formatFieldPath(path) : '', message);
  }
  return { spec: parsed.data, doc, positionOf, errorAt };
}
