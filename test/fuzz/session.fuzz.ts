/** Session files: any bytes load as a session or a one-line SessionFileError; valid sessions round-trip. */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadSession, parseSession, saveSession, SessionFileError } from '../../src/session/store.js';
import { answeredCount, factStateOf, reconcile, SESSION_VERSION, undo, withBase, type Session } from '../../src/session/state.js';
import { transcriptOf } from '../../src/cli/walk/present.js';
import { miniKb } from '../helpers.js';
import { assertPrototypeClean, fuzz } from './fuzz.js';

const dir = mkdtempSync(join(tmpdir(), 'bt-fuzz-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const k = miniKb();
const ids = [...k.facts.keys()];

const value = fc.oneof(fc.constant(null), fc.boolean(), fc.constantFrom('timeout', 'refused', 'x', ''), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
const sessionFact = fc.record({
  fact: fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor')),
  value,
  source: fc.oneof(
    fc.record({ origin: fc.constantFrom('answer', 'answers-file', 'flag', 'evidence', 'session') }),
    fc.record({ origin: fc.constant('evidence'), file: fc.string({ maxLength: 10 }), line: fc.nat(), text: fc.string({ maxLength: 20 }) }),
  ),
});
const date = fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString());
const session: fc.Arbitrary<Session> = fc.record({
  version: fc.constant(SESSION_VERSION),
  createdAt: date,
  updatedAt: date,
  base: fc.array(sessionFact, { maxLength: 4 }),
  entries: fc.array(fc.record({ kind: fc.constantFrom('answer' as const, 'evidence' as const), label: fc.string({ maxLength: 20 }), facts: fc.array(sessionFact, { maxLength: 3 }), at: date }), { maxLength: 6 }),
});

/** Everything the walk does with a loaded session: none of it may throw. */
function use(s: Session): void {
  const r = reconcile(k, s);
  const merged = withBase(r.session, new Map());
  factStateOf(merged);
  answeredCount(merged);
  transcriptOf(k, merged);
  undo(merged);
  for (const w of r.warnings) expect(w).not.toContain('\n');
}

function load(text: string | Buffer): Session | undefined | SessionFileError {
  const p = join(dir, `s${n++}.json`);
  writeFileSync(p, text);
  try {
    const s = loadSession(p);
    if (s) use(s);
    return s;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    expect(e).toBeInstanceOf(SessionFileError);
    expect(e.message).not.toContain('\n');
    expect(e.message).toContain('--fresh');
    expect(readFileSync(p)).toEqual(Buffer.from(text)); // reported, never rewritten
    return e;
  } finally {
    assertPrototypeClean();
  }
}

/** Replace one random subtree of a JSON value. */
function mutateJson(v: unknown, path: number[], repl: unknown): unknown {
  if (!path.length || v === null || typeof v !== 'object') return repl;
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v as object);
  if (!entries.length) return repl;
  const [key, child] = entries[path[0] % entries.length];
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
  copy[key] = mutateJson(child, path.slice(1), repl);
  return copy;
}

describe('session files under fuzzing', () => {
  it('valid sessions round-trip through save and load', () => {
    fuzz('session: round trip', 200, [session], (s) => {
      const p = join(dir, `rt${n++}.json`);
      saveSession(p, s);
      expect(loadSession(p)).toEqual(JSON.parse(JSON.stringify(s)));
    });
  });

  it('sessions with one subtree replaced by any JSON load or are reported', () => {
    fuzz('session: mutated JSON', 400, [session, fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })], (s, path, repl) => {
      load(JSON.stringify(mutateJson(s, path, repl)));
    });
  });

  it('truncated and byte-edited session files', () => {
    fuzz('session: truncated/edited', 300, [session, fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 4 })], (s, cut, at, ins) => {
      const text = JSON.stringify(s, null, 2);
      const i = at % (text.length + 1);
      const edited = cut % 2 ? text.slice(0, cut % (text.length + 1)) : text.slice(0, i) + ins + text.slice(i + 1);
      const r = load(edited);
      if (edited !== text && r && !(r instanceof Error)) expect(r.version).toBe(SESSION_VERSION);
    });
  });

  it('any bytes and any JSON', () => {
    fuzz('session: any bytes / JSON', 400, [fc.oneof(fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)), fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ maxLength: 200 }))], (t) => {
      load(t);
    });
  });

  it('parseSession never throws anything but a plain Error with a short reason', () => {
    fuzz('parseSession: any JSON', 1500, [fc.jsonValue({ maxDepth: 4 })], (v) => {
      try {
        use(parseSession(JSON.stringify(v)));
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message.length).toBeLessThan(200);
      }
    });
  });
});
