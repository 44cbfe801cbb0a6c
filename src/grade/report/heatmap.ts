/**
 * A heat-map of |expected − got| as inline SVG: one cell per entry, white for 0 up to full red for the
 * largest difference. The last two axes are a panel's rows and columns; a 3-D value is a row of panels
 * and a 4-D one (N×C×H×W) a grid, N panel rows by C panel columns. A vector is one row.
 */
import { formatNumber, formatPair } from '../../problem/numbers.js';
import type { Nested } from '../../tensor/tensor.js';

/** Pixels per cell, and between panels: readable for the small shapes counterexamples shrink to. */
const CELL = 22;
const GAP = 10;

function shapeOf(value: Nested): number[] {
  const shape: number[] = [];
  let v: Nested = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0] ?? 0;
  }
  return shape;
}

function flatten(value: Nested): number[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

/** White → red by t in [0, 1]; NaN (an answer that is not a number) is black. */
function colour(t: number): string {
  if (!Number.isFinite(t)) return '#000000';
  const c = Math.round(255 * (1 - Math.min(1, Math.max(0, t))));
  return `rgb(255,${c},${c})`;
}

/** The SVG, or undefined for a scalar or mismatched values. `name` labels the cells' tooltips (dW[2,1]). */
export function heatmapSvg(expected: Nested, got: Nested, name: string): string | undefined {
  const shape = shapeOf(expected);
  const gotShape = shapeOf(got);
  if (shape.length === 0 || shape.length > 4 || shape.join() !== gotShape.join()) return undefined;
  const e = flatten(expected);
  const g = flatten(got);
  const diff = e.map((x, i) => Math.abs(x - g[i]!));
  const max = diff.reduce((m, d) => (Number.isFinite(d) ? Math.max(m, d) : m), 0);
  // Panels: rank 1 → 1 panel of 1×n; rank 2 → 1 panel; rank 3 → 1×A panels; rank 4 → A×B panels.
  const padded = [...Array(4 - Math.max(2, shape.length)).fill(1), ...(shape.length === 1 ? [1, shape[0]!] : shape)] as [number, number, number, number];
  const [pr, pc, rows, cols] = padded;
  const width = pc * cols * CELL + (pc - 1) * GAP;
  const height = pr * rows * CELL + (pr - 1) * GAP;
  const cells: string[] = [];
  for (let flat = 0; flat < diff.length; flat++) {
    const c = flat % cols;
    const r = Math.floor(flat / cols) % rows;
    const q = Math.floor(flat / (rows * cols)) % pc;
    const p = Math.floor(flat / (rows * cols * pc));
    const index: number[] = [];
    let rest = flat;
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      index.unshift((rest % shape[ax]!) + 1);
      rest = Math.floor(rest / shape[ax]!);
    }
    const x = q * (cols * CELL + GAP) + c * CELL;
    const y = p * (rows * CELL + GAP) + r * CELL;
    const t = max > 0 ? diff[flat]! / max : 0;
    const [expected, got] = formatPair(e[flat]!, g[flat]!);
    cells.push(
      `<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${colour(Number.isNaN(diff[flat]!) ? NaN : t)}" stroke="#999" stroke-width="0.5">` +
        `<title>${name}[${index.join(',')}]: expected ${expected}, got ${got}, |difference| ${formatNumber(diff[flat]!)}</title></rect>`,
    );
  }
  return `<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" data-max="${formatNumber(max)}" role="img" aria-label="|expected − got| of ${name}, largest ${formatNumber(max)}">${cells.join('')}</svg>`;
}
