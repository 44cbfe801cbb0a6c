import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { problems } from '../../problems/index.js';
import type { LatexNotation } from '../../src/formula/parse.js';
import { gradeAnswer } from '../../src/grade/answer.js';
import { GradingSession } from '../../src/grade/session.js';
import type { AnswerResult } from '../../src/grade/types.js';
import { type AdHocSpec, adHocProblem } from '../../src/question/adhoc.js';
import type { Problem } from '../../src/problem/types.js';

/**
 * The LaTeX corpus: answers written the ways students write LaTeX, one YAML file per built-in problem
 * (test/latex-corpus/<problem id>.yaml), and one per matrix-calculus identity of issue 15
 * (test/latex-corpus/identities/<name>.yaml: an ad hoc problem as `derivcheck check` makes it, from a
 * loss, the input it is taken with respect to, shapes and the right gradient, then its answers), each
 * answer with the verdict a human grader gives it:
 *
 *   correct       a grader accepts it: derivcheck must read it and grade it correct, or flag it for review
 *   incorrect     a wrong answer (a known mistake, or another): never graded correct
 *   invalid       malformed mathematics (unbalanced braces, an unknown symbol): graded invalid
 *   needs-review  a notation derivcheck cannot be sure of: flagged for a person (verdict undecided)
 *
 * `notation` holds per-question settings (\otimes as the elementwise product, \theta as the unit step);
 * `mistake` names the known mistake a wrong answer makes; `reason` is a phrase its message must contain.
 */
export type HumanVerdict = 'correct' | 'incorrect' | 'invalid' | 'needs-review';

export interface CorpusEntry {
  readonly problem: string;
  readonly file: string;
  readonly target: string;
  readonly latex: string;
  readonly expect: HumanVerdict;
  readonly mistake?: string;
  readonly reason?: string;
  readonly notation?: LatexNotation;
}

export interface GradedEntry {
  readonly entry: CorpusEntry;
  /** One result per seed. */
  readonly results: readonly AnswerResult[];
}

const corpusDir = path.dirname(fileURLToPath(import.meta.url));

/** An entry as the YAML writes it: aliases as a mapping (a question file's notation). */
type CorpusLine = Omit<CorpusEntry, 'problem' | 'file' | 'notation'> & { readonly notation?: Omit<LatexNotation, 'aliases'> & { readonly aliases?: Record<string, string> } };

function notationOf(written: CorpusLine['notation']): { notation?: LatexNotation } {
  if (!written) return {};
  const { aliases, ...rest } = written;
  return { notation: { ...rest, ...(aliases ? { aliases: new Map(Object.entries(aliases)) } : {}) } };
}

export interface Corpus {
  /** The built-in problems and the identities' ad hoc ones. */
  readonly problems: readonly Problem[];
  readonly entries: readonly CorpusEntry[];
}

/** An identity's file: its ad hoc problem (the right gradient as `grad`) and answers to its one target. */
interface IdentityFile {
  readonly problem: Omit<AdHocSpec, 'gradSyntax'>;
  readonly answers: readonly (Omit<CorpusLine, 'target'> & { readonly target?: string })[];
}

const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();

export function loadCorpus(): Corpus {
  const builtIn = yamlFiles(corpusDir).flatMap((file) =>
    (parse(readFileSync(path.join(corpusDir, file), 'utf8')) as CorpusLine[]).map(({ notation, ...e }) => ({ ...e, ...notationOf(notation), problem: file.replace(/\.yaml$/, ''), file })),
  );
  const identityDir = path.join(corpusDir, 'identities');
  const identities = yamlFiles(identityDir).map((file) => {
    const written = parse(readFileSync(path.join(identityDir, file), 'utf8')) as IdentityFile;
    const { problem, target } = adHocProblem(written.problem);
    const id = file.replace(/\.yaml$/, '');
    const entries = written.answers.map(({ notation, ...e }): CorpusEntry => ({ ...e, target: e.target ?? target.name, ...notationOf(notation), problem: id, file: `identities/${file}` }));
    return { problem: { ...problem, id }, entries };
  });
  return { problems: [...problems, ...identities.map((i) => i.problem)], entries: [...builtIn, ...identities.flatMap((i) => i.entries)] };
}

