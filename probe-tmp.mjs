import * as m from 'mathjs';
function t(label, f){ const s=performance.now(); let r; try{ r=f(); }catch(e){ r='THROW '+e.message } console.log(label, '=>', String(r).slice(0,400), `(${(performance.now()-s).toFixed(0)} ms)`); return r; }
t('rat 1', ()=> m.rationalize('E1/(E1+E2) - 1/(1 + E2/E1)').toString());
t('rat 1 detailed', ()=> JSON.stringify(Object.keys(m.rationalize('E1/(E1+E2) - 1/(1 + E2/E1)', {}, true))));
t('rat tanh', ()=> m.rationalize('(2/(E+1/E))^2 + ((E-1/E)/(E+1/E))^2 - 1').toString());
t('rat K5', ()=> m.rationalize('E1*(p1+p2+p3+p4+p5)/(E1+E2+E3+E4+E5) - p1 - (E1/(E1+E2+E3+E4+E5)*(p2+p3+p4+p5) + (E1/(E1+E2+E3+E4+E5) - 1)*p1)').toString());
t('simplify tanh exp', ()=> m.simplify('(2/(exp(x)+exp(-x)))^2 + ((exp(x)-exp(-x))/(exp(x)+exp(-x)))^2 - 1').toString());
const K=5;
const z=[...Array(K)].map((_,i)=>`z${i+1}`), p=[...Array(K)].map((_,i)=>`p${i+1}`);
const S = z.map(v=>`exp(${v})`).join(' + ');
const L = p.map((pj,j)=>`${pj} * (${z[j]} - log(${S}))`).join(' + ');
const d = t(`deriv K=${K}`, ()=> m.derivative(`-(${L})`, 'z3').toString());
t(`simplify residue K=${K}`, ()=> m.simplify(`${d} - (exp(z3)/(${S}) * (${p.join('+')}) - p3)`).toString());
const psub = '(1 - (p1+p2+p3+p4))';
t(`simplify conditioned K=${K}`, ()=> m.simplify(`(${d} - (exp(z3)/(${S}) - p3))`, {p5: m.parse(psub)}).toString());
t(`simplify conditioned K=${K} subst`, ()=> m.simplify(m.parse(`(${d} - (exp(z3)/(${S}) - p3))`).transform(n=> n.isSymbolNode && n.name==='p5' ? m.parse(psub) : n)).toString());
t('simplify with sigmoid fn', ()=> m.derivative('w/(1+exp(-(z+h*w)))','h').toString());
