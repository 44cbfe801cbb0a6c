/**
 * Pairwise summation (Higham, "Accuracy and Stability of Numerical Algorithms", §4.2), laid out as in
 * NumPy's `pairwise_sum`: runs of at most PAIRWISE_BLOCK values are summed into 8 interleaved
 * accumulators, longer runs are split in halves and the halves added. The round-off bound is
 * O(eps · log2 n) relative to Σ|x| instead of O(eps · n) for a running sum, which keeps the sums of
 * finite-difference evaluations (loss = Σ of many terms) accurate well below the FD truncation error.
 */
/** Runs up to this length use the 8-accumulator loop; 128 is NumPy's PW_BLOCKSIZE. */
const PAIRWISE_BLOCK = 128;
/** Σ data[start + i] for i in [0, n). */
export function pairwiseSum(data, start, n) {
    if (n < 8) {
        let s = 0;
        for (let i = 0; i < n; i++)
            s += data[start + i];
        return s;
    }
    if (n <= PAIRWISE_BLOCK) {
        let r0 = data[start];
        let r1 = data[start + 1];
        let r2 = data[start + 2];
        let r3 = data[start + 3];
        let r4 = data[start + 4];
        let r5 = data[start + 5];
        let r6 = data[start + 6];
        let r7 = data[start + 7];
        const end = start + n - (n % 8);
        for (let i = start + 8; i < end; i += 8) {
            r0 += data[i];
            r1 += data[i + 1];
            r2 += data[i + 2];
            r3 += data[i + 3];
            r4 += data[i + 4];
            r5 += data[i + 5];
            r6 += data[i + 6];
            r7 += data[i + 7];
        }
        let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
        for (let i = end; i < start + n; i++)
            s += data[i];
        return s;
    }
    const half = (n >> 1) - ((n >> 1) % 8);
    return pairwiseSum(data, start, half) + pairwiseSum(data, start + half, n - half);
}
/** Σ a[ia + i] · b[ib + i] for i in [0, n), summed pairwise like `pairwiseSum`. */
export function pairwiseDot(a, ia, b, ib, n) {
    if (n < 8) {
        let s = 0;
        for (let i = 0; i < n; i++)
            s += a[ia + i] * b[ib + i];
        return s;
    }
    if (n <= PAIRWISE_BLOCK) {
        let r0 = 0;
        let r1 = 0;
        let r2 = 0;
        let r3 = 0;
        let r4 = 0;
        let r5 = 0;
        let r6 = 0;
        let r7 = 0;
        const blocks = n - (n % 8);
        for (let i = 0; i < blocks; i += 8) {
            r0 += a[ia + i] * b[ib + i];
            r1 += a[ia + i + 1] * b[ib + i + 1];
            r2 += a[ia + i + 2] * b[ib + i + 2];
            r3 += a[ia + i + 3] * b[ib + i + 3];
            r4 += a[ia + i + 4] * b[ib + i + 4];
            r5 += a[ia + i + 5] * b[ib + i + 5];
            r6 += a[ia + i + 6] * b[ib + i + 6];
            r7 += a[ia + i + 7] * b[ib + i + 7];
        }
        let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
        for (let i = blocks; i < n; i++)
            s += a[ia + i] * b[ib + i];
        return s;
    }
    const half = (n >> 1) - ((n >> 1) % 8);
    return pairwiseDot(a, ia, b, ib, half) + pairwiseDot(a, ia + half, b, ib + half, n - half);
}
