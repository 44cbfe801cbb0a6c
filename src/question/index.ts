/** Questions as data: question files (YAML/JSON) and inline questions (`check`) compiled to Problems. */
export { compileQuestion, MAX_DIM_SIZE } from './compile.js';
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
