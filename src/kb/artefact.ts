/**
 * The shipped KB's build artefact (dist/kb.json) and where knowledge files live. Deliberately free of the
 * YAML and schema machinery, so the common path — a fresh artefact, no site rules — loads nothing else.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompiledKb, FactDef } from './types.js';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTEFACT = join(PACKAGE_ROOT, 'dist', 'kb.json');
export const SHIPPED_DIRS = ['kb', 'rules'];
/** The walk's opening question for the artefact, worked out at build time (scripts/bundle.mjs). */
export const WALK_START = join(PACKAGE_ROOT, 'dist', 'bundle', 'walk-start.json');

const YAML_FILE = /\.ya?ml$/i;
/** Knowledge files larger than this are refused: nobody writes 5 MB of rules by hand. */
export const MAX_KB_FILE_BYTES = 5 * 1024 * 1024;

export function listYamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && YAML_FILE.test(entry.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** `--no-shipped` (or BACKUP_TRIAGE_SHIPPED=0): work with the site directories alone. */
export function shippedEnabled(): boolean {
  return process.env.BACKUP_TRIAGE_SHIPPED !== '0';
}

/** Site rule directories from --rules flags and the BACKUP_TRIAGE_RULES variable (path-list separated). */
export function siteRuleDirs(flags: readonly string[] = [], env = process.env.BACKUP_TRIAGE_RULES): string[] {
  const fromEnv = (env ?? '').split(process.platform === 'win32' ? ';' : ':').filter(Boolean);
  return [...fromEnv, ...flags];
}

export function artefactIsFresh(): boolean {
  if (!shippedEnabled() || !existsSync(ARTEFACT)) return false;
  const built = statSync(ARTEFACT).mtimeMs;
  for (const d of SHIPPED_DIRS) {
    const dir = join(PACKAGE_ROOT, d);
    if (!existsSync(dir)) continue;
    if (newerYamlIn(dir, built)) return false;
  }
  return true;
}

/**
 * Whether any knowledge file under `dir` (the files listYamlFiles finds) is newer than `time`. Runs on every
 * start, so it walks without sorting: listYamlFiles' localeCompare sort costs ~8 ms (ICU collator set-up)
 * and order does not matter here.
 */
function newerYamlIn(dir: string, time: number): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (newerYamlIn(p, time)) return true;
    } else if (entry.isFile() && YAML_FILE.test(entry.name) && statSync(p).mtimeMs > time) {
      return true;
    }
  }
  return false;
}

/** The shipped KB from the artefact, or undefined when it is missing or older than the YAML. */
export function readArtefact(): CompiledKb | undefined {
  return artefactIsFresh() ? (JSON.parse(readFileSync(ARTEFACT, 'utf8')) as CompiledKb) : undefined;
}

/** What a plain `start` opens with, for the artefact of this build (size and mtime tie the two together). */
export interface WalkStart {
  artefact: { size: number; mtimeMs: number };
  causes: number;
  rules: number;
  /** The first question: the fact, as in the artefact, and whether it comes from the opening menu. */
  fact: FactDef;
  opening: boolean;
}

/** The build's walk-start record, if present and made from the current, fresh artefact. */
export function readWalkStart(): WalkStart | undefined {
  try {
    if (!existsSync(WALK_START) || !artefactIsFresh()) return undefined;
    const hint = JSON.parse(readFileSync(WALK_START, 'utf8')) as WalkStart;
    const st = statSync(ARTEFACT);
    if (hint.artefact?.size !== st.size || hint.artefact?.mtimeMs !== st.mtimeMs || !hint.fact?.id) return undefined;
    return hint;
  } catch {
    return undefined; // only an optimisation: without it the walk computes the first question itself
  }
}
