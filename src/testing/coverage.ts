/** Per-cause example coverage: how well each cause is pinned down by examples. */
import type { Knowledge } from '../inference/knowledge.js';

export const MIN_POSITIVES = 2;
export const MIN_NEAR_MISSES = 1;

export interface CoverageRow {
  cause: string;
  rules: string[];
  positives: number;
  nearMisses: number;
  ok: boolean;
}

export function coverage(k: Knowledge): CoverageRow[] {
  return k.kb.causes.map((c) => {
    const rules = k.supportsByCause.get(c.id) ?? [];
    const positives = rules.reduce((n, r) => n + r.concludes.length, 0);
    const nearMisses = rules.reduce((n, r) => n + r.near_misses.length, 0);
    return { cause: c.id, rules: rules.map((r) => r.id), positives, nearMisses, ok: positives >= MIN_POSITIVES && nearMisses >= MIN_NEAR_MISSES };
  });
}
