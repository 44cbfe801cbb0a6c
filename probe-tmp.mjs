import * as m from 'mathjs';
import nerdamer from 'nerdamer';
await import('nerdamer/Algebra.js'); await import('nerdamer/Calculus.js'); await import('nerdamer/Solve.js');
function t(label, f){ const s=performance.now(); let r; try{ r=f(); }catch(e){ r='THROW '+e.message } console.log(label, '=>', String(r).slice(0,300), `(${(performance.now()-s).toFixed(0)} ms)`); return r; }
t('mathjs simplify unreduced', ()=> m.simplify('exp(z1)/(exp(z1)+exp(z2)) - 1/(exp(z1-z1)+exp(z2-z1))').toString());
t('mathjs simplify x*y - y*x', ()=> m.simplify('x*y - y*x').toString());
t('mathjs simplify noncomm', ()=> m.simplify('x*y - y*x', {}, {context: {multiply: {commutative: false}}}).toString());
t('mathjs sigmoid deriv', ()=> m.derivative('1/(1+exp(-x))','x').toString());
t('mathjs tanh deriv', ()=> m.derivative('tanh(x)','x').toString());
t('mathjs tanh diff simplify', ()=> m.simplify(m.derivative('tanh(x)','x').toString()+' - (1 - tanh(x)^2)').toString());
t('mathjs sigmoid diff simplify', ()=> m.simplify(m.derivative('1/(1+exp(-x))','x').toString()+' - (1/(1+exp(-x)))*(1-1/(1+exp(-x)))').toString());
for (const K of [2,3]) {
  const z=[...Array(K)].map((_,i)=>`z${i+1}`), p=[...Array(K)].map((_,i)=>`p${i+1}`);
  const S = z.map(v=>`exp(${v})`).join(' + ');
  const L = p.map((pj,j)=>`${pj} * (${z[j]} - log(${S}))`).join(' + ');
  const d = t(`mathjs derivative K=${K}`, ()=> m.derivative(`-(${L})`, 'z1').toString());
  t(`mathjs simplify residue K=${K}`, ()=> m.simplify(`${d} - (exp(z1)/(${S}) * (${p.join('+')}) - p1)`).toString());
  t(`mathjs rationalize residue K=${K}`, ()=> m.rationalize(`${d} - (exp(z1)/(${S}) * (${p.join('+')}) - p1)`).toString());
  t(`nerdamer diff K=${K}`, ()=> nerdamer.diff(`-(${L})`, 'z1').toString());
  t(`nerdamer residue K=${K}`, ()=> nerdamer(`diff(-(${L}), z1) - (exp(z1)/(${S}) * (${p.join('+')}) - p1)`).toString());
}
