/**
 * Shared fuzz plumbing: run counts scaled by FUZZ_RUNS (a multiplier, default 1; e.g. 0.2 for a smoke
 * run, 20 for a long one), an optional FUZZ_SEED to replay a run, and a record of how many inputs each
 * property tried, printed at the end of each file and appended to $FUZZ_REPORT when set.
 */
import fc from 'fast-check';
import { appendFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileKb } from '../../src/kb/compile.js';
import { listYamlFiles } from '../../src/kb/load.js';
import { indexKnowledge, type Knowledge } from '../../src/inference/knowledge.js';
import { ROOT } from '../helpers.js';

const scale = Number(process.env.FUZZ_RUNS ?? 1);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

export function runs(base: number): number {
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

const tried: { name: string; runs: number; seed: number; ms: number }[] = [];

afterAll(() => {
  const lines = tried.map((t) => `fuzz: ${t.name}: ${t.runs} inputs in ${t.ms} ms (seed ${t.seed})`);
  console.log(lines.join('\n'));
  if (process.env.FUZZ_REPORT) appendFileSync(process.env.FUZZ_REPORT, `${lines.join('\n')}\n`);
});

/** Longest a single input may take before it counts as a hang (generous: slow 2-core CI machines). */
export const PER_INPUT_MS = 3_000;

function record<T>(name: string, d: fc.RunDetails<T>, ms: number): void {
  tried.push({ name, runs: d.numRuns, seed: d.seed, ms });
  if (d.failed) {
    const why = d.errorInstance instanceof Error ? d.errorInstance.message : String(d.errorInstance);
    throw new Error(`${name}: ${why}\n${fc.defaultReportMessage(d) ?? 'failed'}`);
  }
}

export function fuzz<Ts extends [unknown, ...unknown[]]>(name: string, numRuns: number, arbs: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> }, pred: (...args: Ts) => void): void {
  const t0 = Date.now();
  const prop = fc.property(...(arbs as unknown as [fc.Arbitrary<unknown>]), ((...args: Ts) => {
    const t = Date.now();
    pred(...args);
    const took = Date.now() - t;
    if (took > PER_INPUT_MS) throw new Error(`one input took ${took} ms (limit ${PER_INPUT_MS} ms): a hang or a super-linear path`);
  }) as unknown as (a: unknown) => void);
  record(name, fc.check(prop, { numRuns: runs(numRuns), ...(seed !== undefined ? { seed } : {}) }) as fc.RunDetails<unknown>, Date.now() - t0);
}

export async function fuzzAsync<Ts extends [unknown, ...unknown[]]>(
  name: string,
  numRuns: number,
  arbs: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  pred: (...args: Ts) => Promise<void>,
): Promise<void> {
  const t0 = Date.now();
  const prop = fc.asyncProperty(...(arbs as unknown as [fc.Arbitrary<unknown>]), (async (...args: Ts) => {
    const t = Date.now();
    await pred(...args);
    const took = Date.now() - t;
    if (took > PER_INPUT_MS) throw new Error(`one input took ${took} ms (limit ${PER_INPUT_MS} ms): a hang or a super-linear path`);
  }) as unknown as (a: unknown) => Promise<void>);
  record(name, (await fc.check(prop, { numRuns: runs(numRuns), ...(seed !== undefined ? { seed } : {}) })) as fc.RunDetails<unknown>, Date.now() - t0);
}

// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Object.prototype as it was when the suite started, to prove no input polluted it. */
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
export function assertPrototypeClean(): void {
  const now = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
  if (now !== PROTO_KEYS) throw new Error(`Object.prototype changed: ${now}`);
  for (const k of ['polluted', 'x', 'a', 'isAdmin']) if (k in {}) throw new Error(`Object.prototype gained "${k}"`);
}

/** Plain JSON-like data only: no Buffers, Maps, Sets, Dates, functions or odd prototypes. */
export function assertPlainData(v: unknown, path = '$'): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => assertPlainData(x, `${path}[${i}]`));
    return;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) assertPlainData(x, `${path}.${k}`);
    return;
  }
  throw new Error(`${path} is not plain data: ${Object.prototype.toString.call(v)}`);
}

/** YAML-ish building blocks: enough syntax that random sequences reach deep into the parser. */
export const YAML_TOKENS = [
  'a', 'b', 'id', 'facts', 'rules', ':', ': ', ' ', '  ', '\n', '\n  ', '\n    ', '- ', '-', '[', ']', '{', '}', ', ', ',',
  '&a ', '*a', '&b ', '*b', '!!binary ', '!!set ', '!!omap ', '!!timestamp ', '!!js/function ', '!!js/undefined ', '!x ', '!<tag:x> ',
  '!!str ', '!!int ', '!!float ', '!!map ', '!!seq ', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  '"', "'", '"__proto__"', '? ', '<<: ', '# c', '---\n', '...\n', '|\n', '>-\n', 'yes', 'no', '0x1F', '0o17', '.inf', '-.nan',
  '1e999', '12', '-0', '~', 'null', '%YAML 1.1\n', '%TAG ! tag:x:\n', '\t', '\r\n', '\r', '\u2028', '\uFEFF', '\u0085', 'é', '🙂',
  '\\', '@', '`', '%', '$(touch /tmp/x)', 'aGVsbG8=',
];

export const yamlSoup = (max = 60) => fc.array(fc.constantFrom(...YAML_TOKENS), { maxLength: max }).map((t) => t.join(''));

/** Apply random line-level and character-level edits to a valid text. */
export function mutated(text: string, maxEdits = 4): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.record({ op: fc.constant('delete-line' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('dup-line' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('swap-lines' as const), at: fc.nat(), to: fc.nat() }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), s: fc.oneof(fc.constantFrom(...YAML_TOKENS), fc.string({ maxLength: 8 })) }),
    fc.record({ op: fc.constant('cut' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 20 }) }),
    fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  );
  return fc.array(edit, { minLength: 1, maxLength: maxEdits }).map((edits) => {
    let t = text;
    for (const e of edits) {
      const lines = t.split('\n');
      switch (e.op) {
        case 'delete-line':
          lines.splice(e.at % lines.length, 1);
          t = lines.join('\n');
          break;
        case 'dup-line': {
          const i = e.at % lines.length;
          lines.splice(i, 0, lines[i]);
          t = lines.join('\n');
          break;
        }
        case 'swap-lines': {
          const i = e.at % lines.length;
          const j = e.to % lines.length;
          [lines[i], lines[j]] = [lines[j], lines[i]];
          t = lines.join('\n');
          break;
        }
        case 'insert': {
          const i = e.at % (t.length + 1);
          t = t.slice(0, i) + e.s + t.slice(i);
          break;
        }
        case 'cut': {
          const i = e.at % (t.length + 1);
          t = t.slice(0, i) + t.slice(i + e.n);
          break;
        }
        case 'truncate':
          t = t.slice(0, e.at % (t.length + 1));
          break;
      }
    }
    return t;
  });
}

/** The shipped knowledge base (kb/ + rules/), compiled from source. */
export function shippedKb(): Knowledge {
  const files = ['kb', 'rules'].flatMap((d) => listYamlFiles(join(ROOT, d))).map((p) => ({ file: p.slice(ROOT.length + 1), text: readFileSync(p, 'utf8') }));
  const r = compileKb(files);
  if (!r.kb) throw new Error(r.diagnostics.filter((d) => d.severity === 'error').slice(0, 5).map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  return indexKnowledge(r.kb);
}
