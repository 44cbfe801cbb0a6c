import { LimitExceededError } from './errors.js';
export function overBudget(rt, site = rt.site) {
    throw new LimitExceededError(`this formula needs more than ${rt.limits.maxIterations} loop iterations and multiply-adds`, site, 'maxIterations', 'use smaller dimensions, or raise limits.maxIterations');
}
export function timedOut(rt, site = rt.site) {
    throw new LimitExceededError(`the evaluation took longer than ${rt.limits.timeLimitMs} ms`, site, 'timeLimitMs', 'use smaller dimensions, or raise limits.timeLimitMs');
}
/** Charges `work` to the budget and checks the deadline; called before every kernel and loop. */
export function charge(rt, work, site) {
    rt.budget -= work;
    if (rt.budget < 0)
        overBudget(rt, site);
    if (performance.now() > rt.deadline)
        timedOut(rt, site);
}
