/**
 * CLI argument fuzzing: `run(argv)` in-process with argv built from the real vocabulary (commands, valid and
 * misspelt options, fact ids and values, fixture files, missing files, directories, binary files, "-", empty,
 * very long and random unicode strings). Whatever the argv, the exit code is 0, 1 or 2 — never 70 (internal
 * error = a bug) — and a usage error (2) is exactly one line on stderr.
 *
 * Nothing may be written outside a temp dir: the process runs with its cwd in a temp dir (so a relative
 * `docs`/`new --out` default lands there), every path in the vocabulary that can be written to
 * (`new --out`, `docs --out`, `--report`, `--session`) is absolute inside the temp dir, BACKUP_TRIAGE_CACHE
 * points there, and stdin is a fresh in-memory non-TTY stream per call (so `start` must refuse with 2 and
 * `-` reads a fixture instead of waiting on the real stdin).
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { releaseAllSessionLocks } from '../../src/session/store.js';
import { ROOT } from '../helpers.js';
import { fuzzAsync } from './fuzz.js';

const dir = mkdtempSync(join(tmpdir(), 'bt-fuzz-cli-'));
const work = join(dir, 'cwd');
mkdirSync(work);
const savedCwd = process.cwd();
const savedEnv = { ...process.env };
beforeAll(() => {
  process.chdir(work);
  process.env.BACKUP_TRIAGE_CACHE = join(dir, 'cache');
  delete process.env.BACKUP_TRIAGE_RULES;
  delete process.env.BACKUP_TRIAGE_DEBUG;
  process.env.NO_COLOR = '1';
});
afterAll(() => {
  process.chdir(savedCwd);
  process.env = savedEnv;
  releaseAllSessionLocks();
  rmSync(dir, { recursive: true, force: true });
});

// ---- vocabulary -------------------------------------------------------------------------------------
const kb = JSON.parse(readFileSync(join(ROOT, 'dist/kb.json'), 'utf8')) as {
  facts: { id: string; type: string; choices?: { value: string }[] }[];
  causes: { id: string }[];
  rules: { id: string }[];
};
const FACT_IDS = kb.facts.map((f) => f.id);
const FACT_VALUES = ['true', 'false', 'yes', 'no', '0', '-1', '1e999', 'NaN', '10', '65536', '', '=', 'é', ...kb.facts.flatMap((f) => (f.choices ?? []).map((c) => c.value))];
const IDS = [...FACT_IDS.slice(0, 30), ...kb.causes.map((c) => c.id), ...kb.rules.slice(0, 30).map((r) => r.id)];

const FIX = join(ROOT, 'test/fixtures');
const listFiles = (d: string): string[] =>
  readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(d, e.name)) : e.isFile() ? [join(d, e.name)] : []));
const FIXTURE_FILES = listFiles(FIX).filter((f) => statSync(f).size < 2_000_000);
const FIXTURE_DIRS = [FIX, join(FIX, 'evidence'), join(FIX, 'mini-kb'), join(FIX, 'site-rules/vpn'), join(FIX, 'site-rules/clash'), join(FIX, 'broken/examples'), join(FIX, 'broken/warnings'), join(ROOT, 'examples/site-rules')];
const BINARY = join(dir, 'binary.bin');
writeFileSync(BINARY, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
const EMPTY_DIR = join(dir, 'empty-dir');
mkdirSync(EMPTY_DIR);
const BAD_YAML_DIR = join(dir, 'bad-yaml');
mkdirSync(BAD_YAML_DIR);
writeFileSync(join(BAD_YAML_DIR, 'x.yaml'), 'rules: [ { id: ');

const existingFile = fc.constantFrom(...FIXTURE_FILES, BINARY);
const missing = fc.constantFrom(join(dir, 'missing.txt'), join(dir, 'nope/nope.yaml'), '/nonexistent/x', 'relative-missing.log');
const directory = fc.constantFrom(...FIXTURE_DIRS, EMPTY_DIR, BAD_YAML_DIR, dir);
const path = fc.oneof(existingFile, missing, directory, fc.constant('-'));
const longString = fc.integer({ min: 200, max: 40_000 }).chain((n) => fc.constantFrom('a', 'é', '🙂', '/', '=', '-', '\n').map((c) => c.repeat(n)));
const weird = fc.oneof(
  fc.constant(''),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ maxLength: 10 }).map((s) => `--${s}`),
  longString,
);

let outN = 0;
/** A fresh path inside the temp dir (for --out, --report, --session), sometimes in a missing subdirectory. */
const OUT_DIR = join(dir, 'out-is-a-dir');
mkdirSync(join(OUT_DIR, 'inner'), { recursive: true });
const OUT_FILE = join(dir, 'out-exists.md');
writeFileSync(OUT_FILE, 'x');
const tmpOut = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a.yaml', 'sub/dir/b.md', 's.json', 'r.md', 'x').map((n) => join(dir, 'out', String(outN++), n)) },
  // an existing directory or file, a path under a file, and relative names (cwd is the temp dir)
  { weight: 2, arbitrary: fc.constantFrom(OUT_DIR, `${OUT_DIR}/`, OUT_FILE, join(OUT_FILE, 'under-a-file.md'), join(BINARY, 'x'), '.', '') },
  { weight: 1, arbitrary: weird.filter((w) => !w.includes('..') && !w.startsWith('/') && !w.startsWith('~')) },
);

