/**
 * Session files: JSON with a version field, written atomically (temp file + fsync + rename) after every
 * answer, so a crash or Ctrl-C never leaves half a file. A file that cannot be read back is reported in
 * one line and left untouched; only an explicit --fresh moves it aside.
 *
 * One process at a time: touching a session file (load, save, move aside) first takes FILE.lock, created
 * with O_EXCL and holding the pid; it is removed when the process exits. A lock left by a process that
 * no longer runs is taken over (one process at a time, under FILE.lock.takeover); a live one is a
 * one-line UserError.
 *
 * A process killed mid-write (SIGKILL) leaves its temp file `.FILE.PID.STAMP.tmp` beside the session.
 * Load and save remove those whose PID is no longer running; temp files of live processes (including
 * this one) and any other file are never touched.
 */
import { closeSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, unlinkSync, writeSync, existsSync, lstatSync, statSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { UserError } from '../errors.js';
import { SESSION_VERSION, type Session, type SessionEntry, type SessionFact } from './state.js';

/** Session files larger than this are not sessions. */
export const MAX_SESSION_BYTES = 4 * 1024 * 1024;

export class SessionFileError extends UserError {}

/** Another live process holds the session's lock file. */
export class SessionLockedError extends UserError {}

export const lockPathOf = (path: string): string => `${path}.lock`;

/** Lock files this process holds (absolute paths). */
const held = new Set<string>();
let exitHooked = false;

function readLockPid(lock: string): number | undefined {
  try {
    const n = Number.parseInt(readFileSync(lock, 'utf8').trim(), 10);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', releaseAllSessionLocks);
  // A plain kill (SIGTERM/SIGHUP) would skip 'exit': drop the locks, then die of the same signal as before.
  for (const sig of ['SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      releaseAllSessionLocks();
      if (process.listenerCount(sig) === 1) {
        process.off(sig, onSignal);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, onSignal);
  }
}

/** An empty or unreadable lock younger than this may be one its creator is writing this instant. */
const FRESH_LOCK_MS = 1000;
/** A takeover mutex older than this was left by a process that died holding it. */
const STALE_MUTEX_MS = 5000;
/** How long to keep trying while other processes contend for the lock. */
const LOCK_PATIENCE_MS = 3000;

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Take FILE.lock for this process (idempotent). A lock whose pid is not running, or that holds no pid
 * and is older than FRESH_LOCK_MS (a crash between create and write), is taken over; a live one throws
 * SessionLockedError.
 *
 * Taking over is done under a second lock, FILE.lock.takeover (O_EXCL too), and the stale lock is judged
 * again under it before it is removed: without that, two processes that both judged the same lock stale
 * could each remove it — the second removing the lock the first had just created — and both go on.
 * Creating a lock where there is none needs no mutex: O_EXCL settles that race.
 */
export function lockSession(path: string): void {
  const lock = resolve(lockPathOf(path));
  if (held.has(lock)) return;
  const deadline = Date.now() + LOCK_PATIENCE_MS;
  while (Date.now() < deadline) {
    let fd: number;
    try {
      fd = openSync(lock, 'wx', 0o600);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new SessionFileError(`cannot use session file ${path}: its directory does not exist`);
      if (code !== 'EEXIST') throw new SessionFileError(`cannot lock session file ${path} (${lock}): ${code ?? (e as Error).message}`);
      const verdict = judgeLock(lock);
      if (verdict.kind === 'ours') {
        held.add(lock);
        hookExit();
        return;
      }
      if (verdict.kind === 'live') throw new SessionLockedError(`session ${path} is in use by process ${verdict.pid}`);
      if (verdict.kind === 'stale') takeOver(lock);
      else pause(20); // being created or taken over right now: look again shortly
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    held.add(lock);
    hookExit();
    return;
  }
  const pid = readLockPid(lock);
  throw new SessionLockedError(`session ${path} is in use${pid ? ` by process ${pid}` : ''} (could not take its lock ${lock})`);
}

type LockVerdict = { kind: 'ours' } | { kind: 'live'; pid: number } | { kind: 'stale'; pid?: number } | { kind: 'busy' };

/** What an existing lock file means: ours, a live holder's, stale, or too fresh to tell (busy). */
function judgeLock(lock: string): LockVerdict {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(lock).mtimeMs;
  } catch {
    return { kind: 'busy' }; // removed meanwhile
  }
  const pid = readLockPid(lock);
  if (pid === process.pid) return { kind: 'ours' };
  if (pid !== undefined) return isAlive(pid) ? { kind: 'live', pid } : { kind: 'stale', pid };
  return Date.now() - mtimeMs > FRESH_LOCK_MS ? { kind: 'stale' } : { kind: 'busy' };
}

/** Remove a stale lock, under FILE.lock.takeover, after judging it again there. */
function takeOver(lock: string): void {
  const mutex = `${lock}.takeover`;
  let fd: number;
  try {
    fd = openSync(mutex, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return;
    // Another process is taking over; a mutex left by one that died there is cleared after a while.
    try {
      if (Date.now() - statSync(mutex).mtimeMs > STALE_MUTEX_MS) unlinkSync(mutex);
    } catch {
      /* gone already */
    }
    pause(20);
    return;
  }
  try {
    closeSync(fd);
    if (judgeLock(lock).kind === 'stale') {
      try {
        unlinkSync(lock);
      } catch {
        /* gone already */
      }
    }
  } finally {
    try {
      unlinkSync(mutex);
    } catch {
      /* nothing to do */
    }
  }
}

/** Remove this process's lock on a session file (only if it is still ours). */
export function unlockSession(path: string): void {
  const lock = resolve(lockPathOf(path));
  if (!held.delete(lock)) return;
  try {
    if (readLockPid(lock) === process.pid) unlinkSync(lock);
  } catch {
    /* gone already */
  }
}

export function releaseAllSessionLocks(): void {
  for (const lock of [...held]) {
    held.delete(lock);
    try {
      if (readLockPid(lock) === process.pid) unlinkSync(lock);
    } catch {
      /* gone already */
    }
  }
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Remove `.FILE.PID.STAMP.tmp` files beside a session whose PID is not a live process (left by a writer
 * killed between creating its temp file and renaming it). Call with the session's lock held. Best effort:
 * an unreadable directory or a file that vanished meanwhile is ignored. Returns the names removed.
 */
export function removeStaleTempFiles(path: string): string[] {
  const dir = dirname(path);
  const re = new RegExp(`^\\.${escapeRe(basename(path))}\\.(\\d+)\\.[a-z0-9]+\\.tmp$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = re.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    try {
      // Only regular files: never follow into or remove anything else that happens to match the name.
      if (!lstatSync(join(dir, name)).isFile()) continue;
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      /* gone already, or not ours to remove */
    }
  }
  return removed;
}

export function saveSession(path: string, s: Session): void {
  lockSession(path);
  removeStaleTempFiles(path);
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
  lockSession(path);
  removeStaleTempFiles(path);
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
  lockSession(path);
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
