#!/usr/bin/env node
/**
 * Performance benchmark, one run, figures as ratios against `node -e 0` measured in the same run.
 *   1. start-up: time to the first question of the walk (in a pseudo-terminal) and `diagnose --format json`
 *      on a seed scenario, end to end;
 *   2. scale: load, per-step latency (next question + update; median, p95) over the same 20 answers at every size and over
 *      the walk the strategy itself leads (up to 20 answers), and `diagnose` time for
 *      synthetic knowledge bases of 100, 1,000, 10,000 and 50,000 rules (scripts/gen-synthetic-kb.mjs);
 *   3. evidence: scan throughput on a generated log vs `grep -cE` with the same patterns, and peak memory
 *      (scripts/bench-evidence.mjs).
 * usage: node scripts/bench.mjs [--sizes 100,1000,10000,50000] [--log-mb 1024] [--runs 7] [--skip-evidence]
 * Needs a build (npm run build). Not a test: nothing here fails on a slow machine.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from './gen-synthetic-kb.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BIN = join(ROOT, 'bin/backup-triage.js');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,10000,50000' },
    'log-mb': { type: 'string', default: process.env.BENCH_MB ?? '1024' },
    runs: { type: 'string', default: '7' },
    'skip-evidence': { type: 'boolean' },
  },
});
const RUNS = Number(values.runs);
/** Passes over the same 20 answers at each size (each step's fastest pass is kept). */
const SAME_PASSES = 3;
const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (x) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

function timeCommand(args, env = {}) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  }
  return median(times);
}

/**
 * Time from launch until the first question is on the screen, through `script` (a real pty). The walk is
 * then left with Ctrl-C and the next run starts once it has exited: killing `script` instead left the walk
 * loading its knowledge and ranking questions (~30 ms of CPU) while the next run started, on 2 cores.
 */
function firstQuestion() {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} start`, '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, TERM: 'xterm', COLUMNS: '120', LINES: '40' },
    });
    let out = '';
    let elapsed;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no question, or no exit after Ctrl-C, after 30 s; screen: ${out.slice(-300)}`));
    }, 30_000);
    child.stdout.on('data', (d) => {
      out += d.toString();
      if (elapsed === undefined && /\?\s/.test(out.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''))) {
        elapsed = performance.now() - t0;
        child.stdin.write('\u0003');
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      if (elapsed === undefined) reject(new Error(`the walk exited before its first question; screen: ${out.slice(-300)}`));
      else resolvePromise(elapsed);
    });
  });
}

async function startup() {
  const node = timeCommand(['-e', '0']);
  const diagnose = timeCommand([BIN, 'diagnose', '--answers', 'examples/seed-001-pbx-silently-dropped.yaml', '--format', 'json']);
  const firsts = [];
  for (let i = 0; i < RUNS; i++) firsts.push(await firstQuestion());
  const first = median(firsts);
  console.log('\n## 1. Start-up (median of %d runs)\n', RUNS);
  console.log('| what | time | × node -e 0 | target |');
  console.log('|---|---|---|---|');
  console.log(`| node -e 0 | ${ms(node)} | 1.00 | |`);
  console.log(`| first question on screen (walk, pty) | ${ms(first)} | ${(first / node).toFixed(2)} | ≤ 1.5 |`);
  console.log(`| diagnose --format json (seed 001) | ${ms(diagnose)} | ${(diagnose / node).toFixed(2)} | ≤ 2 |`);
  return node;
}

