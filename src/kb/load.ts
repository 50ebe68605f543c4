/**
 * Finding and reading knowledge files (the I/O edge of the KB). The shipped KB is compiled at build time
 * to dist/kb.json; at run time that artefact is loaded with JSON.parse unless the YAML beside it is newer
 * (a development checkout) or site directories are added, in which case the YAML is compiled on the spot.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { listYamlFiles, MAX_KB_FILE_BYTES, PACKAGE_ROOT, readArtefact, shippedEnabled, SHIPPED_DIRS } from './artefact.js';
import { compileKb, hashText, type CompileOptions, type CompileResult, type KbSourceFile } from './compile.js';
import type { CompiledKb } from './types.js';

export { ARTEFACT, listYamlFiles, PACKAGE_ROOT, SHIPPED_DIRS, shippedEnabled, siteRuleDirs } from './artefact.js';
import { UserError } from '../errors.js';

/** Read knowledge files; `display` decides how paths appear in messages. */
export function readKbFiles(paths: string[], display: (p: string) => string): KbSourceFile[] {
  return paths.map((p) => {
    const size = statSync(p).size;
    if (size > MAX_KB_FILE_BYTES) {
      throw new UserError(`${display(p)}: knowledge file is ${size} bytes, over the ${MAX_KB_FILE_BYTES}-byte limit; split it`);
    }
    const buf = readFileSync(p);
    let text = buf.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { file: display(p), text };
  });
}

export function shippedFiles(): KbSourceFile[] {
  if (!shippedEnabled()) return [];
  const paths = SHIPPED_DIRS.map((d) => join(PACKAGE_ROOT, d)).filter(existsSync).flatMap(listYamlFiles);
  return readKbFiles(paths, (p) => relative(PACKAGE_ROOT, p));
}

/** Files of extra rule directories (or single files) given by a site. */
export function siteFiles(paths: readonly string[]): KbSourceFile[] {
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new UserError(`rules path not found: ${p} (give a directory of .yaml files)`);
    files.push(...(statSync(abs).isDirectory() ? listYamlFiles(abs) : [abs]));
  }
  return readKbFiles(files, (f) => relative(process.cwd(), f) || f);
}

export interface LoadOptions {
  siteDirs?: readonly string[];
  /** Compile from YAML even when a fresh artefact exists (validate does this). */
  fromSource?: boolean;
  /** What the evidence readers declare, to check the evidence map against (see compileKb). */
  observations?: CompileOptions['observations'];
}

export function compileSources(options: LoadOptions = {}): CompileResult {
  return compileKb([...shippedFiles(), ...siteFiles(options.siteDirs ?? [])], { observations: options.observations });
}

/** Compiled site KBs are cached by content hash, so YAML is parsed once per change, not once per run. */
export function cacheDir(): string {
  return process.env.BACKUP_TRIAGE_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'backup-triage');
}

function compileCached(files: KbSourceFile[], options: CompileOptions): CompileResult {
  const key = hashText(files.map((f) => `${f.file}\u0000${hashText(f.text)}`).join('\n') + ARTEFACT_FORMAT);
  const path = join(cacheDir(), `kb-${key}.json`);
  try {
    if (existsSync(path)) return { kb: JSON.parse(readFileSync(path, 'utf8')) as CompiledKb, diagnostics: [] };
  } catch {
    // A damaged cache entry is simply rebuilt.
  }
  const result = compileKb(files, options);
  if (result.kb && !result.diagnostics.some((d) => d.severity === 'error')) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(result.kb));
      renameSync(tmp, path);
    } catch {
      // The cache is an optimisation; an unwritable cache directory must not fail the command.
    }
  }
  return result;
}

/** Bumped when the compiled shape changes, so old cache entries are not reused. */
const ARTEFACT_FORMAT = 'v3';

/** The KB for a command; throws UserError listing the first errors when it does not compile. */
export function loadKb(options: LoadOptions = {}): CompiledKb {
  if (!options.fromSource && !options.siteDirs?.length) {
    const kb = readArtefact();
    if (kb) return kb;
  }
  const result = options.siteDirs?.length && !options.fromSource
    ? compileCached([...shippedFiles(), ...siteFiles(options.siteDirs)], { observations: options.observations })
    : compileSources(options);
  if (!result.kb) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    throw new UserError(
      `the knowledge base has ${errors.length} error(s), first: ${first.file}:${first.line}:${first.col}: ${first.message} — run "backup-triage validate" to see all`,
    );
  }
  return result.kb;
}
