/**
 * The live preview of how derivcheck reads the claimed gradient (its reading, typeset by KaTeX) and
 * the inline error of the field an input is wrong in, with the caret under the place.
 */
import katex from 'katex';
import type { Reading } from '../engine/protocol.js';
import type { Field } from '../engine/result-view.js';

/** Fields with an error slot (`<div id="FIELD-error">`) beside their input (`id="FIELD"`). */
const FIELDS: readonly Field[] = ['loss', 'wrt', 'grad', 'shape', 'dims', 'domain', 'lets', 'problem', 'target'];

function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

export function renderReading(reading: Reading): void {
  const math = byId('preview-math');
  const text = byId('preview-text');
  if (reading.latex !== undefined && reading.readAs !== undefined) {
    katex.render(reading.latex, math, { throwOnError: false, displayMode: true, output: 'htmlAndMathml' });
    text.textContent = reading.readAs;
  } else {
    math.replaceChildren();
    text.textContent = '';
  }
  byId('preview').classList.toggle('empty', reading.readAs === undefined);
  for (const field of FIELDS) {
    const slot = byId(`${field}-error`);
    const error = reading.error?.field === field ? reading.error : undefined;
    slot.hidden = error === undefined;
    slot.replaceChildren(...(error ? [Object.assign(document.createElement('pre'), { textContent: error.described })] : []));
    if (error) byId(field).setAttribute('aria-invalid', 'true');
    else byId(field).removeAttribute('aria-invalid');
  }
}
