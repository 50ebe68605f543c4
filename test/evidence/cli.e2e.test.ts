import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIX } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/backup-triage.js'), ...args], { cwd: ROOT, encoding: 'utf8', input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('built CLI with evidence', () => {
  it('diagnose --evidence (seed 001 style) explains with file:line provenance', () => {
    const r = cli(['diagnose', '--evidence', join(FIX, 'bpbrm.log'), '--format', 'json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    const d = doc.diagnoses.find((x: { cause: string }) => x.cause === 'pbx-port-silently-dropped');
    expect(d).toBeTruthy();
    const facts = d.because.flatMap((b: { facts: { fact: string; source: { file: string; line: number } }[] }) => b.facts);
    expect(facts.find((x: { fact: string }) => x.fact === 'connect_retry_gap_s').source).toMatchObject({ origin: 'evidence', line: 2 });
  });
  it('diagnose reads evidence from stdin and combines it with --fact', () => {
    const r = cli(['diagnose', '--evidence', '-', '--fact', 'product=netbackup', '--format', 'json'], '<8> bpbrm: bind() failed ERRNO=98\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('stdin');
  });
  it('evidence --format json prints exactly one JSON document; secrets masked', () => {
    const r = cli(['evidence', '--format', 'json', join(FIX, 'ddpconnchk.txt'), join(FIX, 'netstat-avamar.txt'), join(FIX, 'binary.bin')]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.files).toHaveLength(3);
    expect(doc.facts.ddp_port_lookup_fails.value).toBe(true);
    expect(doc.facts.sendq_stuck.value).toBe(true);
    expect(doc.files[2].skipped).toMatch(/binary/);
    expect(r.stdout).not.toContain('S3cr3tPass');
  });
  it('evidence that cannot be read at all (binary, empty) is a one-line error and exit 2; alongside a good file, a warning', () => {
    for (const args of [['evidence', join(FIX, 'binary.bin')], ['evidence', join(FIX, 'empty.txt')], ['diagnose', '--evidence', join(FIX, 'binary.bin'), '--format', 'json'], ['evidence', join(FIX, 'binary.bin'), join(FIX, 'empty.txt')]]) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/no usable evidence .*(binary|empty).*give a text log/);
    }
    // A text log nothing in the KB recognises is still evidence read (and said so), not an error.
    expect(cli(['evidence', join(FIX, 'unknown.txt')]).status).toBe(0);
  });
  it('evidence text report and one-line errors', () => {
    const ok = cli(['evidence', join(FIX, 'cinder.log')]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/same_volume_created_by_several_hosts = yes\s+because .*cinder\.log:\d+/);
    const bad = cli(['evidence', join(FIX, 'missing.log')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