const COMMANDS = ['start', 'diagnose', 'evidence', 'list', 'show', 'validate', 'test', 'new', 'docs', 'graph', 'help', 'diagnos', 'lst', 'Start', '', '-', '--', '-h', '--help', '--version', '-v'];
const VALID_FLAGS = ['--format', '--answers', '-a', '--fact', '-f', '--evidence', '-e', '--questions', '--rules', '--no-shipped', '--no-redact', '--help', '-h', '--strict', '--quiet', '-q', '--coverage', '--rule', '--id', '--cause', '--check', '--fresh', '--platform', '--'];
const MISSPELT = ['--formt', '--fromat', '--fact=', '--facts', '--evidance', '--rule=', '--no-redacted', '--help=1', '--check=yes', '-x', '-fh', '---format', '--FORMAT', '—format', '--sesion', '--out=', '-o'];
const FORMATS = ['text', 'json', 'markdown', 'mermaid', 'dot', 'yaml', 'TEXT', ''];

/** One argv token or a flag with its value; written-to flags always get a temp path. */
const piece: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...VALID_FLAGS).map((f) => [f]) },
  { weight: 2, arbitrary: fc.constantFrom(...MISSPELT).map((f) => [f]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('--fact', '-f'), fc.constantFrom(...FACT_IDS, 'unknown_fact', ''), fc.constantFrom(...FACT_VALUES)).map(([f, id, v]) => [f, `${id}=${v}`]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('--fact', '--id', '--cause', '--rule', '--questions', '--platform'), fc.oneof(fc.constantFrom(...IDS), weird)).map(([f, v]) => [f, v]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('--evidence', '-e', '--answers', '-a', '--rules'), path).map(([f, p]) => [f, p]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('--evidence', '--answers'), fc.constantFrom('netstat:', 'ss:', 'ping:', 'bogus:', 'NETSTAT:'), path).map(([f, k, p]) => [f, k + p]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('--out', '-o', '--report', '--session', '-s'), tmpOut).map(([f, p]) => [f, p]) },
  { weight: 1, arbitrary: tmpOut.map((p) => [`--out=${p}`]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('--format', '--format='), fc.constantFrom(...FORMATS)).map(([f, v]) => (f.endsWith('=') ? [f + v] : [f, v])) },
  { weight: 2, arbitrary: fc.oneof(path, fc.constantFrom(...IDS, 'causes', 'facts', 'rules', 'rule', 'cause', 'fact')).map((p) => [p]) },
  { weight: 1, arbitrary: weird.map((w) => [w]) },
);

/**
 * Commands that write without an explicit --out (`docs`, `new` with a relative --out) are made safe by the
 * cwd being the temp dir; a relative path from the "weird" strings could still be written there, never
 * elsewhere, because every absolute path in the vocabulary is a fixture (read-only use) or under `dir`.
 */
const argv = fc.tuple(fc.constantFrom(...COMMANDS), fc.array(piece, { maxLength: 6 })).map(([cmd, ps]) => [...(cmd === '' && ps.length ? [] : [cmd]), ...ps.flat()]);

// ---- capture -----------------------------------------------------------------------------------------
interface Captured {
  code: number;
  out: string;
  err: string;
}

