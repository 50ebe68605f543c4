import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { readEvidenceFiles, parseSpec } from '../../src/evidence/read.js';
import { loadKnowledge } from '../../src/cli/context.js';
import { UserError } from '../../src/errors.js';
import { FIX, tmpFile } from './helpers.js';

const k = await loadKnowledge([]);
const f = (n: string) => join(FIX, n);

describe('readEvidenceFiles with the shipped KB', () => {
  it('NetBackup bpbrm log: 10 s gap, vnetd fallback, status 25, with line provenance', async () => {
    const r = await readEvidenceFiles(k, [f('bpbrm.log')], { redact: true });
    expect(r.facts.get('connect_retry_gap_s')).toMatchObject({ value: 10, source: { origin: 'evidence', line: 2 } });
    expect(r.facts.get('connect_retry_gap_s')?.source.text).toContain('connect in progress: 2');
    expect(r.facts.get('falls_back_to_vnetd')?.value).toBe(true);
    expect(r.facts.get('nbu_status')?.value).toBe('s25');
    expect(r.findings[0].kinds).toContain('nbu-debug');
  });
  it('ddpconnchk: port lookup failure, password redacted in provenance, kept with redact:false', async () => {
    const r = await readEvidenceFiles(k, [f('ddpconnchk.txt')], { redact: true });
    expect(r.facts.get('ddp_port_lookup_fails')?.value).toBe(true);
    const all = JSON.stringify(r.findings);
    expect(all).not.toContain('S3cr3tPass');
    const sig = await readEvidenceFiles(k, [`ddpconnchk:${tmpFile('c.txt', './ddpconnchk -s dd -u u -p S3cr3tPass\nDDLOG: ERR: [1:2] Port lookup for program 100003 failed. -p S3cr3tPass')}`], { redact: false });
    expect(sig.facts.get('ddp_port_lookup_fails')?.source.text).toContain('S3cr3tPass');
  });
  it('combines files: socket table + sysctl range give ephemeral ports in use', async () => {
    const range = tmpFile('sysctl.txt', 'net.ipv4.ip_local_port_range = 32768 34999\n');
    const r = await readEvidenceFiles(k, [f('netstat-linux.txt'), range], { redact: true });
    expect(r.facts.get('time_wait_pct')?.value).toBeCloseTo(60.3, 1);
    expect(r.facts.get('close_wait_count')?.value).toBe(36);
    expect(r.facts.get('ephemeral_range_size')?.value).toBe(2232);
    const pct = r.facts.get('ephemeral_ports_in_use_pct')?.value as number;
    expect(pct).toBeGreaterThan(0);
    expect(pct).toBeLessThanOrEqual(100);
  });
  it('forced kind, Windows netstat, avtar and cinder logs', async () => {
    const r = await readEvidenceFiles(k, [`netstat:${f('netstat-windows.txt')}`, f('avtar.log'), f('cinder.log')], { redact: true });
    expect(r.findings[0].forced).toBe('netstat');
    expect(r.findings[0].observations.find((o) => o.key === 'sockets.syn_sent.1556')?.value).toBe(15);
    expect(r.facts.get('avtar_dest_ddr_error')?.value).toBe(true);
    expect(r.facts.get('same_volume_created_by_several_hosts')?.value).toBe(true);
    expect(r.facts.get('revert_deleted_volume')?.value).toBe(true);
    expect(r.facts.get('attach_volume_missing')?.value).toBe(true);
  });
  it('UTF-16LE evidence is decoded and scanned', async () => {
    const p = tmpFile('u16.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<8> bpbrm: bind() failed ERRNO=98 Address already in use\r\n', 'utf16le')]));
    const r = await readEvidenceFiles(k, [p], { redact: true });
    expect(r.facts.get('bind_error')).toMatchObject({ value: 'eaddrinuse', source: { line: 1 } });
  });
  it('binary, empty and unknown files are skipped with warnings, never thrown', async () => {
    const r = await readEvidenceFiles(k, [f('binary.bin'), f('empty.txt'), f('unknown.txt')], { redact: true });
    expect(r.facts.size).toBe(0);
    expect(r.warnings.join('\n')).toMatch(/binary\.bin: binary data/);
    expect(r.warnings.join('\n')).toMatch(/empty\.txt: empty file/);
    expect(r.warnings.join('\n')).toMatch(/unknown\.txt: format not recognised/);
  });
  it('a missing file or an unknown forced kind is a one-line user error', async () => {
    await expect(readEvidenceFiles(k, [f('nope.log')], { redact: true })).rejects.toBeInstanceOf(UserError);
    expect(() => parseSpec('frobnicate:/tmp/x')).toThrow(UserError);
    expect(parseSpec('C:\\logs\\bpbrm.log').path).toBe('C:\\logs\\bpbrm.log');
  });
  it('line numbers stay right in a large log scanned by literal search', async () => {
    const filler = Array.from({ length: 400000 }, (_, i) => `10:00:${String(i % 60).padStart(2, '0')}.000 [1.1] <2> bptm write_data: waited for full buffer ${i} times`);
    filler[333332] = '10:00:00.000 [1.1] <16> getsockbound: bind() failed, Address already in use (125)';
    const r = await readEvidenceFiles(k, [tmpFile('big.log', filler.join('\n'))], { redact: true });
    expect(r.findings[0].bytes).toBeGreaterThan(16 * 1024 * 1024);
    expect(r.facts.get('bind_error')?.source.line).toBe(333333);
  });
});

describe('several values for one fact', () => {
  it('a map row with several: max keeps the slowest lookup of two files, with no disagreement', async () => {
    const { indexKnowledge } = await import('../../src/inference/knowledge.js');
    const { compileSources } = await import('../../src/kb/load.js');
    const k = indexKnowledge(compileSources().kb!);
    const a = tmpFile('dig-a.txt', '; <<>> DiG 9.18.24 <<>> -x 10.0.1.9\n;; Query time: 4012 msec\n');
    const b = tmpFile('dig-b.txt', '; <<>> DiG 9.18.24 <<>> -x 10.0.1.9\n;; Query time: 5009 msec\n');
    for (const files of [[a, b], [b, a]]) {
      const r = await readEvidenceFiles(k, files, { redact: true });
      expect(r.facts.get('name_lookup_seconds')?.value).toBe(5.009);
      expect(r.warnings.join('\n')).not.toMatch(/disagrees on name_lookup_seconds/);
    }
  });
});

describe('readers whose format is not at the start of a file', () => {
  it('past the first MiB still read the lines that hold their literals', async () => {
    const { indexKnowledge } = await import('../../src/inference/knowledge.js');
    const { compileSources } = await import('../../src/kb/load.js');
    const k = indexKnowledge(compileSources().kb!);
    const filler = Array.from({ length: 16000 }, (_, i) => `17:00:${String(i % 60).padStart(2, '0')}.013 [5001.5301] <2> bpbrm handle_backup: bpbrm.c.14898: media_port: 0 0 0x00000000 ${i}`);
    const text = `${filler.join('\n')}\n$ sysctl net.ipv4.tcp_window_scaling\nnet.ipv4.tcp_window_scaling = 0\n`;
    expect(text.length).toBeGreaterThan(1024 * 1024);
    const r = await readEvidenceFiles(k, [tmpFile('late.txt', text)], { redact: true });
    expect(r.facts.get('small_tcp_buffers')?.value).toBe(true);
  });
});
