import type { Argv, CommandModule } from 'yargs';
import { UsageError, requirePositiveInteger } from '../exit.js';
import type { CommonOptions } from '../output.js';
import { runCommand } from '../run.js';

const FORMATS = ['text', 'json', 'gradescope', 'prairielearn', 'html'] as const;

interface GradeArgs extends CommonOptions {
  paths: string[];
  format: (typeof FORMATS)[number];
  out?: string;
  questions: string[];
  assignment?: string;
  points?: string;
  partial: boolean;
  jobs?: number;
  runs: number;
  timeLimit: number;
  followLinks: boolean;
}

async function grade(args: GradeArgs): Promise<number> {
  requirePositiveInteger('--runs', args.runs, 'the number of random samples per answer', '--runs 16');
  if (args.jobs !== undefined) requirePositiveInteger('--jobs', args.jobs, 'the number of worker threads', '--jobs 2');
  if (!(args.timeLimit > 0)) throw new UsageError('--time-limit', `'${args.timeLimit}' is not a positive number`, 'seconds per submission', '--time-limit 60');
  const [lib, { problems: builtIn }, output, { progress }, { withQuestions }] = await Promise.all([
    import('../../grade/index.js'),
    import('../../../problems/index.js'),
    import('../output.js'),
    import('../progress.js'),
    import('../questions.js'),
  ]);
  // Every question file is read (and every error reported) before any submission is graded.
  const { problems, source } = await withQuestions(builtIn, args.questions);
  let files;
  try {
    files = lib.collectSubmissionFiles(args.paths, { followLinks: args.followLinks });
  } catch (err) {
    if (err instanceof lib.MissingPathError) throw new UsageError('files', err.message, 'submission files or folders', 'derivcheck grade submissions/');
    throw err;
  }
  if (files.length === 0) throw new UsageError('files', `no .yaml, .yml or .json file in ${args.paths.join(' ')}`, 'submission files or folders holding them', 'derivcheck grade submissions/');
  if (args.assignment !== undefined && args.points !== undefined) throw new UsageError('--points', 'is given with --assignment', 'one assignment file (--points reads the same format)', '--assignment hw3.yaml');
  const assignmentFile = args.assignment ?? args.points;
  const assignment = assignmentFile === undefined ? undefined : (await import('../../question/index.js')).readAssignmentFile(assignmentFile, problems);
  const format = args.json ? 'json' : args.format;
  if (format === 'html' && args.out === undefined) throw new UsageError('--out', 'the html format writes a folder of pages', 'a folder', '--format html --out report/');
  const seed = output.resolveSeed(args.seed);
  const bar = progress(files.length, format === 'text' && args.out === undefined && !args.quiet);
  const report = await lib.gradeFiles(files, {
    seed,
    runs: args.runs,
    partial: args.partial,
    scoring: lib.scoringFor(problems, assignment),
    ...(args.jobs !== undefined ? { jobs: args.jobs } : {}),
    // The workers load the compiled registry: dist/problems/index.js beside this command's dist/src/cli/, and the question files.
    registry: new URL('../../../problems/index.js', import.meta.url),
    ...(source ? { questions: source } : {}),
    timeLimitMs: args.timeLimit * 1000,
    onSubmission: (s) => bar.tick(s.id),
  });
  bar.stop();
  let written;
  try {
    written = lib.writeGradeOutput(report, format, args.out, { quiet: args.quiet });
  } catch (err) {
    if (err instanceof lib.OutputError) throw new UsageError('--out', err.message, 'a folder (or a .json file for one submission)', '--out results/');
    throw err;
  }
  if (written.stdout !== undefined) process.stdout.write(written.stdout);
  else {
    const invalid = report.submissions.filter((s) => s.status === 'invalid').length;
    output.printLine(`graded ${report.submissions.length} submissions (${invalid} could not be read), seed ${seed}: wrote ${written.files.length} files${args.out ? ` to ${args.out}` : ''}`);
  }
  const allCorrect = report.submissions.every((s) => s.status === 'graded' && s.answers.every((a) => a.finding.status === 'correct'));
  return allCorrect ? 0 : 1;
}

export const gradeCommand: CommandModule<object, GradeArgs> = {
  command: 'grade <paths..>',
  describe: 'Grade submitted formulas (YAML/JSON files, one per student) against finite differences',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'Submission files, or folders searched for .yaml/.yml/.json' })
      .option('format', { choices: FORMATS, default: 'text' as const, describe: 'Report format (docs/grading.md)' })
      .option('out', { type: 'string', describe: 'Output file or folder (a folder for html, and for gradescope/prairielearn with several submissions)' })
      .option('questions', { type: 'string', array: true, default: [], describe: 'Question files or folders (docs/questions.md), graded beside the built-in problems' })
      .option('assignment', { type: 'string', describe: 'YAML/JSON assignment: the questions and targets graded, their points and settings (docs/questions.md); others are not graded' })
      .option('points', { type: 'string', describe: 'An assignment in the earlier format PROBLEM: { TARGET: POINTS }: only those targets are graded' })
      .option('partial', { type: 'boolean', default: false, describe: 'Partial credit: the fraction of entries right at the first failing sample' })
      .option('jobs', { type: 'number', describe: 'Worker threads (default: the number of cores)' })
      .option('runs', { type: 'number', default: 16, describe: 'Random samples (shapes and inputs) per answer' })
      .option('follow-links', { type: 'boolean', default: false, describe: 'Follow symbolic links in the folders that lead out of them (by default such a link is an invalid file)' })
      .option('time-limit', { type: 'number', default: 60, describe: 'Seconds one submission may take (reference checks excluded)' })
      .example('$0 grade submissions/ --points points.yaml', 'every file in a folder, text summary')
      .example('$0 grade submissions/ --questions hw3/ --assignment hw3/assignment.yaml --format gradescope --out results/', "a course's own questions")
      .example('$0 grade submissions/ --format html --out report/ --seed 7', 'an HTML page per student, reproducibly')
      .example('$0 grade /autograder/submission --format gradescope --out /autograder/results/results.json', 'a Gradescope autograder') as unknown as Argv<GradeArgs>,
  handler: (args) => runCommand(() => grade(args)),
};
