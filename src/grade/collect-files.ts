/**
 * Finding the submission files among the paths a grader names. A folder is searched recursively for
 * .yaml/.yml/.json files; whatever in it cannot be read as such (a symbolic link that leads nowhere or
 * into a loop, a link out of the given folders, a sub-folder that cannot be listed) is kept as a
 * refused entry, which the batch reports as an invalid submission while it grades the rest: one bad
 * entry never stops a class's batch.
 *
 * Links inside a folder are followed only when they lead back inside one of the given folders, unless
 * `followLinks` is set: a submission folder is the students' to fill, and a link in it to
 * /etc/shadow or /dev/zero is not a submission. Paths named on the command line are the grader's own
 * choice and are followed. Either way only regular files are ever read (src/io/read-file.ts).
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** Extensions a folder is searched for; a file named on the command line is read whatever its name. */
const SUBMISSION_EXTENSIONS = /\.(ya?ml|json)$/i;

/** A submission file to grade, or (with `refused`) an entry that is reported as an invalid submission. */
export interface SubmissionFile {
  readonly file: string;
  /** Why the entry is not read: it is graded invalid with this reason. */
  readonly refused?: string;
}

export interface CollectOptions {
  /** Follow symbolic links that lead out of the given folders (default false). */
  readonly followLinks?: boolean;
}

/** A path named on the command line does not exist: the grader's typo, reported before anything is graded. */
export class MissingPathError extends Error {
  override readonly name = 'MissingPathError';
  constructor(
    readonly file: string,
    readonly code: string,
  ) {
    super(`cannot read ${file} (${code})`);
  }
}

/**
 * The submission files among `paths`, in order: files as named, folders searched recursively (entries
 * sorted by name). Throws MissingPathError only when a named path does not exist at all.
 */
export function collectSubmissionFiles(paths: readonly string[], options: CollectOptions = {}): SubmissionFile[] {
  const named = paths.map((file) => {
    try {
      lstatSync(file);
    } catch (err) {
      throw new MissingPathError(file, (err as NodeJS.ErrnoException).code ?? 'error');
    }
    const real = realTarget(file);
    return { file, real, isFolder: typeof real === 'string' && isFolderPath(real) };
  });
  const roots = named.flatMap((n) => (n.isFolder ? [n.real as string] : []));
  const found: SubmissionFile[] = [];
  const walker = new FolderWalker(roots, options.followLinks ?? false, found);
  for (const { file, real, isFolder } of named) {
    if (typeof real !== 'string') found.push({ file, refused: brokenLink(real.code) });
    else if (isFolder) walker.walk(file, real);
    // Any other named path is read as named; the reader refuses what is not a regular file.
    else found.push({ file });
  }
  return found;
}

/** The real path of `p` (links resolved), or the error code when it cannot be resolved. */
function realTarget(p: string): string | { readonly code: string } {
  try {
    return realpathSync(p);
  } catch (err) {
    return { code: (err as NodeJS.ErrnoException).code ?? 'error' };
  }
}

function isFolderPath(real: string): boolean {
  try {
    return statSync(real).isDirectory();
  } catch {
    return false; // gone since it was resolved: read as a file, which reports why it cannot be
  }
}

function brokenLink(code: string): string {
  if (code === 'ELOOP') return 'a symbolic link in a loop (ELOOP): there is no file to read';
  if (code === 'ENOENT') return 'a symbolic link that leads nowhere (ENOENT): there is no file to read';
  return `cannot resolve the symbolic link (${code})`;
}

class FolderWalker {
  /** Real paths of the folders walked, so that a link back to a folder is not walked twice (or forever). */
  private readonly walked = new Set<string>();

  constructor(
    private readonly roots: readonly string[],
    private readonly followLinks: boolean,
    private readonly found: SubmissionFile[],
  ) {}

  walk(folder: string, real: string): void {
    if (this.walked.has(real)) return;
    this.walked.add(real);
    let entries: string[];
    try {
      entries = readdirSync(folder).sort();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      this.found.push({ file: folder, refused: `a folder that cannot be listed (${code}); the submissions in it, if any, were not graded` });
      return;
    }
    for (const name of entries) this.visit(path.join(folder, name));
  }

  private visit(entry: string): void {
    let stats;
    try {
      stats = lstatSync(entry);
    } catch (err) {
      // Removed while being listed, or not accessible: report it if it looks like a submission.
      if (SUBMISSION_EXTENSIONS.test(entry)) this.found.push({ file: entry, refused: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    if (stats.isDirectory()) {
      const real = realTarget(entry);
      this.walk(entry, typeof real === 'string' ? real : entry);
    }
    else if (stats.isSymbolicLink()) this.visitLink(entry);
    else if (SUBMISSION_EXTENSIONS.test(entry)) this.found.push({ file: entry });
  }

  private visitLink(link: string): void {
    const looksLikeSubmission = SUBMISSION_EXTENSIONS.test(link);
    const real = realTarget(link);
    if (typeof real !== 'string') {
      if (looksLikeSubmission) this.found.push({ file: link, refused: brokenLink(real.code) });
      return;
    }
    const isFolder = isFolderPath(real);
    if (!isFolder && !looksLikeSubmission) return;
    if (!this.followLinks && !this.roots.some((root) => isInside(real, root))) {
      this.found.push({
        file: link,
        refused: `a symbolic link to ${real}, outside the folders given; links out of them are not followed (--follow-links follows them)`,
      });
      return;
    }
    if (isFolder) this.walk(link, real);
    else this.found.push({ file: link });
  }
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
