import type { Argv, CommandModule } from 'yargs';
import { EXIT_BAD_INPUT, UsageError } from '../exit.js';
import { RUNS_RANGE, TIME_LIMIT_RANGE_S, jobsRange, requireInRange } from '../option-ranges.js';
import type { CommonOptions } from '../output.js';
import { runCommand } from '../run.js';

const FORMATS = ['text', 'json', 'csv', 'gradescope', 'prairielearn', 'html'] as const;

interface GradeArgs extends CommonOptions {
  paths: string[];
  format: (typeof FORMATS)[number];
  out?: string;
  questions: string[];
  assignment?: string;
  points?: string;
  partial: boolean;
  jobs?: number;
  shard?: string;
  runs: number;
  timeLimit: number;
  followLinks: boolean;
  submissionMetadata?: string;
  overrides?: string;
  summary: boolean;
  csvLong?: string;
  anonymize: boolean;
  anonymizeSalt?: string;
}

async function grade(args: GradeArgs): Promise<number> {
  requireInRange('--runs', args.runs, RUNS_RANGE);
  if (args.jobs !== undefined) requireInRange('--jobs', args.jobs, jobsRange());
  requireInRange('--time-limit', args.timeLimit, TIME_LIMIT_RANGE_S);
  // What grading needs is loaded first and the workers start with it; the reports' code loads while they grade.
  const [{ gradeFiles }, { collectSubmissionFiles, MissingPathError }, { scoringFor }, { REGISTRY_URL, builtInProblems }, output, { progress }, { withQuestions }] = await Promise.all([
    import('../../grade/batch.js'),
    import('../../grade/collect-files.js'),
    import('../../grade/scoring.js'),
    import('../registry.js'),
    import('../output.js'),
    import('../progress.js'),
    import('../questions.js'),
  ]);
  let files;
  try {
    files = collectSubmissionFiles(args.paths, { followLinks: args.followLinks });
  } catch (err) {
    if (err instanceof MissingPathError) throw new UsageError('files', err.message, 'submission files or folders', 'derivcheck grade submissions/');
    throw err;
  }
  if (files.length === 0) throw new UsageError('files', `no .yaml, .yml or .json file in ${args.paths.join(' ')}`, 'submission files or folders holding them', 'derivcheck grade submissions/');
  if (args.shard !== undefined) {
    const { parseShard, shardOf, ShardSpecError } = await import('../../grade/shard.js');
    try {
      files = shardOf(files, parseShard(args.shard));
    } catch (err) {
      if (err instanceof ShardSpecError) throw new UsageError('--shard', err.message, 'part i of n, 1 ≤ i ≤ n', '--shard 1/4');
      throw err;
    }
  }
  if (args.assignment !== undefined && args.points !== undefined) throw new UsageError('--points', 'is given with --assignment', 'one assignment file (--points reads the same format)', '--assignment hw3.yaml');
  const assignmentFile = args.assignment ?? args.points;
  // The registry is loaded in this thread only to check question files, the assignment and --overrides against it (workers load their own).
  const needsProblems = args.questions.length > 0 || assignmentFile !== undefined || args.overrides !== undefined;
  const builtIn = needsProblems ? await builtInProblems() : [];
  // Every question file is read (and every error reported) before any submission is graded.
  const { problems, source } = await withQuestions(builtIn, args.questions);
  const assignment = assignmentFile === undefined ? undefined : (await import('../../question/assignment.js')).readAssignmentFile(assignmentFile, problems);
  // The question files' own points and settings; a built-in target is worth DEFAULT_POINTS (compiling every built-in here would cost start-up for nothing).
  const scoring = scoringFor(problems.filter((p) => !builtIn.includes(p)), assignment);
  let overrides;
  if (args.overrides !== undefined) {
    const { readOverridesFile, OverridesFileError } = await import('../../grade/overrides.js');
    try {
      overrides = readOverridesFile(args.overrides, problems, scoring);
    } catch (err) {
      if (err instanceof OverridesFileError) throw new UsageError('--overrides', err.message, 'a YAML or JSON list of { student, problem, target, points, note }', '--overrides overrides.yaml');
      throw err;
    }
  }
  const format = args.json ? 'json' : args.format;
  if (format === 'html' && args.out === undefined) throw new UsageError('--out', 'the html format writes a folder of pages', 'a folder', '--format html --out report/');
  const seed = output.resolveSeed(args.seed);
  const bar = progress(files.length, format === 'text' && args.out === undefined && !args.quiet);
  const grading = gradeFiles(files, {
    seed,
    runs: args.runs,
    partial: args.partial,
    scoring,
    ...(args.jobs !== undefined ? { jobs: args.jobs } : {}),
    registry: REGISTRY_URL,
    ...(source ? { questions: source } : {}),
    timeLimitMs: args.timeLimit * 1000,
    onSubmission: (s) => bar.tick(s.id),
  });
  // Only the chosen format's code is loaded, while the worker grades (html's KaTeX and formula reader are not light).
  const [{ writeGradeOutput, OutputError }, graded] = await Promise.all([import('../../grade/report/write.js'), grading]);
  bar.stop();
  // Gradescope's record of who submitted: rulings are matched by it (never by the id the file declares); it names the student unless anonymised.
  const identity = format === 'gradescope' ? await submissionIdentity(args.submissionMetadata) : undefined;
  let report = graded;
  if (overrides) {
    const { applyOverrides } = await import('../../grade/overrides.js');
    const applied = applyOverrides(graded, overrides, identity ? { students: identity.users.map((u) => u.email) } : {});
    report = applied.report;
    for (const { override, why } of applied.unused) process.stderr.write(`derivcheck: warning: ${override.source}: ${why}; the ruling was not used\n`);
  }
  if (args.anonymize) report = (await import('../../grade/anonymize.js')).anonymizeReport(report, args.anonymizeSalt ?? '');
  let written;
  try {
    written = await writeGradeOutput(report, format, args.out, { quiet: args.quiet, summary: args.summary, ...(args.csvLong !== undefined ? { csvLong: args.csvLong } : {}), ...(identity && !args.anonymize ? { identity } : {}) });
  } catch (err) {
    if (err instanceof OutputError) throw new UsageError('--out', err.message, 'a folder (or a .json file for one submission)', '--out results/');
    throw err;
  }
  if (written.stdout !== undefined) process.stdout.write(written.stdout);
  else {
    const invalid = report.submissions.filter((s) => s.status === 'invalid').length;
    output.printLine(`graded ${report.submissions.length} submissions (${invalid} could not be read), seed ${seed}: wrote ${written.files.length} files${args.out ? ` to ${args.out}` : ''}`);
  }
  // A configuration error (a --time-limit too short for the grader) is the grader's, reported apart from the verdicts.
  for (const e of report.configurationErrors) process.stderr.write(`derivcheck: configuration error: ${e}\n`);
  if (report.configurationErrors.length > 0) return EXIT_BAD_INPUT;
  const allCorrect = report.submissions.every((s) => s.status === 'graded' && s.answers.every((a) => a.finding.status === 'correct'));
  return allCorrect ? 0 : 1;
}

