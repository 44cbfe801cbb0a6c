import * as m from 'mathjs';
import nerdamer from 'nerdamer';
await import('nerdamer/Algebra.js'); await import('nerdamer/Calculus.js'); await import('nerdamer/Solve.js');
function t(label, f){ const s=performance.now(); let r; try{ r=f(); }catch(e){ r='THROW '+e.message } console.log(label, '=>', String(r).slice(0,400), `(${(performance.now()-s).toFixed(0)} ms)`); return r; }
t('mathjs simplify atoms', ()=> m.simplify('E1/(E1+E2) - 1/(1 + E2/E1)').toString());
t('nerd simplify atoms', ()=> nerdamer('simplify(E1/(E1+E2) - 1/(1 + E2/E1))').toString());
t('nerd expand atoms', ()=> nerdamer('expand(E1/(E1+E2) - 1/(1 + E2/E1))').toString());
t('nerd tanh atoms', ()=> nerdamer('simplify((2/(E+1/E))^2 + ((E-1/E)/(E+1/E))^2 - 1)').toString());
t('mathjs simplify tanh exp', ()=> m.simplify('(2/(exp(x)+exp(-x)))^2 + ((exp(x)-exp(-x))/(exp(x)+exp(-x)))^2 - 1').toString());
t('mathjs simplify tanh atoms', ()=> m.simplify('(2/(E+1/E))^2 + ((E-1/E)/(E+1/E))^2 - 1').toString());
