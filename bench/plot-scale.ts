/**
 * Draws bench/scale.svg from bench/results/scale.json (`npm run bench:plot-scale`, after
 * `npm run bench -- scale`): four panels, grading time and peak memory against class size, and one
 * check's time and peak memory against tensor size, on logarithmic axes. Plain SVG written here: four
 * line charts do not need a charting library, and the file stays a readable diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './harness.js';

interface ScaleResults {
  readonly date: string;
  readonly results: {
    readonly classes: readonly { readonly submissions: number; readonly answers: number; readonly seconds: number; readonly maxRssMB: number }[];
    readonly tensors: readonly { readonly size: number; readonly entries: number; readonly seconds: number; readonly maxRssMB: number }[];
    readonly loadAverage: readonly number[];
  };
}

interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly points: readonly (readonly [number, number])[];
  /** Label of each point's x value. */
  readonly xTick: (x: number) => string;
}

const PANEL_W = 340;
const PANEL_H = 230;
const MARGIN = { left: 58, right: 16, top: 30, bottom: 44 };
const COLOR = '#1f6feb';

const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Powers of ten (and their 2× and 5×) spanning [lo, hi], for a log axis. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) for (const m of [1, 2, 5]) ticks.push(m * 10 ** e);
  return ticks.filter((t) => t >= lo && t <= hi);
}

function panel(p: Panel, ox: number, oy: number): string {
  const xs = p.points.map(([x]) => x);
  const ys = p.points.map(([, y]) => y);
  const [xLo, xHi] = [Math.min(...xs) / 1.5, Math.max(...xs) * 1.5];
  const [yLo, yHi] = [Math.min(...ys) / 2, Math.max(...ys) * 2];
  const w = PANEL_W - MARGIN.left - MARGIN.right;
  const h = PANEL_H - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => ox + MARGIN.left + (w * Math.log(x / xLo)) / Math.log(xHi / xLo);
  const sy = (y: number) => oy + MARGIN.top + h - (h * Math.log(y / yLo)) / Math.log(yHi / yLo);
  const parts: string[] = [];
  parts.push(`<text x="${ox + PANEL_W / 2}" y="${oy + 18}" text-anchor="middle" font-weight="bold">${esc(p.title)}</text>`);
  parts.push(`<rect x="${ox + MARGIN.left}" y="${oy + MARGIN.top}" width="${w}" height="${h}" fill="none" stroke="#888"/>`);
  for (const t of logTicks(yLo, yHi)) {
    parts.push(`<line x1="${ox + MARGIN.left}" x2="${ox + MARGIN.left + w}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${ox + MARGIN.left - 4}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" font-size="10">${fmt(t)}</text>`);
  }
  for (const x of xs) parts.push(`<text x="${sx(x).toFixed(1)}" y="${oy + MARGIN.top + h + 14}" text-anchor="middle" font-size="10">${esc(p.xTick(x))}</text>`);
  parts.push(`<text x="${ox + MARGIN.left + w / 2}" y="${oy + PANEL_H - 8}" text-anchor="middle" font-size="11">${esc(p.xLabel)}</text>`);
  parts.push(`<text transform="translate(${ox + 14},${oy + MARGIN.top + h / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(p.yLabel)}</text>`);
  parts.push(`<polyline fill="none" stroke="${COLOR}" stroke-width="2" points="${p.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
  for (const [x, y] of p.points) {
    parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${COLOR}"/>`);
    parts.push(`<text x="${(sx(x) + 5).toFixed(1)}" y="${(sy(y) - 6).toFixed(1)}" font-size="10">${fmt(y)}</text>`);
  }
  return parts.join('\n');
}

/** The SVG of the four panels. */
export function scaleSvg(data: ScaleResults): string {
  const { classes, tensors, loadAverage } = data.results;
  const submissions = (n: number) => n.toLocaleString('en-US');
  const panels: Panel[] = [
    { title: 'Grading time vs class size', xLabel: 'submissions (10 answers each)', yLabel: 'seconds (wall)', points: classes.map((c) => [c.submissions, c.seconds]), xTick: submissions },
    { title: 'Grading peak memory vs class size', xLabel: 'submissions (10 answers each)', yLabel: 'peak RSS, MB', points: classes.map((c) => [c.submissions, c.maxRssMB]), xTick: submissions },
    { title: 'One check: time vs tensor size', xLabel: 'W is D×D (dense layer, N = 16)', yLabel: 'seconds (wall)', points: tensors.map((t) => [t.size, t.seconds]), xTick: (d) => String(d) },
    { title: 'One check: peak memory vs tensor size', xLabel: 'W is D×D (dense layer, N = 16)', yLabel: 'peak RSS, MB', points: tensors.map((t) => [t.size, t.maxRssMB]), xTick: (d) => String(d) },
  ];
  const width = 2 * PANEL_W;
  const height = 2 * PANEL_H + 24;
  const body = panels.map((p, i) => panel(p, (i % 2) * PANEL_W, Math.floor(i / 2) * PANEL_H)).join('\n');
  const caption = `derivcheck bench scale, ${data.date.slice(0, 10)}; 1-minute load average ${loadAverage[0]?.toFixed(1)} at the end (shared 2-core machine); log-log axes`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
${body}
<text x="${width / 2}" y="${height - 6}" text-anchor="middle" font-size="10" fill="#555">${esc(caption)}</text>
</svg>
`;
}

const input = path.join(repoRoot, 'bench', 'results', 'scale.json');
const output = path.join(repoRoot, 'bench', 'scale.svg');
writeFileSync(output, scaleSvg(JSON.parse(readFileSync(input, 'utf8')) as ScaleResults));
console.log(`written ${output}`);
