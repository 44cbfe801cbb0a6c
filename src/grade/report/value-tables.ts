/** Tensors as HTML tables (the inputs of a counterexample): for the HTML report and the browser playground. */
import { formatNumber } from '../../problem/numbers.js';
import type { Nested } from '../../tensor/tensor.js';
import { escapeHtml } from './escape-html.js';

function rankOf(value: Nested): number {
  return Array.isArray(value) ? 1 + rankOf(value[0] ?? 0) : 0;
}

/** A value as tables: a matrix (a vector as one row), or for more axes one matrix per leading index, X[1,2,:,:]. */
export function valueTables(name: string, value: Nested): string {
  const rank = rankOf(value);
  if (rank <= 2) {
    const rows = (rank === 0 ? [[value]] : rank === 1 ? [value] : value) as Nested[][];
    return `<p><strong>${escapeHtml(name)}</strong></p><table>${rows.map((r) => `<tr>${r.map((x) => `<td>${formatNumber(x as number)}</td>`).join('')}</tr>`).join('')}</table>`;
  }
  const slices: string[] = [];
  const visit = (v: Nested, index: number[]) => {
    if (rankOf(v) === 2) slices.push(valueTables(`${name}[${[...index, ':', ':'].join(',')}]`, v));
    else (v as Nested[]).forEach((inner, i) => visit(inner, [...index, i + 1]));
  };
  visit(value, []);
  return slices.join('\n');
}