async function scale(nodeMs) {
  const { compileKb } = await import(dist('kb/compile.js'));
  const { listYamlFiles, readKbFiles } = await import(dist('kb/load.js'));
  const { indexKnowledge } = await import(dist('inference/knowledge.js'));
  const { decide } = await import(dist('session/walk-core.js'));
  const { diagnose } = await import(dist('inference/diagnose.js'));
  console.log('\n## 2. Scale: synthetic knowledge bases (300 facts, rules of 2–6 conditions, nested all/any/not)\n');
  console.log('| rules | YAML compile (cold) | load (compiled, cached) | walk: step median | walk: step p95 | whole walk | walk steps | same 20 answers: step median | p95 | diagnose |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const rows = [];
  for (const size of values.sizes.split(',').map(Number)) {
    const dir = mkdtempSync(join(tmpdir(), `bt-syn-${size}-`));
    generate(size, dir);
    const files = readKbFiles(listYamlFiles(dir), (p) => p);
    let t0 = performance.now();
    const compiled = compileKb(files);
    const cold = performance.now() - t0;
    if (!compiled.kb) throw new Error(`synthetic KB of ${size} rules did not compile: ${compiled.diagnostics[0]?.message}`);
    // What a second run does: JSON.parse of the cached artefact + indexes.
    const json = JSON.stringify(compiled.kb);
    t0 = performance.now();
    const k = indexKnowledge(JSON.parse(json));
    const load = performance.now() - t0;
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const truth = new Map(k.kb.facts.map((f) => [f.id, (k.answerSpace.get(f.id) ?? [])[Math.floor(rand() * (k.answerSpace.get(f.id) ?? [1]).length)]]));
    const answer = (state, fact) => state.set(fact, { value: truth.get(fact), source: { origin: 'answer' } });
    // The walk a user gets: the strategy's own questions, answered from a fixed random truth, for up to 20
    // answers. It ends when nothing left can change the outcome, which happens at a different step on each
    // KB, so its median mixes different phases of a walk from one size to the next.
    const state = new Map();
    const steps = [];
    for (let i = 0; i < 20; i++) {
      t0 = performance.now();
      const d = await decide(k, state);
      steps.push(performance.now() - t0);
      if (!d.next) break;
      answer(state, d.next.fact);
    }
    t0 = performance.now();
    await diagnose(k, state);
    const diag = performance.now() - t0;
    const walk = steps.reduce((a, b) => a + b, 0);
    // Equal work at every size: the same 20 facts (by position in the KB) answered in the same order, the
    // next question chosen after each (choice + update), on a fresh index so no cache carries over. Done
    // SAME_PASSES times, each on its own fresh index, keeping each step's fastest time: one pass alone
    // mixes in how warm the JIT happens to be at that size and when the GC strikes, which on this 2-core
    // machine moved the ratio between sizes by ±40 % from run to run.
    // The work of a step, in rules: those on the fact answered last (statuses, scores and belief are
    // updated for them) plus those on each question ranked (valuing a question reads every rule on its
    // fact). If the work grows linearly with the rule base, so does this.
    const same = new Array(20).fill(Infinity);
    const work = new Array(20).fill(0);
    for (let pass = 0; pass < SAME_PASSES; pass++) {
      const fresh = indexKnowledge(JSON.parse(json));
      const scripted = new Map();
      let last;
      for (let i = 0; i < 20; i++) {
        t0 = performance.now();
        const d = await decide(fresh, scripted);
        same[i] = Math.min(same[i], performance.now() - t0);
        const rulesOn = (f) => fresh.ruleNumbersByFact.get(f)?.length ?? 0;
        work[i] = (last ? rulesOn(last) : 0) + d.ranked.reduce((n, q) => n + rulesOn(q.fact), 0);
        last = fresh.kb.facts[(i * 7) % fresh.kb.facts.length].id;
        answer(scripted, last);
      }
    }
    rows.push({ size, cold, load, median: median(steps), p95: pct(steps, 0.95), walk, diag, sameMedian: median(same), sameP95: pct(same, 0.95), work: median(work.slice(1)) });
    console.log(
      `| ${size.toLocaleString('en')} | ${ms(cold)} | ${ms(load)} | ${ms(median(steps))} | ${ms(pct(steps, 0.95))} | ${ms(walk)} | ${steps.length} | ${ms(median(same))} | ${ms(pct(same, 0.95))} | ${ms(diag)} |`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
  if (rows.length > 1) {
    const a = rows[rows.length - 2];
    const b = rows[rows.length - 1];
    const f = b.size / a.size;
    const x = (p, q) => `×${(p / q).toFixed(1)}`;
    console.log(
      `\ngrowth from ${a.size} to ${b.size} rules (×${f}; linear = ×${f}): load ${x(b.load, a.load)}; same 20 answers: step median ${x(b.sameMedian, a.sameMedian)}, p95 ${x(b.sameP95, a.sameP95)}; ` +
        `diagnose ${x(b.diag, a.diag)}; the walk (it ends at a different step on each KB): step median ${x(b.median, a.median)}, whole walk ${x(b.walk, a.walk)}`,
    );
  }
  // Linear growth, read two ways: the time per 1,000 rules stays flat, and the slope of log(time) against
  // log(rules) is 1 (2 would be quadratic). The slope is fitted from 10,000 rules up: below, fixed costs
  // (300 facts, the walk's bookkeeping) outweigh the rules, as the time per 1,000 rules at 1,000 shows.
  const big = rows.filter((r) => r.size >= 1000);
  const fitted = rows.filter((r) => r.size >= 10000);
  if (big.length > 1 && fitted.length > 1) {
    const slope = (key) => {
      const xs = fitted.map((r) => Math.log(r.size));
      const ys = fitted.map((r) => Math.log(r[key]));
      const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
      const my = ys.reduce((a, b) => a + b, 0) / ys.length;
      let num = 0;
      let den = 0;
      xs.forEach((x, i) => {
        num += (x - mx) * (ys[i] - my);
        den += (x - mx) ** 2;
      });
      return (num / den).toFixed(2);
    };
    const per = (key) => big.map((r) => `${(r[key] / (r.size / 1000)).toFixed(3)}`).join(' / ');
    console.log(
      `per 1,000 rules at ${big.map((r) => r.size.toLocaleString('en')).join(' / ')} rules: same 20 answers step median ${per('sameMedian')} ms; load ${per('load')} ms`,
    );
    console.log(
      `rules a step looks at (same 20 answers, median of steps 2-20; the answered fact's and the ranked questions'): ${big.map((r) => r.work.toLocaleString('en')).join(' / ')}; ` +
        `time per 1,000 rules looked at: ${big.map((r) => ((r.sameMedian / r.work) * 1000).toFixed(2)).join(' / ')} ms`,
    );
    console.log(
      `log-log slope over ${fitted.map((r) => r.size.toLocaleString('en')).join(', ')} rules (1 = linear, 2 = quadratic): same 20 answers step median ${slope('sameMedian')}, p95 ${slope('sameP95')}; load ${slope('load')}; diagnose ${slope('diag')}`,
    );
  }
  console.log('targets: 10,000 rules load ≤ 1 s and step ≤ 50 ms; 50,000 rules step ≤ 250 ms');
  void nodeMs;
}

function evidence() {
  console.log('\n## 3. Evidence scanning\n');
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/bench-evidence.mjs'), values['log-mb']], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) console.log('evidence benchmark failed');
}

console.log(`# backup-triage benchmark — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
const nodeMs = await startup();
await scale(nodeMs);
if (!values['skip-evidence']) evidence();
