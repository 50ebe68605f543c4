/**
 * The field corpus: command output and logs as admins paste them, each file with a sidecar
 * (NAME.expect.yaml) of the facts reading it alone must give, and the facts it must not give.
 *
 *   source: where the format's shape is documented (man page, vendor document)
 *   reads: [other.txt]          # optional: read these files together instead of the sibling NAME.*
 *   kind: sockets               # optional: a detected kind it must have
 *   facts: { time_wait_pct: 61.2, sendq_stuck: true, rtt_ms: { between: [40, 60] } }
 *   not: [ephemeral_ports_in_use_pct]      # facts it must not set at all
 *   observations: { sockets.count.TIME_WAIT: 245 }   # optional
 *   withheld: [filtered]        # optional: words a "not concluded" note must hold
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readEvidenceFiles } from '../../src/evidence/read.js';
import { indexKnowledge } from '../../src/inference/knowledge.js';
import { compileSources } from '../../src/kb/load.js';
import { declaredObservations } from '../../src/evidence/catalog.js';
import type { FactValue } from '../../src/kb/types.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'evidence', 'field');
const k = indexKnowledge(compileSources({ observations: declaredObservations() }).kb!);

interface Sidecar {
  source: string;
  reads?: string[];
  kind?: string;
  facts?: Record<string, FactValue | { between: [number, number] }>;
  not?: string[];
  observations?: Record<string, FactValue>;
  withheld?: string[];
}

function sidecars(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...sidecars(p));
    else if (e.endsWith('.expect.yaml')) out.push(p);
  }
  return out;
}

export function corpusFiles(): { sidecar: string; spec: Sidecar; files: string[] }[] {
  return sidecars(ROOT).map((sidecar) => {
    const spec = parse(readFileSync(sidecar, 'utf8')) as Sidecar;
    const dir = dirname(sidecar);
    const stem = basename(sidecar, '.expect.yaml');
    const files = spec.reads?.map((f) => join(dir, f)) ?? readdirSync(dir).filter((f) => f.startsWith(`${stem}.`) && !f.endsWith('.expect.yaml')).map((f) => join(dir, f));
    return { sidecar, spec, files };
  });
}

const cases = corpusFiles();

describe('field corpus', () => {
  it('holds files, each with a source and something to check', () => {
    for (const c of cases) {
      expect(c.files.length, `${c.sidecar}: no evidence file beside it`).toBeGreaterThan(0);
      expect(c.spec.source?.length ?? 0, `${c.sidecar}: say where the format comes from`).toBeGreaterThan(3);
      expect(Object.keys(c.spec.facts ?? {}).length + (c.spec.not?.length ?? 0), `${c.sidecar}: nothing to check`).toBeGreaterThan(0);
    }
  });
  for (const c of cases) {
    it(c.sidecar.slice(ROOT.length + 1).replace(/\.expect\.yaml$/, ''), async () => {
      const r = await readEvidenceFiles(k, c.files, { redact: true });
      const got = Object.fromEntries([...r.facts].map(([id, rec]) => [id, rec.value]));
      const where = `${c.sidecar}\n  got facts: ${JSON.stringify(got)}\n  observations: ${JSON.stringify(r.findings.flatMap((f) => f.observations.map((o) => `${o.key}=${String(o.value)}`)))}\n  withheld: ${JSON.stringify(r.findings.flatMap((f) => f.withheld.map((w) => `${w.about}: ${w.why}`)))}`;
      if (c.spec.kind) expect(r.findings.flatMap((f) => f.kinds), where).toContain(c.spec.kind);
      for (const [fact, want] of Object.entries(c.spec.facts ?? {})) {
        expect(got, where).toHaveProperty([fact]);
        if (want !== null && typeof want === 'object' && 'between' in want) {
          expect(got[fact], `${fact} ${where}`).toBeGreaterThanOrEqual(want.between[0]);
          expect(got[fact], `${fact} ${where}`).toBeLessThanOrEqual(want.between[1]);
        } else expect(got[fact], `${fact} ${where}`).toEqual(want);
      }
      for (const fact of c.spec.not ?? []) expect(got, `must not set ${fact}: ${where}`).not.toHaveProperty([fact]);
      const obs = new Map(r.findings.flatMap((f) => f.observations.map((o) => [o.key, o.value] as const)));
      for (const [key, want] of Object.entries(c.spec.observations ?? {})) expect(obs.get(key), `${key} ${where}`).toEqual(want);
      const notes = r.findings.flatMap((f) => f.withheld.map((w) => `${w.about} ${w.why}`.toLowerCase()));
      for (const word of c.spec.withheld ?? []) expect(notes.some((n) => n.includes(word.toLowerCase())), `withheld note with "${word}": ${where}`).toBe(true);
    });
  }
});
