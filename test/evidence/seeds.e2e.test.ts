/**
 * Each source article diagnosed from its evidence alone (logs and command output as the articles show
 * them), through the built CLI — and no question asked about what the evidence already says.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

const F = 'test/fixtures/evidence';

/** A netstat -an capture of a master server at window open: most of the 28,232 ephemeral ports in use. */
function busyNetstat(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bt-seed004-'));
  const lines = ['Active Internet connections (servers and established)', 'Proto Recv-Q Send-Q Local Address           Foreign Address         State'];
  for (let port = 32768; port < 32768 + 26900; port++) {
    const state = port % 5 === 0 ? 'TIME_WAIT' : 'ESTABLISHED';
    lines.push(`tcp        0      0 10.0.0.5:${port}        10.0.0.${20 + (port % 40)}:1556        ${state}`);
  }
  const file = join(dir, 'netstat-an.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const cases: [string, string, () => string[]][] = [
  ['000', 'ips-blocks-rpc', () => [`${F}/avtar.log`, `${F}/ddpconnchk.txt`, `${F}/netstat-avamar.txt`, `${F}/traceroute-seed000.txt`]],
  ['001', 'pbx-port-silently-dropped', () => [`${F}/bpbrm.log`]],
  ['002', 'cinder-coordination-missing', () => [`${F}/cinder.log`]],
  ['003', 'selinux-denial', () => [`${F}/seeds/003-audit.log`, `${F}/seeds/003-amindexd.debug`]],
  ['004', 'ephemeral-port-exhaustion', () => [`${F}/seeds/004-bptm.log`, `${F}/seeds/004-sysctl.txt`, busyNetstat()]],
];

describe('source articles diagnosed from evidence alone', () => {
  for (const [seed, cause, files] of cases) {
    it(`seed ${seed} → ${cause}`, () => {
      const r = cli(['diagnose', ...files().flatMap((f) => ['--evidence', f]), '--format', 'json']);
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect({ status: out.status, cause: out.diagnoses[0]?.cause }).toEqual({ status: 'diagnosed', cause });
      const fromEvidence = Object.entries(out.facts as Record<string, { source: { origin: string } }>)
        .filter(([, f]) => f.source.origin === 'evidence')
        .map(([id]) => id);
      expect(fromEvidence.length).toBeGreaterThan(0);
      for (const q of out.questions as { fact: string }[]) expect(fromEvidence).not.toContain(q.fact);
      // The explanation points at the evidence line that proved each fact.
      const because = out.diagnoses[0].because.flatMap((b: { facts: { source: { origin: string; file?: string; line?: number } }[] }) => b.facts);
      expect(because.some((f: { source: { origin: string; line?: number } }) => f.source.origin === 'evidence' && (f.source.line ?? 0) > 0)).toBe(true);
    });
  }
});
