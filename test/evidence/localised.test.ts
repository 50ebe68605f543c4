/** Localised tool output: French netstat saved as Latin-1 with CRLF, and Windows output saved by PowerShell as UTF-16LE. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bt-l10n-'));

function write(name: string, lines: string[], encoding: 'latin1' | 'utf16le'): string {
  const text = `${lines.join('\r\n')}\r\n`;
  const body = Buffer.from(text, encoding);
  const file = join(dir, name);
  writeFileSync(file, encoding === 'utf16le' ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body);
  return file;
}

function facts(file: string) {
  const r = cli(['evidence', file, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout);
  return doc.facts as Record<string, { value: unknown }>;
}

describe('localised socket tables', () => {
  it('French Linux netstat (Latin-1, CRLF)', () => {
    const rows = Array.from({ length: 400 }, (_, i) => `tcp        0      0 10.0.0.5:${40000 + i}         10.0.0.9:1556           ${i % 2 ? 'ESTABLISHED' : 'TIME_WAIT'}`);
    const file = write('netstat-fr.txt', ['Connexions Internet actives (serveurs et établies)', 'Proto Recv-Q Send-Q Adresse locale          Adresse distante        Etat', ...rows], 'latin1');
    expect(facts(file).time_wait_pct.value).toBe(50);
  });

  it('French Windows netstat -ano saved by PowerShell (UTF-16LE with BOM, localised states)', () => {
    const rows = Array.from({ length: 300 }, (_, i) => `  TCP    10.0.0.5:${50000 + i}        10.0.0.9:1556          ${i % 3 ? 'ÉTABLIE' : 'TIME_WAIT'}       4242`);
    const file = write('netstat-win-fr.txt', ['', 'Connexions actives', '', '  Proto  Adresse locale         Adresse distante       État           PID', ...rows], 'utf16le');
    expect(facts(file).time_wait_pct.value).toBe(33.3);
  });

  it('German Windows netstat (HERGESTELLT / WARTEND)', () => {
    const rows = Array.from({ length: 200 }, (_, i) => `  TCP    10.0.0.5:${50000 + i}        10.0.0.9:1556          ${i % 4 ? 'HERGESTELLT' : 'WARTEND'}`);
    const file = write('netstat-win-de.txt', ['', 'Aktive Verbindungen', '', '  Proto  Lokale Adresse         Remoteadresse          Status', ...rows], 'utf16le');
    expect(facts(file).time_wait_pct.value).toBe(25);
  });
});
