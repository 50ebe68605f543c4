import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSession, moveAside, saveSession } from '../../src/session/store.js';
import { answer, newSession } from '../../src/session/state.js';
import { UserError } from '../../src/errors.js';
import { commandsFor, parseTypedAnswer, renderHelp, renderWhy } from '../../src/cli/walk/present.js';
import { decide } from '../../src/session/walk-core.js';
import { miniKb } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bt-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('session files', () => {
  it('round-trip with a version field and leave no temp files', () => {
    const p = join(dir, 's.json');
    const s = answer(newSession(), 'conn_outcome', 'timeout', 'Q?');
    saveSession(p, s);
    saveSession(p, answer(s, 'retry_gap_s', null, 'Gap?'));
    expect(JSON.parse(readFileSync(p, 'utf8')).version).toBe(1);
    expect(loadSession(p)?.entries.map((e) => e.facts[0].fact)).toEqual(['conn_outcome', 'retry_gap_s']);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a missing file is a new session', () => {
    expect(loadSession(join(dir, 'none.json'))).toBeUndefined();
  });

  it.each([
    ['truncated', '{"version":1,"base":[],"entr'],
    ['empty', ''],
    ['wrong shape', '{"version":1,"base":{},"entries":[]}'],
    ['newer version', '{"version":9,"base":[],"entries":[]}'],
    ['bad value', '{"version":1,"base":[{"fact":"x","value":{},"source":{"origin":"answer"}}],"entries":[]}'],
  ])('a %s file is a one-line user error offering --fresh, and is not touched', (_name, text) => {
    const p = join(dir, `bad-${_name.replace(/ /g, '-')}.json`);
    writeFileSync(p, text);
    let err: unknown;
    try {
      loadSession(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain('--fresh');
    expect((err as Error).message).not.toContain('\n');
    expect(readFileSync(p, 'utf8')).toBe(text);
    expect(moveAside(p)).toBe(`${p}.bak`);
    expect(readFileSync(`${p}.bak`, 'utf8')).toBe(text);
  });
});

describe('walk text', () => {
  const k = miniKb();
  const gap = k.facts.get('retry_gap_s')!;

  it('numbers: units accepted, garbage and empty input re-prompt with a clear message', () => {
    expect(parseTypedAnswer(gap, '10')).toEqual({ kind: 'value', value: 10 });
    expect(parseTypedAnswer(gap, ' 12 s ')).toEqual({ kind: 'value', value: 12 });
    expect(parseTypedAnswer(gap, '1,500s')).toEqual({ kind: 'value', value: 1500 });
    expect(parseTypedAnswer(gap, 'not sure')).toEqual({ kind: 'value', value: null });
    expect(parseTypedAnswer(gap, 'why')).toEqual({ kind: 'command', command: 'why' });
    expect(parseTypedAnswer(gap, '?')).toEqual({ kind: 'command', command: 'help' });
    const empty = parseTypedAnswer(gap, '  ');
    expect(empty.kind).toBe('error');
    expect((empty as { message: string }).message).toMatch(/number in s.*not sure/);
    expect(parseTypedAnswer(gap, 'ten')).toMatchObject({ kind: 'error', message: expect.stringContaining('"ten" is not a number') });
    expect(parseTypedAnswer(gap, '-3')).toMatchObject({ kind: 'error', message: expect.stringContaining('at least 0 s') });
    expect(parseTypedAnswer(gap, '10 ms').kind).toBe('error');
  });

  it('help lists this platform\'s commands first and hides the others', () => {
    const checks = [
      { platform: 'windows', run: 'netstat -na | findstr 1556' },
      { platform: 'any', run: 'telnet host 1556' },
      { platform: 'linux', run: 'ss -tan' },
      { platform: 'unix', run: 'netstat -na' },
    ];
    expect(commandsFor(checks, 'linux').mine.map((c) => c.run)).toEqual(['ss -tan', 'netstat -na', 'telnet host 1556']);
    expect(commandsFor(checks, 'windows').mine.map((c) => c.run)).toEqual(['netstat -na | findstr 1556', 'telnet host 1556']);
    const text = renderHelp({ ...gap, checks }, 'aix');
    expect(text).toContain('Read the debug log timestamps.');
    expect(text).toContain('netstat -na');
    expect(text).not.toContain('findstr');
  });

  it('why names the causes a question separates and what each answer would do', async () => {
    const d = await decide(k, new Map());
    const text = renderWhy(k, d.next!);
    expect(text).toContain('silent-drop');
    expect(text).toContain('not-listening');
    expect(text).toMatch(/"Refused at once" \(\d+% likely\): .*rules out silent-drop/);
    expect(text).toMatch(/"Connects" .*supports other-cause/);
  });
});
