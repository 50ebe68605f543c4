/**
 * Hostile YAML beyond test/kb/yaml-source.test.ts, and the regression seeds the fuzzers found
 * (test/fuzz: `npm run test:fuzz`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { MAX_ANSWERS_BYTES, MAX_ANSWERS_LINE_CHARS, parseFactFlag, readAnswersFile } from '../../src/kb/answers.js';
import { MAX_DEPTH, parseYamlText } from '../../src/kb/yaml-source.js';
import { coerceFactValue, ValueError } from '../../src/inference/facts.js';
import { cli, miniKb } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bt-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const k = miniKb();
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const messages = (text: string) => parseYamlText('h.yaml', text).diagnostics.map((d) => d.message);
const protoSnapshot = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');

function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).not.toContain('\n');
    return e as UserError;
  }
  throw new Error('no error');
}

describe('hostile YAML', () => {
  it('prototype keys in every spelling and place are refused; Object.prototype untouched', () => {
    const before = protoSnapshot();
    for (const text of [
      'a:\n  b:\n    constructor: { prototype: { polluted: 1 } }\n',
      '"__proto__": { polluted: 1 }\n',
      "'__proto__': { polluted: 1 }\n",
      '? __proto__\n: { polluted: 1 }\n',
      'x: [{ __proto__: { polluted: 1 } }]\n',
      'prototype: 1\n',
    ]) {
      expect(messages(text).join(' '), text).toMatch(/forbidden key/);
    }
    expect(protoSnapshot()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('merge keys do not merge (no hidden properties from anchors)', () => {
    const { source } = parseYamlText('m.yaml', 'base: &b { id: x, cause: y }\nrule:\n  <<: *b\n  id: z\n');
    expect(source!.data).toEqual({ base: { id: 'x', cause: 'y' }, rule: { '<<': { id: 'x', cause: 'y' }, id: 'z' } });
  });

  it('duplicate keys deep inside, and in answers files, name their line', () => {
    const { diagnostics } = parseYamlText('d.yaml', 'facts:\n  - id: a\n    type: boolean\n    id: b\n');
    expect(diagnostics[0]).toMatchObject({ line: 4 });
    expect(diagnostics[0].message).toMatch(/duplicate key/);
    const e = userError(() => readAnswersFile(k, file('dup.yaml', 'conn_outcome: timeout\nretry_gap_s: 3\nconn_outcome: refused\n')));
    expect(e.message).toMatch(/dup\.yaml:3:1: .*duplicate key/);
  });

  it('a huge scalar is read in bounded time; an answers file that big is refused by size', () => {
    const big = `x: "${'a'.repeat(8_000_000)}"\n`;
    const t = Date.now();
    expect(parseYamlText('big.yaml', big).source).toBeDefined();
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(userError(() => readAnswersFile(k, file('big.yaml', big))).message).toMatch(new RegExp(`larger than ${MAX_ANSWERS_BYTES / 1024} KiB`));
  });

  it('many aliases to one scalar are refused with a message', () => {
    const text = `a: &a x\nb: [${Array(500).fill('*a').join(', ')}]\n`;
    expect(messages(text).join(' ')).toMatch(/alias|resource/i);
  });

  it('comments and document markers: only the first document is read, extra documents are errors', () => {
    expect(messages('a: 1\n---\nb: 2\n').join(' ')).toMatch(/document|Source contains multiple/i);
  });
});

describe('regression seeds from the fuzzers', () => {
  it('yaml fuzz "arbitrary strings" seed "\\u0000": the NUL diagnostic has a real position (was line 0)', () => {
    expect(parseYamlText('n.yaml', '\u0000').diagnostics[0]).toMatchObject({ line: 1, col: 1 });
    expect(parseYamlText('n.yaml', 'a: 1\r\nb: x\u0000').diagnostics[0]).toMatchObject({ line: 2, col: 5, message: expect.stringMatching(/binary/) });
  });

  it('yaml fuzz "token soup" seed "!!binary ": YAML 1.1 tags gave Uint8Array/Set/Map/Date data; now refused', () => {
    for (const text of ['!!binary ', 'a: !!binary aGVsbG8=', 'a: !!set { x }', 'a: !!omap [ { x: 1 } ]', 'a: !!pairs [ { x: 1 } ]', 'a: !!timestamp 2001-12-14']) {
      const r = parseYamlText('t.yaml', text);
      expect(r.source, text).toBeUndefined();
      expect(r.diagnostics[0].message).toMatch(/custom tags are not allowed/);
    }
    // Plain timestamps stay strings (the core schema has no timestamp type).
    expect(parseYamlText('t.yaml', 'a: 2001-12-14').source!.data).toEqual({ a: '2001-12-14' });
  });

  it('yaml fuzz "deep nesting" seed [1467, "flow-seq"]: the parser\'s stack overflow now reads as nesting', () => {
    for (const text of [`${'['.repeat(1467)}1${']'.repeat(1467)}`, `${'{a: '.repeat(20000)}1${'}'.repeat(20000)}`, `${'- '.repeat(50000)}x`]) {
      const msgs = messages(text);
      expect(msgs.length).toBeGreaterThan(0);
      expect(msgs[0]).toBe(`nesting deeper than ${MAX_DEPTH} levels`);
      expect(msgs.join(' ')).not.toMatch(/call stack/i);
    }
  });

  it('answers fuzz seed {"toString":"yes"}: a key shadowing Object.prototype was an internal error (exit 70)', () => {
    const p = file('tostring.yaml', 'toString: yes\n');
    expect(userError(() => readAnswersFile(k, p)).message).toMatch(/tostring\.yaml:1:1: unknown fact "toString"/);
    for (const key of ['valueOf', 'hasOwnProperty', 'toString']) userError(() => readAnswersFile(k, file(`${key}.yaml`, `${key}: 1\nconn_outcome: timeout\n`)));
    const r = cli(['diagnose', '--no-shipped', '--rules', join(import.meta.dirname, '../fixtures/mini-kb'), '--answers', p]);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('coerceFactValue fuzz seed {__proto__: null}: objects are a ValueError, not a TypeError from String()', () => {
    const def = k.facts.get('conn_outcome')!;
    for (const raw of [Object.create(null), { toString: 'x' }, [1], new Map(), () => 1, Symbol('s')]) {
      expect(() => coerceFactValue(def, raw)).toThrow(ValueError);
    }
    expect(() => coerceFactValue(k.facts.get('retry_gap_s')!, { valueOf: () => 5 })).toThrow(/single value/);
    // A list value in an answers file is a user error naming the line.
    expect(userError(() => readAnswersFile(k, file('list.yaml', 'conn_outcome: timeout\nretry_gap_s: [1, 2]\n'))).message).toMatch(/list\.yaml:2/);
  });

  it('answers fuzz "size limits" seed [5000, "value"]: a line over the limit is refused with its line number', () => {
    const long = 'x'.repeat(MAX_ANSWERS_LINE_CHARS + 1);
    expect(userError(() => readAnswersFile(k, file('long1.yaml', `conn_outcome: ${long}\n`))).message).toMatch(/long1\.yaml:1: line is longer than 4096 characters/);
    expect(userError(() => readAnswersFile(k, file('long2.yaml', `conn_outcome: timeout\n# ${long}\n`))).message).toMatch(/long2\.yaml:2: line is longer/);
    // Exactly at the limit is fine.
    const ok = `# ${'y'.repeat(MAX_ANSWERS_LINE_CHARS - 2)}\nconn_outcome: timeout\n`;
    expect(readAnswersFile(k, file('ok.yaml', ok)).get('conn_outcome')?.value).toBe('timeout');
  });

  it('answers fuzz seed "\\r: " and yaml fuzz seeds "%\\ra", "*b": control characters from the input are escaped in messages', () => {
    // eslint-disable-next-line no-control-regex
    const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
    expect(userError(() => readAnswersFile(k, file('cr.yaml', '\r: '))).message).toContain('unknown fact "\\r"');
    expect(userError(() => readAnswersFile(k, file('esc.yaml', '"\\e[31mred": 1\n'))).message).toContain('unknown fact "\\u001b[31mred"');
    for (const f of ['conn_outcome=\u001b[2J\u001b[31mboom', 'daemon_running=\r\n', 'retry_gap_s=\u0007', 'nope\u001b[1m=1', '\u001b']) {
      expect(userError(() => parseFactFlag(k, f)).message, JSON.stringify(f)).not.toMatch(CONTROL);
    }
    expect(userError(() => parseFactFlag(k, `conn_outcome=${'z'.repeat(100_000)}`)).message.length).toBeLessThan(400);
    for (const t of ['%\ra', '*b', 'a: *\u0007']) for (const m of messages(t)) expect(m, JSON.stringify(t)).not.toMatch(CONTROL);
  });

  it('--fact values with odd text are values or one-line errors', () => {
    for (const f of ['conn_outcome=', '=x', 'retry_gap_s=1e400', 'retry_gap_s=0x10', 'retry_gap_s=\u0000', 'daemon_running=ON', 'conn_outcome=TIMEOUT', '__proto__=1', 'constructor=1', 'toString=1']) {
      try {
        parseFactFlag(k, f);
      } catch (e) {
        expect(e, f).toBeInstanceOf(UserError);
      }
    }
  });
});
