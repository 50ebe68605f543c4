/** Shared test helpers: compile YAML snippets, load KBs, run the built CLI. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { compileKb } from '../src/kb/compile.js';
import { indexKnowledge, type Knowledge } from '../src/inference/knowledge.js';
import { listYamlFiles, PACKAGE_ROOT } from '../src/kb/load.js';
import type { FactRecord } from '../src/inference/facts.js';
import type { FactValue } from '../src/kb/types.js';

export const ROOT = PACKAGE_ROOT;

export function compileFiles(files: Record<string, string>) {
  return compileKb(Object.entries(files).map(([file, text]) => ({ file, text })));
}

export function loadDir(dir: string): Knowledge {
  const files = listYamlFiles(join(ROOT, dir)).map((p) => ({ file: p.slice(ROOT.length + 1), text: readFileSync(p, 'utf8') }));
  const result = compileKb(files);
  if (!result.kb) throw new Error(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
  return indexKnowledge(result.kb);
}

export function miniKb(): Knowledge {
  return loadDir('test/fixtures/mini-kb');
}

export function state(facts: Record<string, FactValue | null>): Map<string, FactRecord> {
  return new Map(Object.entries(facts).map(([k, v]) => [k, { value: v, source: { origin: 'answer' as const } }]));
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], options: { input?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/backup-triage.js'), ...args], {
    cwd: ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', BACKUP_TRIAGE_RULES: '', BACKUP_TRIAGE_CACHE: join(tmpdir(), 'backup-triage-test-cache'), ...options.env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
