export const DEFAULT_LIMITS = {
    // 1e7 float64 entries = 80 MB: far above any derivation's tensors, below a Node heap's comfort.
    maxElements: 1e7,
    // 1e9 simple iterations take a few seconds of JS: an honest formula on course-sized tensors needs
    // < 1e8 (the N8 C16 32×32 F16 K3 conv gradient is 1.9e7).
    maxIterations: 1e9,
    // A grader runs many formulas; 10 s is far beyond any honest evaluation.
    timeLimitMs: 10_000,
};
export function resolveLimits(limits) {
    const merged = { ...DEFAULT_LIMITS, ...limits };
    for (const [key, value] of Object.entries(merged)) {
        if (typeof value !== 'number' || !(value > 0))
            throw new TypeError(`formula limit ${key} must be a positive number, got ${String(value)}`);
    }
    return merged;
}
