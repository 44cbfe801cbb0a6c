import { z } from 'zod';

/**
 * Gradescope's results.json, written from its specification
 * https://gradescope-autograders.readthedocs.io/en/latest/specs/ ("Output format", "Test case status",
 * "Output String Formatting"): every field the document lists and no other (strict objects), so a field
 * the specification does not have is a test failure.
 */
const visibility = z.enum(['hidden', 'after_due_date', 'after_published', 'visible']);
const format = z.enum(['text', 'html', 'simple_format', 'md', 'ansi']);

const gradescopeTest = z.strictObject({
  score: z.number().optional(),
  max_score: z.number().optional(),
  status: z.enum(['passed', 'failed']).optional(),
  name: z.string().optional(),
  name_format: format.optional(),
  number: z.string().optional(),
  output: z.string().optional(),
  output_format: format.optional(),
  tags: z.array(z.string()).optional(),
  visibility: visibility.optional(),
  extra_data: z.record(z.string(), z.unknown()).optional(),
});

export const gradescopeResultsSchema = z
  .strictObject({
    score: z.number().optional(),
    execution_time: z.number().nonnegative().optional(),
    output: z.string().optional(),
    output_format: format.optional(),
    test_output_format: format.optional(),
    test_name_format: format.optional(),
    visibility: visibility.optional(),
    stdout_visibility: visibility.optional(),
    extra_data: z.record(z.string(), z.unknown()).optional(),
    tests: z.array(gradescopeTest).optional(),
    leaderboard: z.array(z.strictObject({ name: z.string(), value: z.union([z.number(), z.string()]), order: z.enum(['asc', 'desc']).optional() })).optional(),
  })
  // "score: optional, but required if not on each test case"; "tests: optional, but required if no top-level score".
  .refine((r) => r.score !== undefined || (r.tests !== undefined && r.tests.every((t) => t.score !== undefined)), { message: 'a score is required at the top level or on every test' });

/**
 * PrairieLearn's external grader results, written from its specification
 * https://prairielearn.readthedocs.io/en/latest/externalGrading/#grading-results: `score` in [0, 1]
 * is mandatory for a gradable submission; `gradable: false` takes its reasons in `format_errors` (a
 * string or a list of strings); the rendered fields are `message`, `output`, `images` and `tests`
 * (`name`, `description`, `points`, `max_points`, `message`, `output`, `images`). The specification
 * allows any additional data, so other top-level keys pass (and derivcheck's are checked where used).
 */
const image = z.union([z.string(), z.strictObject({ url: z.string(), label: z.string().optional() })]);

const prairieLearnTest = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  points: z.number().optional(),
  max_points: z.number().optional(),
  message: z.string().optional(),
  output: z.string().optional(),
  images: z.array(image).optional(),
});

export const prairieLearnResultsSchema = z
  .looseObject({
    gradable: z.boolean().optional(),
    score: z.number().min(0).max(1).optional(),
    format_errors: z.union([z.string(), z.array(z.string())]).optional(),
    message: z.string().optional(),
    output: z.string().optional(),
    images: z.array(image).optional(),
    tests: z.array(prairieLearnTest).optional(),
  })
  .refine((r) => r.gradable === false || r.score !== undefined, { message: 'a gradable result needs a score' })
  .refine((r) => r.gradable !== false || r.format_errors !== undefined, { message: 'a result that is not gradable carries its reason in format_errors' });

/** Gradescope's /autograder/submission_metadata.json (https://gradescope-autograders.readthedocs.io/en/latest/submission_metadata/), as far as the fixture uses it. */
export const submissionMetadataSchema = z.object({
  id: z.number(),
  created_at: z.string(),
  assignment: z.object({ id: z.number(), title: z.string(), total_points: z.string() }).passthrough(),
  submission_method: z.enum(['upload', 'GitHub', 'Bitbucket']),
  users: z.array(z.object({ email: z.string(), id: z.number(), name: z.string() })),
  previous_submissions: z.array(z.object({ submission_time: z.string(), score: z.number() }).passthrough()),
});
