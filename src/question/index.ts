/** Questions as data: question files (YAML/JSON) and inline questions (`check`) compiled to Problems. */
export { compileQuestion, MAX_DIM_SIZE, type CompileQuestionOptions } from './compile.js';
export { adHocProblem, type AdHocSpec } from './adhoc.js';
export { planForward, type ForwardPlan, type PlannedNode } from './forward.js';
export {
  QuestionError,
  formatFieldPath,
  type FieldPath,
  type QuestionSpec,
  type DimSpec,
  type QuestionInput,
  type QuestionLet,
  type QuestionFormula,
  type QuestionMistake,
  type QuestionTarget,
  type QuestionExample,
  type QuestionGrading,
} from './spec.js';
export { parseQuestionFile, builtInIdError, MAX_QUESTION_BYTES, type QuestionFile } from './file.js';
export { QuestionFileError, QuestionLoadError, AssignmentFileError } from './errors.js';
export { loadQuestionFiles, questionFiles, readQuestionFile, type LoadedQuestion } from './load.js';
export { questionSchema, MAX_GRADING_RUNS } from './schema.js';
export { loadQuestionProblems, questionSource } from './question-loader.js';
export { readAssignmentFile, parseAssignment, type Assignment } from './assignment.js';
