import { parseFormula, compileFormula, FormulaError } from './src/formula/index.js';
import { Rng, sample, matmul, conv2d, flip } from './src/tensor/index.js';
const decl = { dims: ['N', 'D', 'M', 'F', 'C', 'H', 'Wd', 'kh', 'kw', 'K', 'n'], symbols: [
        { name: 'X', shape: ['N', 'D'] }, { name: 'W', shape: ['D', 'M'] }, { name: 'dY', shape: ['N', 'M'] }, { name: 'G', shape: ['n', 'n'] },
        { name: 'Xc', shape: ['N', 'C', 'H', 'Wd'] }, { name: 'Kc', shape: ['F', 'C', 'kh', 'kw'] }, { name: 'dYc', shape: ['N', 'F', 'H-kh+1', 'Wd-kw+1'] }, { name: 'lab', shape: ['N'], dtype: 'index' }
    ] };
const rng = new Rng(1);
const dims = { N: 3, D: 4, M: 2, F: 2, C: 3, H: 5, Wd: 6, kh: 2, kw: 3, K: 3, n: 2 };
const values = { X: sample.normal(rng, [3, 4]), W: sample.normal(rng, [4, 2]), dY: sample.normal(rng, [3, 2]), G: sample.normal(rng, [2, 2]),
    Xc: sample.normal(rng, [3, 3, 5, 6]), Kc: sample.normal(rng, [2, 3, 2, 3]), dYc: sample.normal(rng, [3, 2, 4, 4]), lab: sample.labels(rng, [3], 3) };
const run = (t, opt = {}) => { try {
    const p = parseFormula(t, { declarations: decl });
    const f = compileFormula(p, decl, opt);
    const r = f(values, dims);
    console.log(t, '->', r.shape, Array.from(r.toArray().slice(0, 6)).map(v => v.toFixed(4)).join(' '));
    return r;
}
catch (e) {
    if (e instanceof FormulaError)
        console.log(t, e.name, e.describe());
    else
        console.log(t, 'CRASH', e);
} };
run("X' * dY");
console.log('ref', Array.from(matmul(values.X, values.dY, { transA: true }).toArray().slice(0, 6)).map(v => v.toFixed(4)).join(' '));
run("dW[i,j] = sum(X[n2,i] * dY[n2,j], n2)", { targetShape: ['D', 'M'] });
run("dS[i,j] = G[ceil(i/2), ceil(j/2)] / 4", { targetShape: ['2*n', '2*n'] });
run("kron(G, ones(2, 2)) / 4");
const a = run("dX[b,c,i,j] = sum(Kc[f,c,m,t] * dYc[b,f,i-m+1,j-t+1], f, m, t)", { targetShape: ['N', 'C', 'H', 'Wd'] });
const b = run("dX[b,c,:,:] = sum(conv2(dYc[b,f,:,:], Kc[f,c,:,:], 'full'), f)", { targetShape: ['N', 'C', 'H', 'Wd'] });
const ref = conv2d(values.dYc, flip(values.Kc, [2, 3]).transpose([1, 0, 2, 3]).contiguous(), { padding: [1, 2] });
console.log('ref', Array.from(ref.toArray().slice(0, 6)).map(v => v.toFixed(4)).join(' '), ref.shape);
let md = 0;
for (let i = 0; i < ref.size; i++)
    md = Math.max(md, Math.abs(ref.data[i] - a.data[i]), Math.abs(ref.data[i] - b.data[i]));
console.log('maxdiff', md);
run("sum(log(1 + exp(X * W)))");
run("-sum(dY .* log(softmax(X * W, 2)))");
run("0.5 * sum((X*W - dY).^2)");
run("onehot(lab, K)");
run("dZ[i,j] = delta(j, lab[i])", { targetShape: ['N', 'K'] });
run("sum(X[i, k], i, k)");
run("sum(sum(X[i,:]), i)");
run("dZ[i,j] = X[i,j] * sum(X[i,k], k) + sum(X)", { targetShape: ['N', 'D'] });
run("ones(N*N*N*N*N*N*N*N*N*N*N*N*N*N*N, N)");
run("sum(X[i,j], i, 1, 100000, j, 1, 100000)");
