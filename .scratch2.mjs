const N=8,C=16,H=32,W=32,F=16,kh=3,kw=3, Ho=30, Wo=30;
const K = new Float64Array(F*C*kh*kw).map(()=>Math.random());
const dY = new Float64Array(N*F*Ho*Wo).map(()=>Math.random());
const S = [1, Wo, Ho*Wo, F*Ho*Wo]; const Q = [1, W, H*W, C*H*W]; const KS=[1,kw,kh*kw,C*kh*kw];
function a(out, s3, q3) {
  for (let n=1;n<=N;n++) for (let c=1;c<=C;c++) for (let i=1;i<=H;i++) {
    const p15 = (n-1)*Q[3] + (c-1)*Q[2] + (i-1)*Q[1];
    for (let f=1;f<=F;f++) { const p1 = (f-1)*KS[3] + (c-1)*KS[2]; const p10 = (n-1)*S[3] + (f-1)*S[2];
      for (let m=1;m<=kh;m++) { const i4 = i - m; const k8 = i4>=0 && i4<Ho; const p11 = p10 + S[1]*i4; const p2 = p1 + (m-1)*KS[1];
        for (let t=1;t<=kw;t++) { const r3 = K[p2 + KS[0]*(t-1)];
          for (let j=1;j<=W;j++) { const i7 = j - t; const r12 = k8 && i7>=0 && i7<Wo ? dY[p11+s3*i7] : 0; out[p15 + q3*(j-1)] += r3*r12; } } } } }
}
function b(out, s3, q3) {
  for (let n=1;n<=N;n++) for (let c=1;c<=C;c++) for (let i=1;i<=H;i++) {
    const p15 = (n-1)*Q[3] + (c-1)*Q[2] + (i-1)*Q[1];
    for (let f=1;f<=F;f++) { const p1 = (f-1)*KS[3] + (c-1)*KS[2]; const p10 = (n-1)*S[3] + (f-1)*S[2];
      for (let m=1;m<=kh;m++) { const i4 = i - m; if (!(i4>=0 && i4<Ho)) continue; const p11 = p10 + S[1]*i4; const p2 = p1 + (m-1)*KS[1];
        for (let t=1;t<=kw;t++) { const r3 = K[p2 + KS[0]*(t-1)];
          const jlo = Math.max(1, t), jhi = Math.min(W, Wo + t - 1);
          for (let j=jlo;j<=jhi;j++) { out[p15 + q3*(j-1)] += r3*dY[p11+s3*(j - t)]; } } } } }
}
function c(out, s3, q3) {
  for (let n=1;n<=N;n++) for (let c=1;c<=C;c++) for (let i=1;i<=H;i++) {
    const p15 = (n-1)*Q[3] + (c-1)*Q[2] + (i-1)*Q[1];
    for (let f=1;f<=F;f++) { const p1 = (f-1)*KS[3] + (c-1)*KS[2]; const p10 = (n-1)*S[3] + (f-1)*S[2];
      for (let m=1;m<=kh;m++) { const i4 = i - m; if (!(i4>=0 && i4<Ho)) continue; const p11 = p10 + S[1]*i4; const p2 = p1 + (m-1)*KS[1];
        for (let t=1;t<=kw;t++) { const r3 = K[p2 + KS[0]*(t-1)];
          const jlo = Math.max(1, t), jhi = Math.min(W, Wo + t - 1);
          let po = p15 + q3*(jlo-1), pi = p11 + s3*(jlo-t);
          for (let j=jlo;j<=jhi;j++, po += q3, pi += s3) { out[po] += r3*dY[pi]; } } } } }
}
for (const [name, fn] of [['a', a], ['b', b], ['c', c], ['a', a], ['b', b], ['c', c]]) { let best = Infinity; for (let rep=0; rep<8; rep++) { const out = new Float64Array(N*C*H*W); const t0=performance.now(); fn(out, 1, 1); best = Math.min(best, performance.now()-t0); } console.log(name, best.toFixed(1)); }