/** Grades every entry at every seed; entries with per-question notation get a session of their own. */
export function gradeCorpus(corpus: Corpus, seeds: readonly number[]): GradedEntry[] {
  const sessions = new Map<string, GradingSession>();
  const sessionFor = (seed: number, notation: LatexNotation | undefined): GradingSession => {
    const key = `${seed} ${JSON.stringify(notation ? { ...notation, aliases: [...(notation.aliases ?? [])] } : null)}`;
    let session = sessions.get(key);
    if (!session) {
      const withNotation = notation ? corpus.problems.map((p) => ({ ...p, notation })) : corpus.problems;
      session = new GradingSession(withNotation, { seed });
      sessions.set(key, session);
    }
    return session;
  };
  return corpus.entries.map((entry) => ({
    entry,
    results: seeds.map((seed) => gradeAnswer(sessionFor(seed, entry.notation), { problem: entry.problem, target: entry.target, text: entry.latex, syntax: 'latex', line: 1 }, 1)),
  }));
}

/** Flagged for a person: the Finding asks for review (unsupported notation, an ambiguous reading, or FD could not decide). */
export const isFlagged = (r: AnswerResult): boolean => r.finding.review;

/** Where an entry's grading breaks the corpus's rules (empty when it keeps them). */
export function violations(g: GradedEntry): string[] {
  const out: string[] = [];
  const { entry } = g;
  for (const r of g.results) {
    const v = r.finding.status;
    if (entry.expect === 'correct' && (v === 'incorrect' || v === 'invalid')) out.push(`a correct answer graded ${v}`);
    if (entry.expect !== 'correct' && v === 'correct') out.push(`a ${entry.expect} answer graded correct`);
    if (entry.expect === 'incorrect' && v !== 'incorrect' && v !== 'invalid') out.push(`a wrong answer graded ${v}`);
    if (entry.expect === 'invalid' && v !== 'invalid') out.push(`a malformed answer graded ${v}`);
    if (entry.expect === 'needs-review' && !isFlagged(r)) out.push(`not flagged for review (graded ${v})`);
    if (entry.reason !== undefined && !r.finding.message.includes(entry.reason)) out.push(`the message does not say "${entry.reason}"`);
  }
  if (new Set(g.results.map((r) => r.finding.status)).size > 1) out.push(`the verdict depends on the seed (${g.results.map((r) => r.finding.status).join(', ')})`);
  return [...new Set(out)];
}

export interface CorpusFigures {
  readonly entries: number;
  readonly correct: number;
  /** Correct spellings graded correct at every seed. */
  readonly read: number;
  /** Correct spellings flagged for review at some seed (not read, but not misgraded either). */
  readonly correctFlagged: number;
  /** Answers whose grade breaks a rule: a misreading turned into a verdict, or a missed flag. */
  readonly misreads: number;
  readonly needsReview: number;
  readonly needsReviewFlagged: number;
}

export function corpusFigures(graded: readonly GradedEntry[]): CorpusFigures {
  const correct = graded.filter((g) => g.entry.expect === 'correct');
  const review = graded.filter((g) => g.entry.expect === 'needs-review');
  return {
    entries: graded.length,
    correct: correct.length,
    read: correct.filter((g) => g.results.every((r) => r.finding.status === 'correct')).length,
    correctFlagged: correct.filter((g) => g.results.some(isFlagged)).length,
    misreads: graded.filter((g) => violations(g).length > 0).length,
    needsReview: review.length,
    needsReviewFlagged: review.filter((g) => g.results.every(isFlagged)).length,
  };
}

export function describeFigures(f: CorpusFigures): string {
  const rate = f.correct > 0 ? ((100 * f.read) / f.correct).toFixed(1) : '0';
  return [
    `LaTeX corpus: ${f.entries} answers, ${f.correct} correct spellings`,
    `read and graded correct: ${f.read} of ${f.correct} (${rate}%); flagged for review instead: ${f.correctFlagged}`,
    `needs-review answers flagged: ${f.needsReviewFlagged} of ${f.needsReview}`,
    `answers graded against the rules (misreads, missed flags): ${f.misreads}`,
  ].join('\n');
}
