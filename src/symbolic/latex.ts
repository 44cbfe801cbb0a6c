/**
 * LaTeX for the symbolic leg's formulas and derivation steps (docs, the HTML report). Rendering uses
 * mathjs's `toTex`, which prints the expression as it stands; nerdamer's `toTeX` prints its own
 * rewritten form, which could differ from what was checked, so it is not used here.
 */
import type { MathNode } from 'mathjs';
import { ScalarExpression } from './expression.js';

/** Variable name → LaTeX: z1 → z_{1}, W1_12 → W^{(1)}_{12} (layer superscript, entry subscript), b_k → b_{k}. */
export function variableLatex(name: string): string {
  const m = /^([A-Za-z]+)(\d*)(?:_([A-Za-z0-9]+))?$/.exec(name);
  if (!m) return `\\mathrm{${name.replace(/_/g, '\\_')}}`;
  const [, base, digits, sub] = m;
  const head = base!.length > 1 ? `\\mathrm{${base}}` : base!;
  if (sub !== undefined) return digits ? `${head}^{(${digits})}_{${sub}}` : `${head}_{${sub}}`;
  return digits ? `${head}_{${digits}}` : head;
}

/** LaTeX of a scalar expression, redundant parentheses dropped. */
export function expressionLatex(expression: ScalarExpression | MathNode): string {
  const node = expression instanceof ScalarExpression ? expression.node : expression;
  return node.toTex({
    parenthesis: 'auto',
    // Braced: mathjs writes operators such as \\cdot right before a symbol, so a bare name would run into them.
    handler: (n: MathNode, _options: object) => (n.type === 'SymbolNode' ? `{${variableLatex((n as unknown as { name: string }).name)}}` : undefined),
  });
}

/** One step of a derivation: what it is, the expression, and which engine produced it (none for a statement). */
export interface DerivationStep {
  readonly label: string;
  readonly text: string;
  readonly latex: string;
  readonly engine?: string;
}

export function derivationStep(label: string, expression: ScalarExpression, engine?: string): DerivationStep {
  return { label, text: expression.text, latex: expressionLatex(expression), ...(engine ? { engine } : {}) };
}

/** Steps as one aligned LaTeX block: a row per step, the label (and engine) as text on the left. */
export function derivationLatex(steps: readonly DerivationStep[]): string {
  const rows = steps.map((s) => `\\text{${escapeText(s.engine ? `${s.label} (${s.engine})` : s.label)}} &: \\quad ${s.latex}`);
  return `\\begin{aligned}\n${rows.join(' \\\\\n')}\n\\end{aligned}`;
}

/** Characters with a meaning inside \text{...}. */
function escapeText(text: string): string {
  return text.replace(/[\\{}$&#^_%~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '^' ? '\\^{}' : c === '~' ? '\\~{}' : `\\${c}`));
}
