/**
 * End-to-end in a real pseudo-terminal, on the shipped KB: a plain `start` (the path that shows the
 * opening question worked out at build time, before the rest is loaded), evidence pasted at the first
 * question, and the walk carrying on from what the paste showed. Requires `npm run build` and `script`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveScript, PtyRun } from './pty.js';
import { ROOT } from '../helpers.js';

const LOG = readFileSync(join(ROOT, 'test/fixtures/evidence/bpbrm.log'), 'utf8').split(/\r?\n/).filter((l) => l.trim());

describe.skipIf(!haveScript)('evidence pasted into the walk', () => {
  let work: string;
  const runs: PtyRun[] = [];
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'bt-walk-ev-'));
  });
  afterAll(() => {
    for (const r of runs) r.kill();
    rmSync(work, { recursive: true, force: true });
  });

  it('reads a pasted NetBackup log at the first question, never asks what it showed, and diagnoses', async () => {
    const report = join(work, 'pasted.md');
    // The plain start: no session, no given facts, no site rules (the early first question).
    const t = new PtyRun(ROOT, ['start', '--report', report], { cwd: work });
    runs.push(t);
    const first = await t.waitFor(/\? \(1\) [^\n]*\n/);
    expect(first).toMatch(/causes, \d+ rules/);
    await t.choose('Add evidence');
    await t.waitFor('Finish with an empty line.');
    for (const line of LOG) t.type(line);
    t.type('');
    const found = await t.waitFor(/found connect_retry_gap_s = 10 s[^\n]*\n/);
    expect(found).toContain('found nbu_status = 25');
    expect(found).toContain('found falls_back_to_vnetd = yes');
    // The evidence concludes the cause and leaves no question worth asking: straight to the result.
    const screen = await t.waitFor('Report written to');
    expect(screen).toContain('Root cause: ');
    expect(screen).toContain('pbx-port-silently-dropped');
    expect(await t.exited).toBe(0);
    // Nothing the paste answered was asked afterwards.
    const after = t.text().slice(t.text().indexOf('Finish with an empty line.'));
    expect(after).not.toMatch(/\? \(\d+\) /);
    const md = readFileSync(report, 'utf8');
    expect(md).toMatch(/pasted text/);
    expect(md).toContain('connect_retry_gap_s');
  });

  it('offers the result as soon as a cause is diagnosed, with checks still open, and shows it when taken', async () => {
    const t = new PtyRun(ROOT, ['start', '--report', join(work, 'offer.md')], { cwd: work });
    runs.push(t);
    await t.waitFor(/\? \(1\) Which description[^\n]*\n/);
    await t.choose('A backup job fails with a connect or socket status');
    // For failing jobs the product matters, so the opening asks it next.
    await t.waitFor(/\? \(2\) Which backup product[^\n]*\n/);
    await t.choose('Veritas NetBackup');
    await t.waitFor(/\? \(3\) What happens when the source host opens[^\n]*\n/);
    await t.choose('Refused at once');
    // A reset at once concludes "nothing listens", though a listener check could still overturn it.
    const offer = await t.waitFor(/Diagnosed: [^\n]*\n/);
    expect(offer).toContain('service-not-listening');
    await t.choose('Show the result now');
    const screen = await t.waitFor('Report written to');
    expect(screen).toContain('Root cause: ');
    expect(screen).toContain('(service-not-listening)');
    expect(screen).toContain('(3 questions answered)');
    expect(await t.exited).toBe(0);
  });

  it('after five "not sure" answers in a row, points at evidence, Help and Quit', async () => {
    const t = new PtyRun(ROOT, ['start', '--session', join(work, 'unsure.json')], { cwd: work });
    runs.push(t);
    const asked: string[] = [];
    while (asked.length < 5) {
      const seen = await t.waitFor(/\? \(\d+\) [^\n]*(\n|quit\])/);
      const line = seen.slice(seen.lastIndexOf('? ('));
      const n = line.slice(0, line.indexOf(')') + 1);
      if (asked.includes(n)) continue;
      asked.push(n);
      if (line.includes('[number')) t.type('not sure');
      else await t.choose(asked.length === 1 ? 'Skip (not sure)' : 'Not sure');
    }
    const hint = await t.waitFor(/Five "not sure" answers in a row[^\n]*\n/);
    expect(hint).toContain('Add evidence');
    // Shown once per run of "not sure", not after every further one.
    await t.waitFor(/\? \(6\) [^\n]*(\n|quit\])/);
    await t.choose('Quit');
    expect(await t.exited).toBe(130);
    expect(t.text().match(/Five "not sure" answers in a row/g)).toHaveLength(1);
  });
});
