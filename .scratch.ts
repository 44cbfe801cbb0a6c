import { parseFormula, compileFormula, FormulaError } from './src/formula/index.js';
const D = { dims: ['N','D','M','K','n','F','C','H','kh'], symbols: [ { name: 'K4', shape: ['F', 'C', 'kh', 'kh'] }, { name: 'dY4', shape: ['N', 'F', 'H-kh+1', 'H-kh+1'] }] };
try { compileFormula(parseFormula("dX[b,c,:,:] = sum(conv2(dY4[b,f,:,:], K4[f,c,:,:], 'full'), f)"), D as any, { targetShape: ['N','C','H','H'] }); } catch (e) { console.log((e as FormulaError).describe()); }
