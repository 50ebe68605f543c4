/** Answers files, --fact flags and typed values: a value or a one-line UserError/ValueError, never anything else. */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { UserError } from '../../src/errors.js';
import { parseFactFlag, readAnswersFile } from '../../src/kb/answers.js';
import { coerceFactValue, ValueError } from '../../src/inference/facts.js';
import type { FactDef } from '../../src/kb/types.js';
import { miniKb } from '../helpers.js';
import { assertPrototypeClean, CONTROL, fuzz, shippedKb, yamlSoup } from './fuzz.js';

const dir = mkdtempSync(join(tmpdir(), 'bt-fuzz-answers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const k = miniKb();
const shipped = shippedKb();
const ids = [...k.facts.keys()];
const defs = [...shipped.facts.values()];

/** Run f; a UserError must be one line, anything else thrown is a failure. */
function userErrorOr<T>(f: () => T): T | UserError {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // One line, and no control characters or escape sequences from the input reach the terminal.
    expect(e.message).not.toMatch(CONTROL);
    expect(e.message.length).toBeGreaterThan(0);
    return e;
  } finally {
    assertPrototypeClean();
  }
}

function checkValue(def: FactDef, v: unknown): void {
  if (v === null) return;
  if (def.type === 'boolean') expect(typeof v).toBe('boolean');
  if (def.type === 'enum') expect(def.choices?.map((c) => c.value)).toContain(v);
  if (def.type === 'number') {
    expect(Number.isFinite(v)).toBe(true);
    if (def.min !== undefined) expect(v as number).toBeGreaterThanOrEqual(def.min);
    if (def.max !== undefined) expect(v as number).toBeLessThanOrEqual(def.max);
  }
}

const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('yes', 'no', 'unknown', 'not sure', '?', 'timeout', 'refused', 'TIMEOUT', ' 10 ', '1,500', '1e309', '-0', 'NaN', 'Infinity', '0x10', ''),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
let n = 0;
const file = (text: string) => {
  const p = join(dir, `a${n++}.yaml`);
  writeFileSync(p, text);
  return p;
};

describe('answers files under fuzzing', () => {
  it('mappings of known and unknown ids to any scalar or structure', () => {
    const key = fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'toString'));
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), scalar, { maxKeys: 2 }));
    fuzz('answers: generated mappings', 1000, [fc.dictionary(key, value, { maxKeys: 5 })], (m) => {
      const r = userErrorOr(() => readAnswersFile(k, file(stringify(m))));
      if (r instanceof Map) for (const [id, rec] of r) checkValue(k.facts.get(id)!, rec.value);
    });
  });

  it('token soup and raw bytes', () => {
    fuzz('answers: token soup', 1000, [fc.oneof(yamlSoup(50), fc.string({ unit: 'binary', maxLength: 200 }))], (t) => {
      userErrorOr(() => readAnswersFile(k, file(t)));
    });
  });

  it('long lines and big files are refused with a message', () => {
    fuzz('answers: size limits', 30, [fc.integer({ min: 5_000, max: 300_000 }), fc.constantFrom('value', 'comment', 'key')], (len, where) => {
      const long = 'x'.repeat(len);
      const text = where === 'value' ? `conn_outcome: ${long}\n` : where === 'comment' ? `# ${long}\nconn_outcome: timeout\n` : `${long}: 1\n`;
      const r = userErrorOr(() => readAnswersFile(k, file(text)));
      expect(r).toBeInstanceOf(UserError);
      expect((r as UserError).message).toMatch(/longer than|larger than/);
    });
  });
});

describe('--fact flags and typed values under fuzzing', () => {
  it('--fact ID=VALUE with any text', () => {
    const flag = fc.oneof(fc.string({ maxLength: 40 }), fc.tuple(fc.constantFrom(...ids), fc.oneof(fc.string({ maxLength: 20 }), scalar.map(String))).map(([i, v]) => `${i}=${v}`));
    fuzz('--fact: any flag', 1500, [flag], (f) => {
      const r = userErrorOr(() => parseFactFlag(k, f));
      if (Array.isArray(r)) checkValue(k.facts.get(r[0])!, r[1].value);
    });
  });

  it('coerceFactValue for every shipped fact and any JS value: a valid value or a ValueError', () => {
    fuzz('coerceFactValue: any value', 3000, [fc.constantFrom(...defs), fc.oneof(scalar, fc.anything({ withNullPrototype: true, withBigInt: true, withBoxedValues: true, withMap: true, withSet: true }))], (def, raw) => {
      let v: unknown;
      try {
        v = coerceFactValue(def, raw);
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        expect(e.message).toContain(def.id);
        expect(e.message).not.toMatch(CONTROL);
        return;
      }
      checkValue(def, v);
    });
  });
});
