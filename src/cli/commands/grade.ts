import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../exit.js';
import { RUNS_RANGE, TIME_LIMIT_RANGE_S, jobsRange, requireInRange } from '../option-ranges.js';
import type { CommonOptions } from '../output.js';
import { runCommand } from '../run.js';

const FORMATS = ['text', 'json', 'gradescope', 'prairielearn', 'html'] as const;

interface GradeArgs extends CommonOptions {
  paths: string[];
  format: (typeof FORMATS)[number];
  out?: string;
  points?: string;
  partial: boolean;
  jobs?: number;
  runs: number;
  timeLimit: number;
  followLinks: boolean;
}

async function grade(args: GradeArgs): Promise<number> {
  requireInRange('--runs', args.runs, RUNS_RANGE);
  if (args.jobs !== undefined) requireInRange('--jobs', args.jobs, jobsRange());
  requireInRange('--time-limit', args.timeLimit, TIME_LIMIT_RANGE_S);
  const [lib, { problems }, output, { progress }] = await Promise.all([
    import('../../grade/index.js'),
    import('../../../problems/index.js'),
    import('../output.js'),
    import('../progress.js'),
  ]);
  let files;
  try {
    files = lib.collectSubmissionFiles(args.paths, { followLinks: args.followLinks });
  } catch (err) {
    if (err instanceof lib.MissingPathError) throw new UsageError('files', err.message, 'submission files or folders', 'derivcheck grade submissions/');
    throw err;
  }
  if (files.length === 0) throw new UsageError('files', `no .yaml, .yml or .json file in ${args.paths.join(' ')}`, 'submission files or folders holding them', 'derivcheck grade submissions/');
  let points;
  try {
    if (args.points !== undefined) {
      points = lib.readPointsFile(args.points);
      lib.checkPointsTable(points, problems, args.points);
    }
  } catch (err) {
    if (err instanceof lib.PointsFileError) throw new UsageError('--points', err.message, 'a YAML or JSON file of PROBLEM: { TARGET: POINTS }', '--points points.yaml');
    throw err;
  }
  const format = args.json ? 'json' : args.format;
  if (format === 'html' && args.out === undefined) throw new UsageError('--out', 'the html format writes a folder of pages', 'a folder', '--format html --out report/');
  const seed = output.resolveSeed(args.seed);
  const bar = progress(files.length, format === 'text' && args.out === undefined && !args.quiet);
  const report = await lib.gradeFiles(files, {
    seed,
    runs: args.runs,
    partial: args.partial,
    ...(points ? { points } : {}),
    ...(args.jobs !== undefined ? { jobs: args.jobs } : {}),
    // The workers load the compiled registry: dist/problems/index.js beside this command's dist/src/cli/.
    registry: new URL('../../../problems/index.js', import.meta.url),
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
  const allCorrect = report.submissions.every((s) => s.status === 'graded' && s.answers.every((a) => a.verdict === 'correct'));
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
      .option('points', { type: 'string', describe: 'YAML/JSON file of PROBLEM: { TARGET: POINTS } (default 1 point each)' })
      .option('partial', { type: 'boolean', default: false, describe: 'Partial credit: the fraction of entries right at the first failing sample' })
      .option('jobs', { type: 'number', describe: 'Worker threads (default: the number of cores)' })
      .option('runs', { type: 'number', default: 16, describe: 'Random samples (shapes and inputs) per answer' })
      .option('follow-links', { type: 'boolean', default: false, describe: 'Follow symbolic links in the folders that lead out of them (by default such a link is an invalid file)' })
      .option('time-limit', { type: 'number', default: 60, describe: 'Seconds one submission may take (reference checks excluded)' })
      .example('$0 grade submissions/ --points points.yaml', 'every file in a folder, text summary')
      .example('$0 grade submissions/ --format html --out report/ --seed 7', 'an HTML page per student, reproducibly')
      .example('$0 grade /autograder/submission --format gradescope --out /autograder/results/results.json', 'a Gradescope autograder') as unknown as Argv<GradeArgs>,
  handler: (args) => runCommand(() => grade(args)),
};
