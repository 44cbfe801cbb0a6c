/**
 * A heat-map of |expected − got| as inline SVG: one cell per entry, white for 0 up to full red for the
 * largest difference (black: not a number), with a legend that gives the scale and its unit (the
 * target's own). The last two axes are a panel's rows and columns; a 3-D value is a row of panels and a
 * 4-D one (N×C×H×W) a grid, N panel rows by C panel columns. A vector is one row. Rows and columns are
 * numbered (1-based, as the entries are named) often enough to find an entry by eye.
 */
import { formatDistinct, formatNumber } from '../../problem/numbers.js';
import type { Nested } from '../../tensor/tensor.js';

/** Largest cell, for the small shapes counterexamples shrink to. */
const CELL = 22;
/**
 * Smallest cell: a 64×64 map (4096 entries, HEATMAP_MAX_ENTRIES) at 10 px is still a map one can point
 * into; below 6 px the cells blur into a texture.
 */
const MIN_CELL = 6;
/** Width the cells of all panels share before they shrink: the page's text column. */
const MAX_WIDTH = 640;
/** Space between panels. */
const GAP = 10;
/** Room for the row numbers on the left and the column numbers on top. */
const LEFT = 22;
const TOP = 12;
/** Index labels are at least this far apart, so that they never overlap. */
const LABEL_SPACING = 16;
/** Size of the axis numbers, in the map's units: fits the TOP margin above the cells. */
const LABEL_FONT = 9;
/** Cell borders only where they do not drown the colour. */
const MIN_STROKED_CELL = 10;

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

/** |expected − got| entry by entry (row-major), and the largest finite one. */
function differences(expected: Nested, got: Nested): { e: number[]; g: number[]; diff: number[]; max: number } {
  const e = flatten(expected);
  const g = flatten(got);
  const diff = e.map((x, i) => Math.abs(x - g[i]!));
  return { e, g, diff, max: diff.reduce((m, d) => (Number.isFinite(d) ? Math.max(m, d) : m), 0) };
}

/** White → red by t in [0, 1]; NaN (an answer that is not a number) is black. */
function colour(t: number): string {
  if (!Number.isFinite(t)) return '#000000';
  const c = Math.round(255 * (1 - Math.min(1, Math.max(0, t))));
  return `rgb(255,${c},${c})`;
}

/** Numbers 1, 1+step, ... along an axis of `n` cells of `cell` px, ending on n (which takes the place of a label too close to it). */
function axisLabels(n: number, cell: number): number[] {
  const step = Math.max(1, Math.ceil(LABEL_SPACING / cell));
  const labels: number[] = [];
  for (let i = 1; i <= n; i += step) labels.push(i);
  const last = labels[labels.length - 1]!;
  if (last !== n) {
    if (n - last >= step) labels.push(n);
    else if (labels.length > 1) labels[labels.length - 1] = n;
  }
  return labels;
}

/** The SVG, or undefined for a scalar or mismatched values. `name` labels the cells' tooltips (dW[2,1]). */
export function heatmapSvg(expected: Nested, got: Nested, name: string): string | undefined {
  const shape = shapeOf(expected);
  const gotShape = shapeOf(got);
  if (shape.length === 0 || shape.length > 4 || shape.join() !== gotShape.join()) return undefined;
  const { e, g, diff, max } = differences(expected, got);
  // Panels: rank 1 → 1 panel of 1×n; rank 2 → 1 panel; rank 3 → 1×A panels; rank 4 → A×B panels.
  const padded = [...Array(4 - Math.max(2, shape.length)).fill(1), ...(shape.length === 1 ? [1, shape[0]!] : shape)] as [number, number, number, number];
  const [pr, pc, rows, cols] = padded;
  const cell = Math.max(MIN_CELL, Math.min(CELL, Math.floor((MAX_WIDTH - (pc - 1) * GAP) / (pc * cols))));
  const stroke = cell >= MIN_STROKED_CELL ? ' stroke="#999" stroke-width="0.5"' : '';
  const width = LEFT + pc * cols * cell + (pc - 1) * GAP;
  const height = TOP + pr * rows * cell + (pr - 1) * GAP;
  const labels: string[] = [];
  // Column numbers over the first panel row, row numbers beside the first panel column.
  for (let q = 0; q < pc; q++) {
    for (const c of axisLabels(cols, cell)) labels.push(`<text x="${LEFT + q * (cols * cell + GAP) + (c - 0.5) * cell}" y="${TOP - 3}" text-anchor="middle">${c}</text>`);
  }
  for (let p = 0; p < pr; p++) {
    for (const r of axisLabels(rows, cell)) labels.push(`<text x="${LEFT - 3}" y="${TOP + p * (rows * cell + GAP) + (r - 0.5) * cell}" text-anchor="end" dominant-baseline="central">${r}</text>`);
  }
  // The labels' size is the map's own (in its units, so it scales with the map): a page's default
  // 16 px would overflow the TOP margin and dwarf the cells.
  const parts: string[] = [`<g font-family="system-ui, sans-serif" font-size="${LABEL_FONT}" fill="#555">${labels.join('')}</g>`];
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
    const x = LEFT + q * (cols * cell + GAP) + c * cell;
    const y = TOP + p * (rows * cell + GAP) + r * cell;
    const t = max > 0 ? diff[flat]! / max : 0;
    const [expected, got] = formatDistinct([e[flat]!, g[flat]!]);
    parts.push(
      `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${colour(Number.isNaN(diff[flat]!) ? NaN : t)}"${stroke}>` +
        `<title>${name}[${index.join(',')}]: expected ${expected}, got ${got}, |difference| ${formatNumber(diff[flat]!)}</title></rect>`,
    );
  }
  return `<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" data-max="${formatNumber(max)}" data-cell="${cell}" role="img" aria-label="|expected − got| of ${name}, largest ${formatNumber(max)}">${parts.join('')}</svg>`;
}

/** The legend under a heat-map: the colour scale from 0 to the largest difference, in the target's units. */
export function heatmapLegend(expected: Nested, got: Nested, name: string): string {
  const { diff, max } = differences(expected, got);
  const nan = diff.some((d) => !Number.isFinite(d)) ? '<span class="nan"></span><span>not a number</span>' : '';
  return `<div class="heatmap-legend"><span>|expected − got|, in the units of ${name}:</span><span>0</span><span class="ramp"></span><span class="max">${formatNumber(max)}</span>${nan}</div>`;
}
