import { z } from 'zod';

/** A Finding as every JSON output carries it (src/problem/finding.ts, findingJson; docs/cli.md). */
const entry = z.object({ index: z.string(), at: z.array(z.number().int()), expected: z.number().nullable(), got: z.number().nullable(), budget: z.number().nullable() });

export const findingJsonSchema = z.object({
  verdict: z.enum(['correct', 'incorrect', 'invalid', 'non-differentiable', 'undecided']),
  reason: z.string().optional(),
  message: z.string(),
  review: z.boolean(),
  readAs: z.string().nullable().optional(),
  samples: z.object({ total: z.number().int(), passed: z.number().int(), undecided: z.number().int(), nonDifferentiable: z.number().int(), nonFinite: z.number().int() }).optional(),
  maxRelError: z.number().nullable().optional(),
  mistake: z.object({ label: z.string(), description: z.string(), source: z.enum(['known-mistake', 'fd-pattern', 'shape']) }).optional(),
  evidence: z
    .object({
      dims: z.record(z.string(), z.number()),
      seed: z.number(),
      entries: z.array(entry),
      count: z.number().int(),
      entryCount: z.number().int(),
      expectedShape: z.array(z.number()),
    })
    .passthrough()
    .optional(),
});
