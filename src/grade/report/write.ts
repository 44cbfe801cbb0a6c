/**
 * Where each format goes. text, json and csv: one document (stdout, or the --out file). gradescope and
 * prairielearn: one results file per submission (--out a folder; a file when there is one
 * submission; stdout without --out). html: a folder with index.html and a page per submission.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GradeReport, SubmissionResult } from '../types.js';
import { answersCsv, gradebookCsv } from './csv.js';
import { gradescopeResults } from './gradescope.js';
import { gradeJson, toJsonText } from './json.js';
import { platformContext } from './platform.js';
import { prairieLearnResults } from './prairielearn.js';
import type { StudentIdentity } from '../submission-metadata.js';
import { renderGradeText } from './text.js';

export const GRADE_FORMATS = ['text', 'json', 'csv', 'gradescope', 'prairielearn', 'html'] as const;
export type GradeFormat = (typeof GRADE_FORMATS)[number];

/** An output that cannot be written where it was asked to go. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

export interface GradeOutput {
  /** What to print (absent when everything went to files). */
  readonly stdout?: string;
  readonly files: readonly string[];
}

/**
 * File names of the submissions: their ids made safe for a file system, unique within the batch and
 * distinct from `reserved` (the html index page: a student whose id is `index` must not replace it).
 */
export function submissionStems(submissions: readonly SubmissionResult[], reserved: readonly string[] = []): string[] {
  const taken = new Set<string>(reserved.map((r) => r.toLowerCase()));
  return submissions.map((s) => {
    const base = s.id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 100) || 'submission';
    let stem = base;
    for (let k = 2; taken.has(stem.toLowerCase()); k++) stem = `${base}-${k}`;
    taken.add(stem.toLowerCase());
    return stem;
  });
}

/** The html report's index page (index.html). */
const INDEX_PAGE = 'index';

function isDirectory(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function writeFile(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function perSubmission(report: GradeReport, out: string | undefined, results: (s: SubmissionResult) => unknown): GradeOutput {
  const subs = report.submissions;
  if (out === undefined) {
    return { stdout: toJsonText(subs.length === 1 ? results(subs[0]!) : subs.map((s) => ({ id: s.id, file: s.file, results: results(s) }))), files: [] };
  }
  const asFile = !isDirectory(out) && (out.endsWith('.json') || existsSync(out));
  if (asFile && subs.length === 1) return { files: [writeFile(out, toJsonText(results(subs[0]!)))] };
  if (asFile) throw new OutputError(`--out ${out} is a file, but ${subs.length} submissions need a folder (one results file each)`);
  const stems = submissionStems(subs);
  return { files: subs.map((s, i) => writeFile(path.join(out, `${stems[i]}.json`), toJsonText(results(s)))) };
}

export interface WriteOptions {
  /** Text: one line per answer. */
  readonly quiet?: boolean;
  /** Text: the class report instead of a block per submission; JSON: the class report under `summary`. */
  readonly summary?: boolean;
  /** Gradescope: who submitted, from the submission metadata (used when the report has one submission). */
  readonly identity?: StudentIdentity;
  /** Also write one CSV row per answer to this file (answersCsv), whatever the format. */
  readonly csvLong?: string;
}

/**
 * Writes the report in `format` (to stdout's text, a file or a folder). Asynchronous because the html
 * format's code (KaTeX, the formula reader that renders each answer) is loaded only when it is asked for.
 */
export async function writeGradeOutput(report: GradeReport, format: GradeFormat, out?: string, options: WriteOptions = {}): Promise<GradeOutput> {
  const written = await writeFormat(report, format, out, options);
  if (options.csvLong === undefined) return written;
  return { ...written, files: [...written.files, writeFile(options.csvLong, answersCsv(report))] };
}

async function writeFormat(report: GradeReport, format: GradeFormat, out: string | undefined, options: WriteOptions): Promise<GradeOutput> {
  const ctx = platformContext(report, report.submissions.length === 1 ? options.identity : undefined);
  switch (format) {
    case 'text':
    case 'json':
    case 'csv': {
      const text = format === 'text' ? renderGradeText(report, options) : format === 'json' ? toJsonText(gradeJson(report, options)) : gradebookCsv(report);
      return out === undefined ? { stdout: text, files: [] } : { files: [writeFile(out, text)] };
    }
    case 'gradescope':
      return perSubmission(report, out, (s) => gradescopeResults(s, ctx));
    case 'prairielearn':
      return perSubmission(report, out, (s) => prairieLearnResults(s, ctx));
    case 'html': {
      if (out === undefined) throw new OutputError('the html format writes a folder of pages: give it with --out DIR');
      if (existsSync(out) && !isDirectory(out)) throw new OutputError(`--out ${out} is a file; the html format writes a folder`);
      const [{ copyKatexFonts, submissionPage }, { indexPage }] = await Promise.all([import('./html.js'), import('./html-index.js')]);
      const stems = submissionStems(report.submissions, [INDEX_PAGE]);
      const pages = stems.map((s) => `${s}.html`);
      const files = report.submissions.map((s, i) => writeFile(path.join(out, pages[i]!), submissionPage(s, report)));
      files.push(writeFile(path.join(out, `${INDEX_PAGE}.html`), indexPage(report, pages)));
      copyKatexFonts(out);
      return { files };
    }
  }
}
