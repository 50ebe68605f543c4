/**
 * Memory: readEvidenceFiles streams. A generated ~200 MB mixed log (fixture lines, lines that match
 * signatures, random text, very long lines, CRLF runs, the odd control byte; or all of it with lone CR
 * line ends) goes through it while process.memoryUsage().rss is sampled; peak RSS growth over the baseline
 * must stay under 150 MB.
 *
 * One generated log per run (FUZZ_RUNS scales the count; the mix and the PRNG seed come from fast-check,
 * so FUZZ_SEED replays). The file is written in 1 MB chunks. The read runs in a fresh child process
 * (memory-reader.mjs, on the built dist/ — run `npm run build` first) with --expose-gc, because in the test
 * worker the runner's own heap and the generator's garbage swing RSS by ±100 MB from run to run.
 */
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';
import { runs, shippedKb } from './fuzz.js';

const dir = mkdtempSync(join(tmpdir(), 'bt-fuzz-mem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TARGET_BYTES = 200 * 1024 * 1024;
const LIMIT_GROWTH = 150 * 1024 * 1024;
const FIX = join(ROOT, 'test/fixtures/evidence');
const fixtureLines = readdirSync(FIX, { withFileTypes: true })
  .filter((e) => e.isFile() && !e.name.endsWith('.bin'))
  .flatMap((e) => readFileSync(join(FIX, e.name), 'latin1').split(/\r?\n/))
  .filter((l) => l.trim());

/** xorshift32: fast, seeded, good enough to make text. */
function prng(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

interface Mix {
  seed: number;
  /** relative weights: fixture line, signature-like line, random text, long line, crlf line, odd bytes */
  weights: [number, number, number, number, number, number];
  /** Every line end a lone CR (old Mac tools, progress output): nothing for the byte path. */
  loneCr?: boolean;
}

function generate(path: string, mix: Mix, sigLines: string[]): number {
  const rnd = prng(mix.seed);
  const total = mix.weights.reduce((a, b) => a + b, 0);
  const pick = (): number => {
    let r = rnd() * total;
    for (let i = 0; i < mix.weights.length; i++) if ((r -= mix.weights[i]) < 0) return i;
    return 0;
  };
  const CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789 .:=-_/[]()<>ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  // Random text is cut from a seeded 1 MB pool (building every line char by char would dominate the run time).
  let pool = '';
  for (let i = 0; i < 1 << 20; i++) pool += CHARS[Math.floor(rnd() * CHARS.length)];
  const randText = (n: number) => {
    const at = Math.floor(rnd() * (pool.length - n));
    return pool.slice(at, at + n);
  };
  // Long-line bodies made once.
  const longBodies = [randText(20_000), 'a'.repeat(70_000), `${'status '.repeat(3000)}7638`];
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    while (written < TARGET_BYTES) {
      const parts: string[] = [];
      let size = 0;
      while (size < 1024 * 1024) {
        let line: string;
        switch (pick()) {
          case 0:
            line = `${fixtureLines[Math.floor(rnd() * fixtureLines.length)]}\n`;
            break;
          case 1:
            line = `2024-01-01 00:00:${String(Math.floor(rnd() * 60)).padStart(2, '0')} ${sigLines[Math.floor(rnd() * sigLines.length)]}\n`;
            break;
          case 2:
            line = `${randText(10 + Math.floor(rnd() * 150))}\n`;
            break;
          case 3:
            line = `${longBodies[Math.floor(rnd() * longBodies.length)]}\n`;
            break;
          case 4:
            line = `${randText(40)}\r\n`;
            break;
          default:
            line = `${randText(20)}\u0007\u001b[0m\u00e9\ufffd${randText(20)}\n`;
        }
        if (mix.loneCr) line = line.replace(/\r?\n$/, '\r');
        parts.push(line);
        size += line.length;
      }
      const buf = Buffer.from(parts.join(''), 'latin1');
      writeSync(fd, buf);
      written += buf.length;
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Generate `numRuns` logs with mixes from `weights`, read each in a child process, check peak RSS growth. */
async function memoryProperty(name: string, weights: fc.Arbitrary<Mix['weights']>, numRuns: number, loneCr = false): Promise<void> {
    if (!existsSync(join(ROOT, 'dist/evidence/read.js'))) throw new Error('dist/ is missing: run npm run build first');
    const k = shippedKb();
    // Lines that the shipped signatures' literals find, so the pattern path runs too.
    const sigLines = (k.kb.signatures ?? []).map((s) => `${s.literal ?? s.id} ${s.note ?? ''}`.trim());
    const mixArb = fc.record({ seed: fc.integer(), weights, loneCr: fc.constant(loneCr) }) as fc.Arbitrary<Mix>;
    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
    const results: string[] = [];
    const t0 = Date.now();
    const details = await fc.check(
      fc.asyncProperty(mixArb, async (mix) => {
        const path = join(dir, 'big.log');
        const bytes = generate(path, mix, sigLines);
        const c = spawnSync(process.execPath, ['--expose-gc', join(ROOT, 'test/fuzz/memory-reader.mjs'), ROOT, path], { encoding: 'utf8', timeout: 120_000 });
        if (c.status !== 0) throw new Error(`reader failed (${c.status ?? c.signal}): ${c.stderr}`);
        const m = JSON.parse(c.stdout) as { base: number; peak: number; ms: number; bytes: number };
        const growth = m.peak - m.base;
        results.push(`${(bytes / 1048576).toFixed(0)} MB [${mix.weights.join(',')}] in ${m.ms} ms, peak RSS +${(growth / 1048576).toFixed(1)} MB`);
        expect(m.bytes).toBe(statSync(path).size);
        rmSync(path);
        if (growth >= LIMIT_GROWTH) throw new Error(`peak RSS grew by ${(growth / 1048576).toFixed(1)} MB reading ${bytes} bytes (limit 150 MB)`);
      }),
      { numRuns, endOnFailure: true, // a 200 MB case is not worth shrinking
        ...(seed !== undefined ? { seed } : {}) },
    );
    console.log(`fuzz: ${name}: ${details.numRuns} inputs in ${Date.now() - t0} ms (seed ${details.seed})\n${results.map((l) => `  ${l}`).join('\n')}`);
    if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? 'failed');
}

const W = fc.nat;
describe('evidence reading memory', () => {
  // Every kind of line: the byte path, CRLF included; chunks with an over-long line go through the text path.
  it('a ~200 MB mixed log streams through readEvidenceFiles with < 150 MB peak RSS growth', async () => {
    await memoryProperty(
      'memory: readEvidenceFiles 200 MB (mixed)',
      fc.tuple(W(8), W(4), W(8), W(1), W(2), W(2)).filter((w) => w[0] + w[1] + w[2] > 0),
      runs(1),
    );
  }, 240_000);

  // Socket tables with CRLF line ends (Windows saves) were read on the text path, which kept decoded blocks
  // alive through the lines it handed out and decoded 1 MB at a time: ~230 MB peak RSS growth for 200 MB.
  it('CRLF line ends with socket tables: < 150 MB peak RSS growth', async () => {
    await memoryProperty('memory: readEvidenceFiles 200 MB (CRLF + socket tables)', fc.constant([1, 0, 0, 0, 1, 0] as Mix['weights']), 1);
  }, 240_000);

  // The same with lone CR line ends: every block goes through the text path.
  it('lone CR line ends with socket tables (text path): < 150 MB peak RSS growth', async () => {
    await memoryProperty('memory: readEvidenceFiles 200 MB (lone CR + socket tables)', fc.constant([1, 0, 0, 0, 1, 0] as Mix['weights']), 1, true);
  }, 240_000);
});
