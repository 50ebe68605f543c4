/**
 * One scenario per source article (facts written from the article's observations) and differential
 * scenarios: the top diagnosis must be the article's root cause, through the built CLI's library path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileSources } from '../src/kb/load.js';
import { indexKnowledge } from '../src/inference/knowledge.js';
import { diagnose } from '../src/inference/diagnose.js';
import { ROOT, state } from './helpers.js';

interface Scenario {
  name: string;
  seed?: string;
  expect: string;
  facts: Record<string, string | number | boolean | null>;
}

const dir = join(ROOT, 'test', 'scenarios');
const scenarios = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: f, ...(parse(readFileSync(join(dir, f), 'utf8')) as Scenario) }));
const kb = compileSources().kb;

describe('source-article scenarios', () => {
  it('there is a scenario for each of the five source articles', () => {
    const seeds = new Set(scenarios.map((s) => s.seed));
    expect(['000', '001', '002', '003', '004'].filter((s) => !seeds.has(s))).toEqual([]);
  });

  for (const s of scenarios) {
    it(`${s.file}: ${s.name} → ${s.expect}`, async () => {
      const k = indexKnowledge(kb!);
      for (const id of Object.keys(s.facts)) expect(k.facts.has(id), `unknown fact ${id}`).toBe(true);
      const d = await diagnose(k, state(s.facts));
      if (s.expect === 'inconclusive') {
        expect(d.status).toBe('inconclusive');
        expect(d.questions.length).toBeGreaterThan(0);
      } else {
        expect({ status: d.status, top: d.diagnoses[0]?.cause }).toEqual({ status: 'diagnosed', top: s.expect });
      }
    });
  }
});
