/**
 * End-to-end: how the bin starts the built CLI. A plain `start` puts the build's first question on screen
 * before the walk's own chunks load and then carries on from it; a rejected code cache or a missing bundle
 * (bin falls back to dist/cli/main.js) only costs time. Requires `npm run build` and util-linux `script`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CTRL_C, haveScript, PtyRun } from './pty.js';
import { ROOT } from '../helpers.js';

const SEED = join(ROOT, 'examples/seed-001-pbx-silently-dropped.yaml');

interface WalkStart {
  artefact: { size: number; mtimeMs: number };
  fact: { id: string; question: string; type: string; choices?: { label: string }[] };
  opening: boolean;
}

/**
 * A copy of the built package with the shipped KB only as dist/kb.json (no kb/, rules/: nothing a colleague
 * edits can make it stale). The build's walk-start record is tied to its artefact by size and mtime; the
 * copy's record is tied to the copy's artefact, with `fact` as the first question when given.
 */
function packageCopy(fact?: WalkStart['fact']): { root: string; first: WalkStart } {
  const root = mkdtempSync(join(tmpdir(), 'bt-bundle-pkg-'));
  cpSync(join(ROOT, 'dist'), join(root, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'bin'), join(root, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  const file = join(root, 'dist/bundle/walk-start.json');
  const first = JSON.parse(readFileSync(file, 'utf8')) as WalkStart;
  const st = statSync(join(root, 'dist/kb.json'));
  first.artefact = { size: st.size, mtimeMs: st.mtimeMs };
  if (fact) Object.assign(first, { fact, opening: false });
  writeFileSync(file, JSON.stringify(first));
  return { root, first };
}

const diagnoseJson = (pkg: string) =>
  spawnSync(process.execPath, [join(pkg, 'bin/backup-triage.js'), 'diagnose', '--answers', SEED, '--format', 'json'], {
    cwd: pkg,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, BACKUP_TRIAGE_RULES: '' },
  });

describe.skipIf(!haveScript || !existsSync(join(ROOT, 'dist/bundle/walk-start.json')))('starting the built CLI', () => {
  const pkgs: string[] = [];
  const runs: PtyRun[] = [];
  let expected: string;

  beforeAll(() => {
    expected = diagnoseJson(ROOT).stdout;
  });
  afterAll(() => {
    for (const r of runs) r.kill();
    for (const p of pkgs) rmSync(p, { recursive: true, force: true });
  });
  const copy = (fact?: WalkStart['fact']) => {
    const c = packageCopy(fact);
    pkgs.push(c.root);
    return c;
  };
  const start = (pkg: string) => {
    const r = new PtyRun(pkg, ['start', '--platform', 'linux'], { cwd: pkg });
    runs.push(r);
    return r;
  };

  it('a plain start opens with the build-time first question and carries on from the answer', async () => {
    const { root, first } = copy();
    const t = start(root);
    await t.waitFor(`? (1) ${first.fact.question.trim()}`);
    await t.choose(first.fact.choices![0].label);
    await t.waitFor('? (2) ');
    t.write(CTRL_C);
    const out = await t.waitFor(/saved in \S+\.json/);
    expect(await t.exited).toBe(130);
    rmSync(out.slice(out.lastIndexOf('saved in ') + 'saved in '.length), { force: true });
  });

  it('withdraws a build-time first question that is not the one the strategy chooses', async () => {
    const { first } = copy();
    const other = (JSON.parse(readFileSync(join(ROOT, 'dist/kb.json'), 'utf8')) as { facts: WalkStart['fact'][] }).facts.find(
      (f) => f.id !== first.fact.id && f.type === 'boolean',
    )!;
    const { root } = copy(other);
    const t = start(root);
    await t.waitFor(`? (1) ${other.question.trim()}`);
    await t.waitFor(`? (1) ${first.fact.question.trim()}`);
    t.write(CTRL_C);
    expect(await t.exited).toBe(130);
  });

  /** diagnose gives the same JSON as the normal build, and the walk shows its first question. */
  const runsAsUsual = async (root: string, first: ReturnType<typeof copy>['first']) => {
    const r = diagnoseJson(root);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(expected);
    const t = start(root);
    await t.waitFor(`? (1) ${first.fact.question.trim()}`);
    t.write(CTRL_C);
    expect(await t.exited).toBe(130);
  };

  it('runs as usual when V8 rejects the code caches', async () => {
    const { root, first } = copy();
    const bundle = join(root, 'dist/bundle');
    const caches = readdirSync(bundle).filter((f) => f.endsWith('.cache'));
    expect(caches.length).toBeGreaterThan(0);
    for (const f of caches) writeFileSync(join(bundle, f), Buffer.alloc(4096, 7));
    await runsAsUsual(root, first);
  });

  it('falls back to dist/cli/main.js when the bundle is missing', async () => {
    const { root, first } = copy();
    rmSync(join(root, 'dist/bundle'), { recursive: true });
    await runsAsUsual(root, first);
  });
});
