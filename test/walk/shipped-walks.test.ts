/**
 * The accuracy half of the question benchmark, as a test: on the shipped KB, a simulated user who
 * answers from a case's facts and says "not sure" to anything else is walked to the case's cause, for
 * every source-article scenario and every rule's `concludes` example. A new rule that sends a walk astray
 * fails here. (How many questions it takes is measured by `npm run bench:questions`, not tested.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileSources } from '../../src/kb/load.js';
import { indexKnowledge } from '../../src/inference/knowledge.js';
import { coerceFactValue } from '../../src/inference/facts.js';
import { simulate } from '../../src/session/walk-core.js';
import type { FactValue } from '../../src/kb/types.js';
import { ROOT } from '../helpers.js';

const k = indexKnowledge(compileSources().kb!);

interface Case {
  name: string;
  expect: string;
  facts: Record<string, unknown>;
}

const dir = join(ROOT, 'test', 'scenarios');
const scenarios: Case[] = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ ...(parse(readFileSync(join(dir, f), 'utf8')) as Case), name: f }));
const examples: Case[] = k.kb.rules
  .filter((r) => r.effect === 'supports')
  .flatMap((r) => r.concludes.map((ex, i) => ({ name: `${r.id}#${i + 1}`, expect: r.cause, facts: ex.facts })));

function truthOf(c: Case): Record<string, FactValue> {
  const truth: Record<string, FactValue> = {};
  for (const [id, raw] of Object.entries(c.facts)) {
    const v = coerceFactValue(k.facts.get(id)!, raw);
    if (v !== null) truth[id] = v;
  }
  return truth;
}

describe('walks on the shipped KB (simulated user)', () => {
  it('has cases to walk', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(10);
    expect(examples.length).toBeGreaterThanOrEqual(100);
  });

  for (const [kind, cases] of [
    ['scenario', scenarios],
    ['rule example', examples],
  ] as const) {
    it(`lands every ${kind} on its cause, asking nothing twice`, async () => {
      const wrong: string[] = [];
      for (const c of cases) {
        const truth = truthOf(c);
        const r = await simulate(k, truth);
        if (r.got !== c.expect) wrong.push(`${c.name}: expected ${c.expect}, got ${r.got} after ${r.asked.join(', ')}`);
        expect(new Set(r.asked).size, c.name).toBe(r.asked.length);
      }
      expect(wrong).toEqual([]);
    });
  }
});