async function capture(args: string[], stdinText: string): Promise<Captured> {
  let out = '';
  let err = '';
  const ow = process.stdout.write;
  const ew = process.stderr.write;
  const stdinDesc = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  const shipped = process.env.BACKUP_TRIAGE_SHIPPED;
  const exitCode = process.exitCode;
  const sink = (add: (s: string) => void) =>
    function (this: unknown, chunk: unknown, enc?: unknown, cb?: unknown) {
      add(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const done = typeof enc === 'function' ? enc : cb;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    } as typeof process.stdout.write;
  process.stdout.write = sink((s) => (out += s));
  process.stderr.write = sink((s) => (err += s));
  const fakeStdin = Readable.from(stdinText ? [Buffer.from(stdinText)] : []);
  Object.defineProperty(process, 'stdin', { configurable: true, enumerable: stdinDesc.enumerable, get: () => fakeStdin });
  try {
    const code = await run(args);
    return { code, out, err };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    Object.defineProperty(process, 'stdin', stdinDesc);
    // `--no-shipped` sets this for the rest of the (normally one-command) process: undo it between calls.
    if (shipped === undefined) delete process.env.BACKUP_TRIAGE_SHIPPED;
    else process.env.BACKUP_TRIAGE_SHIPPED = shipped;
    process.exitCode = exitCode;
    releaseAllSessionLocks();
  }
}

const stdinText = fc.oneof(fc.constant(''), fc.constantFrom(...FIXTURE_FILES.filter((f) => f.includes('/evidence/') && !f.endsWith('.bin'))).map((f) => readFileSync(f, 'utf8')), fc.string({ unit: 'binary', maxLength: 200 }));

function check(args: string[], r: Captured): void {
  codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
  const show = () => `argv ${JSON.stringify(args.map((a) => (a.length > 80 ? `${a.slice(0, 40)}…(${a.length})` : a)))}\nstderr: ${r.err.slice(0, 600)}`;
  if (![0, 1, 2].includes(r.code)) throw new Error(`exit ${r.code}\n${show()}`);
  if (r.code === 2) {
    const lines = r.err.split('\n');
    // `validate` reports every problem in the knowledge files at once, one per line, then "invalid: N error(s)":
    // a report, not a usage error. Every other exit 2 is exactly one line.
    const validateReport = args[0] === 'validate' && /^invalid: .*\d+ error\(s\), \d+ warning\(s\)$/.test(lines.at(-2) ?? '') && lines.at(-1) === '';
    if (!validateReport && !(lines.length === 2 && lines[1] === '' && lines[0].length > 0)) throw new Error(`exit 2 with ${lines.length - 1} stderr lines (want exactly one)\n${show()}`);
  }
}

/** Files the fuzzer wrote must all be inside the temp dir; the repo's tracked docs must be untouched. */
const DOCS = join(ROOT, 'docs/kb-reference.md');
const docsBefore = readFileSync(DOCS, 'utf8');

const codes = new Map<number, number>();
afterAll(() => console.log(`fuzz: cli exit codes: ${[...codes].sort().map(([c, n]) => `${c}×${n}`).join(' ')}`));

describe('CLI argv under fuzzing', () => {
  it('run(argv): exit 0/1/2 only, never 70; a usage error is one stderr line', async () => {
    await fuzzAsync('cli: run(argv)', 300, [argv, stdinText], async (args, input) => {
      check(args, await capture(args, input));
    });
    expect(readFileSync(DOCS, 'utf8')).toBe(docsBefore);
  });

  it('regression seeds (argv the fuzzer found)', async () => {
    const seeds: string[][] = [
      ['start'],
      ['start', '--session', join(dir, 'seed', 's.json'), '--report', join(dir, 'seed', 'r.md')],
      ['diagnose', '--evidence', '-'],
      ['evidence', '-', '-'],
      ['--no-shipped', 'list', 'causes'],
      // found by this fuzzer (docs --out= → exit 70; validate with a newline path → multi-line exit 2) and the
      // rest of those bug classes; each was exit 70 or a multi-line exit 2 before the fix in src/cli
      ['docs', '--out='],
      ['docs', '--out', OUT_DIR],
      ['docs', '--out', join(OUT_FILE, 'under-a-file.md')],
      ['docs', '--check', '--out', OUT_DIR],
      ['docs', '--out', 'x'.repeat(5000)],
      ['new', 'rule', '--out', join(OUT_FILE, 'under-a-file.md')],
      ['new', 'fact', '--out', '🙂'.repeat(2000)],
      ['validate', '\n'.repeat(50)],
      ['show', 'a\nb\rc\u2028d'],
    ];
    for (const s of seeds) check(s, await capture(s, ''));
  });
});
