import { parseFormula, compileFormula } from './src/formula/index.js';
import { Rng, sample, conv2d, flip } from './src/tensor/index.js';
const decl = { dims: ['N', 'F', 'C', 'H', 'W', 'kh', 'kw'], symbols: [
        { name: 'K', shape: ['F', 'C', 'kh', 'kw'] }, { name: 'dY', shape: ['N', 'F', 'H-kh+1', 'W-kw+1'] }
    ] };
const dims = { N: 8, C: 16, H: 32, W: 32, F: 16, kh: 3, kw: 3 };
const rng = new Rng(7);
const values = { K: sample.normal(rng, [16, 16, 3, 3]), dY: sample.normal(rng, [8, 16, 30, 30]) };
const f = compileFormula(parseFormula('dX[n,c,i,j] = sum(K[f,c,m,t] * dY[n,f,i-m+1,j-t+1], f, m, t)'), decl, { targetShape: ['N', 'C', 'H', 'W'] });
const kernel = () => conv2d(values.dY, flip(values.K, [2, 3]).transpose([1, 0, 2, 3]).contiguous(), { padding: 2 });
const best = { a: Infinity, b: Infinity };
for (let r = 0; r < 40; r++) {
    let t0 = performance.now();
    f(values, dims);
    best.a = Math.min(best.a, performance.now() - t0);
    t0 = performance.now();
    kernel();
    best.b = Math.min(best.b, performance.now() - t0);
}
console.log('formula', best.a.toFixed(1), 'kernel', best.b.toFixed(1), 'ratio', (best.a / best.b).toFixed(2));
