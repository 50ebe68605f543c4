/**
 * Session files: JSON with a version field, written atomically (temp file + fsync + rename) after every
 * answer, so a crash or Ctrl-C never leaves half a file. A file that cannot be read back is reported in
 * one line and left untouched; only an explicit --fresh moves it aside.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, existsSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { UserError } from '../errors.js';
import { SESSION_VERSION, type Session, type SessionEntry, type SessionFact } from './state.js';

/** Session files larger than this are not sessions. */
export const MAX_SESSION_BYTES = 4 * 1024 * 1024;

export class SessionFileError extends UserError {}

export function saveSession(path: string, s: Session): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const text = `${JSON.stringify(s, null, 2)}\n`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  // Make the rename itself durable where the platform allows fsync on a directory.
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    /* not supported here (e.g. Windows); the rename is still atomic */
  }
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function checkFact(x: unknown, where: string): SessionFact {
  if (!isObj(x) || typeof x.fact !== 'string' || !isObj(x.source) || typeof x.source.origin !== 'string') {
    throw new Error(`${where} is not a fact record`);
  }
  const v = x.value;
  if (!(v === null || typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
    throw new Error(`${where} has an invalid value`);
  }
  return x as unknown as SessionFact;
}

/** Parse and check a session file's text; throws Error with a short reason. */
export function parseSession(text: string): Session {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(text.trim() ? 'not valid JSON (truncated?)' : 'empty file');
  }
  if (!isObj(data)) throw new Error('not a session object');
  if (data.version !== SESSION_VERSION) {
    throw new Error(
      typeof data.version === 'number' && data.version > SESSION_VERSION
        ? `version ${data.version} was written by a newer backup-triage`
        : `unknown version ${JSON.stringify(data.version ?? null)}`,
    );
  }
  if (!Array.isArray(data.base) || !Array.isArray(data.entries)) throw new Error('missing base or entries');
  data.base.forEach((f, i) => checkFact(f, `base[${i}]`));
  data.entries.forEach((e: unknown, i) => {
    if (!isObj(e) || (e.kind !== 'answer' && e.kind !== 'evidence') || typeof e.label !== 'string' || !Array.isArray(e.facts)) {
      throw new Error(`entries[${i}] is not an entry`);
    }
    e.facts.forEach((f, j) => checkFact(f, `entries[${i}].facts[${j}]`));
  });
  const now = new Date().toISOString();
  return {
    version: SESSION_VERSION,
    createdAt: typeof data.createdAt === 'string' ? data.createdAt : now,
    updatedAt: typeof data.updatedAt === 'string' ? data.updatedAt : now,
    base: data.base as SessionFact[],
    entries: data.entries as SessionEntry[],
    ...(isObj(data.finished) ? { finished: data.finished as Session['finished'] } : {}),
  };
}

/** Read a session; undefined when the file does not exist. Unreadable files throw a one-line error. */
export function loadSession(path: string): Session | undefined {
  let text: string;
  try {
    const buf = readFileSync(path);
    if (buf.length > MAX_SESSION_BYTES) throw new SessionFileError(`session file ${path} is ${buf.length} bytes; that is not a session (start over with --fresh)`);
    text = buf.toString('utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return undefined;
    throw new SessionFileError(`cannot read session file ${path}: ${err.message}`);
  }
  try {
    return parseSession(text);
  } catch (e) {
    throw new SessionFileError(
      `session file ${path} is corrupt or truncated (${(e as Error).message}); it was left as is — add --fresh to start a new walk (the old file is kept as ${path}.bak)`,
    );
  }
}

/** For --fresh: keep the old file beside the new one instead of overwriting it. */
export function moveAside(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const bak = `${path}.bak`;
  renameSync(path, bak);
  return bak;
}

/** Where an interrupted walk is saved when no --session FILE was given. */
export function defaultSessionPath(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return join(tmpdir(), `backup-triage-session-${stamp}-${process.pid}.json`);
}