/**
 * Who submitted, from Gradescope's submission metadata when the file is there. A file that is there but
 * cannot be read costs only the name in the results (the file's id stands in), so it is a warning.
 */
async function submissionIdentity(file: string | undefined) {
  const { readSubmissionMetadata, SubmissionMetadataError, DEFAULT_SUBMISSION_METADATA } = await import('../../grade/submission-metadata.js');
  try {
    return readSubmissionMetadata(file ?? DEFAULT_SUBMISSION_METADATA);
  } catch (err) {
    if (!(err instanceof SubmissionMetadataError)) throw err;
    process.stderr.write(`derivcheck: warning: ${err.message}; the results name the student by the submission's id instead\n`);
    return undefined;
  }
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
      .option('summary', { type: 'boolean', default: false, describe: 'The class report: per target, verdict counts and shares, mean score, common mistakes and refusals (text; under summary in JSON)' })
      .option('csv-long', { type: 'string', describe: 'Also write one CSV row per answer (student, problem, target, verdict, points, mistake, read_as, ...) to this file' })
      .option('anonymize', { type: 'boolean', default: false, describe: 'Replace every student id and file name by a stable pseudonym (anon-<hash>), for reports to share' })
      .option('anonymize-salt', { type: 'string', describe: 'Secret salt of the pseudonyms: without one, anyone can hash a known id and find its pseudonym' })
      .option('overrides', { type: 'string', describe: "YAML/JSON list of a grader's rulings { student, problem, target, points, note }, applied on every (re)grade" })
      .option('partial', { type: 'boolean', default: false, describe: 'Partial credit: the fraction of entries right at the first failing sample' })
      .option('jobs', { type: 'number', describe: 'Worker threads (default: the number of cores, or 1 on a machine of 2 cores or fewer)' })
      .option('shard', { type: 'string', describe: 'i/n: grade only part i of n of the files (sorted by path, n contiguous parts), to split a class across machines; the same --seed gives the verdicts of the whole batch' })
      .option('runs', { type: 'number', default: 16, describe: 'Random samples (shapes and inputs) per answer' })
      .option('follow-links', { type: 'boolean', default: false, describe: 'Follow symbolic links in the folders that lead out of them (by default such a link is an invalid file)' })
      .option('submission-metadata', { type: 'string', describe: "Gradescope's submission metadata (default /autograder/submission_metadata.json): with --format gradescope, the student is named from its users when the file exists" })
      .option('time-limit', { type: 'number', default: 60, describe: 'Seconds one submission may take (reference checks excluded)' })
      .example('$0 grade submissions/ --points points.yaml', 'every file in a folder, text summary')
      .example('$0 grade submissions/ --questions hw3/ --assignment hw3/assignment.yaml --format gradescope --out results/', "a course's own questions")
      .example('$0 grade submissions/ --format html --out report/ --seed 7', 'an HTML page per student, reproducibly')
      .example('$0 grade /autograder/submission --format gradescope --out /autograder/results/results.json', 'a Gradescope autograder') as unknown as Argv<GradeArgs>,
  handler: (args) => runCommand(() => grade(args)),
};
