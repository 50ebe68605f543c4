/**
 * Evidence-only cases through the built CLI: a folder of files as a helpdesk would receive them, and the
 * cause they must give (or "inconclusive" for the near misses). No answers, no --fact: the files alone.
 *
 *   test/fixtures/evidence/cases/NAME/case.yaml
 *     about: what happened
 *     expect: { status: diagnosed, cause: pbx-port-silently-dropped }   # or { status: inconclusive }
 *     files: [a.txt, b.log]     # optional: default every other file in the folder
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..');
const CASES = join(ROOT, 'test', 'fixtures', 'evidence', 'cases');
const BIN = join(ROOT, 'bin', 'backup-triage.js');

interface CaseSpec {
  about: string;
  expect: { status: 'diagnosed' | 'inconclusive'; cause?: string };
  files?: string[];
}

const dirs = existsSync(CASES) ? readdirSync(CASES).filter((d) => existsSync(join(CASES, d, 'case.yaml'))).sort() : [];

describe('evidence-only cases through the built CLI', () => {
  it('there are cases', () => expect(dirs.length).toBeGreaterThan(0));
  for (const d of dirs) {
    const spec = parse(readFileSync(join(CASES, d, 'case.yaml'), 'utf8')) as CaseSpec;
    it(`${d}: ${spec.expect.status === 'diagnosed' ? spec.expect.cause : 'inconclusive'}`, () => {
      const files = (spec.files ?? readdirSync(join(CASES, d)).filter((f) => f !== 'case.yaml').sort()).map((f) => join(CASES, d, f));
      const out = execFileSync(process.execPath, [BIN, 'diagnose', ...files.flatMap((f) => ['--evidence', f]), '--format', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      const r = JSON.parse(out) as { status: string; diagnoses: { cause: string; confidence: number }[]; candidates: { cause: string }[]; facts: Record<string, { value: unknown }> };
      const facts = Object.fromEntries(Object.entries(r.facts).map(([k, v]) => [k, v.value]));
      const where = `${d}: ${r.status} ${JSON.stringify(r.diagnoses.map((x) => [x.cause, x.confidence]))}; facts ${JSON.stringify(facts)}`;
      // A confident wrong diagnosis is the failure that matters most: checked first, for every case.
      if (r.status === 'diagnosed') expect(r.diagnoses[0].cause, where).toBe(spec.expect.cause);
      expect(r.status, where).toBe(spec.expect.status);
    });
  }
});
