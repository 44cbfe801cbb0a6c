import * as m from 'mathjs';
const n = m.parse('exp(x) + 2x');
n.traverse((c, path) => console.log(c.type, path, c.name ?? c.op ?? c.value));
try { m.parse('x +* 3') } catch(e) { console.log(e.constructor.name, e.message, e.char) }
try { m.parse("x'") ; console.log(m.parse("x'").type, m.parse("x'").fn)} catch(e) { console.log(e.message) }
console.log(m.parse('exp(x) + 2x').toString({implicit:'show'}));
const s = m.simplify('x*y*z + x*y*z*w + a');
console.log(s.toString(), s.args?.length, s.type, JSON.stringify(s.args?.map(a=>a.args?.length)));
console.log(m.parse('1e-3').value, typeof m.parse('3').value);
console.log(m.simplify('x*2/4').toString(), JSON.stringify(m.simplify('x/3').toJSON()).slice(0,200));
