/**
 * Gradescope's submission metadata (/autograder/submission_metadata.json, written by Gradescope for
 * every run; https://gradescope-autograders.readthedocs.io/en/latest/submission_metadata/): who
 * submitted, as `users: [{ email, id, name }]` (several for a group submission). The Gradescope results
 * name the student from it, not from the `id` the submission file declares about itself.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { FileReadError, readRegularFile } from '../io/read-file.js';

/** Where Gradescope writes the file. */
export const DEFAULT_SUBMISSION_METADATA = '/autograder/submission_metadata.json';

/** The file holds the previous submissions' results too; 16 MiB bounds the read far above any real one. */
const MAX_METADATA_BYTES = 16 * 1024 * 1024;

/** Who submitted, as Gradescope knows them. */
export interface StudentIdentity {
  readonly users: readonly { readonly name: string; readonly email: string }[];
}

// Only what is used is checked; the file's other fields (assignment, previous_submissions, ...) are Gradescope's.
const metadataSchema = z.object({
  users: z.array(z.object({ email: z.string(), name: z.string() })).min(1, 'no users listed'),
});

/** A metadata file that exists but cannot be used. */
export class SubmissionMetadataError extends Error {
  override readonly name = 'SubmissionMetadataError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** The identity in `file`; undefined when there is no such file (a run outside Gradescope). */
export function readSubmissionMetadata(file: string): StudentIdentity | undefined {
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readRegularFile(file, MAX_METADATA_BYTES, 'a submission metadata file'));
  } catch (err) {
    if (err instanceof FileReadError) throw new SubmissionMetadataError(file, err.reason);
    if (err instanceof SyntaxError) throw new SubmissionMetadataError(file, `not valid JSON: ${err.message}`);
    throw err;
  }
  const parsed = metadataSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SubmissionMetadataError(file, `${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  return { users: parsed.data.users.map((u) => ({ name: u.name, email: u.email })) };
}
