/** Grading submitted formulas: read submission files, grade every answer against FD, report. */
export * from './types.js';
export { readSubmission, parseSubmission, idFromFile, MAX_SUBMISSION_BYTES, MAX_ANSWERS, type Submission, type SubmissionReading } from './submission.js';
export { scoringFor, pointsOf, isAssigned, assignedTargets, DEFAULT_POINTS, type Scoring } from './scoring.js';
export { GradingSession, DEFAULT_GRADE_RUNS, type GradingSettings } from './session.js';
export { gradeAnswer } from './answer.js';
export { gradeSubmission, gradeFile, type SubmissionHooks } from './grade-submission.js';
export { gradeFiles, DEFAULT_TIME_LIMIT_MS, type GradeOptions } from './batch.js';
export { collectSubmissionFiles, MissingPathError, type SubmissionFile, type CollectOptions } from './collect-files.js';
export { renderGradeText } from './report/text.js';
export { gradeJson } from './report/json.js';
export { gradescopeResults } from './report/gradescope.js';
export { prairieLearnResults } from './report/prairielearn.js';
export { submissionPage, indexPage } from './report/html.js';
export { formulaLatex } from './report/latex.js';
export { writeGradeOutput, GRADE_FORMATS, OutputError, type GradeFormat, type GradeOutput } from './report/write.js';
