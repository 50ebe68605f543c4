/**
 * The walk's state is an ordered list of what the user did (answers, evidence pastes) on top of the
 * facts given at start. Everything else — known facts, the next question, the diagnosis — is derived
 * from that list, so "back" is just dropping the last entry and restores the previous state exactly.
 * Pure: no I/O here (see store.ts).
 */
import type { FactValue } from '../kb/types.js';
import { coerceFactValue, type FactRecord, type FactState, type Provenance } from '../inference/facts.js';
import type { Knowledge } from '../inference/knowledge.js';

export const SESSION_VERSION = 1;

export interface SessionFact {
  fact: string;
  /** null = "not sure". */
  value: FactValue | null;
  source: Provenance;
}

export interface SessionEntry {
  kind: 'answer' | 'evidence';
  /** The question as shown (answers), or what the evidence was (a file name, "pasted text"). */
  label: string;
  facts: SessionFact[];
  at: string;
}

export interface Session {
  version: typeof SESSION_VERSION;
  createdAt: string;
  updatedAt: string;
  /** Facts given at start with --answers, --fact, --evidence: never asked, never undone. */
  base: SessionFact[];
  entries: SessionEntry[];
  /** Set when the walk reached its result. */
  finished?: { status: 'diagnosed' | 'inconclusive'; cause?: string };
}

export function newSession(base: FactState = new Map(), now = new Date()): Session {
  const t = now.toISOString();
  return { version: SESSION_VERSION, createdAt: t, updatedAt: t, base: toFacts(base), entries: [] };
}

export function toFacts(state: FactState): SessionFact[] {
  return [...state].map(([fact, rec]) => ({ fact, value: rec.value, source: { ...rec.source } }));
}

/**
 * Apply one fact. Answers set the fact. Evidence fills facts that are unknown (absent or "not sure")
 * and overrides earlier evidence, but never a person's explicit answer.
 */
function applyFact(state: Map<string, FactRecord>, f: SessionFact, kind: SessionEntry['kind'] | 'base'): void {
  const prev = state.get(f.fact);
  if (kind === 'evidence' && prev && prev.value !== null && prev.source.origin !== 'evidence') return;
  if (kind === 'evidence' && f.value === null && prev) return;
  state.set(f.fact, { value: f.value, source: { ...f.source } });
}

/** The known facts after the start facts and every entry, in order. */
export function factStateOf(s: Session, upTo = s.entries.length): Map<string, FactRecord> {
  const state = new Map<string, FactRecord>();
  for (const f of s.base) applyFact(state, f, 'base');
  for (const e of s.entries.slice(0, upTo)) for (const f of e.facts) applyFact(state, f, e.kind);
  return state;
}

export function addEntry(s: Session, entry: Omit<SessionEntry, 'at'>, now = new Date()): Session {
  const at = now.toISOString();
  return { ...s, updatedAt: at, entries: [...s.entries, { ...entry, at }], finished: undefined };
}

export function answer(s: Session, fact: string, value: FactValue | null, question: string, now = new Date()): Session {
  return addEntry(s, { kind: 'answer', label: question, facts: [{ fact, value, source: { origin: 'answer' } }] }, now);
}

/** Undo the last entry; undefined when there is nothing to undo (start facts are not undone). */
export function undo(s: Session, now = new Date()): Session | undefined {
  if (!s.entries.length) return undefined;
  return { ...s, updatedAt: now.toISOString(), entries: s.entries.slice(0, -1), finished: undefined };
}

/** Merge more start facts (e.g. --fact given again on resume): later flags win over the stored ones. */
export function withBase(s: Session, extra: FactState): Session {
  if (!extra.size) return s;
  const byId = new Map(s.base.map((f) => [f.fact, f]));
  for (const f of toFacts(extra)) {
    const prev = byId.get(f.fact);
    if (f.value === null && prev) continue;
    byId.set(f.fact, f);
  }
  return { ...s, base: [...byId.values()] };
}

/**
 * Check a loaded session against the knowledge it is used with: facts the KB no longer has, or values
 * it no longer accepts, are dropped with a warning rather than silently changing the diagnosis.
 */
export function reconcile(k: Knowledge, s: Session): { session: Session; warnings: string[] } {
  const warnings: string[] = [];
  const keep = (f: SessionFact): boolean => {
    const def = k.facts.get(f.fact);
    if (!def) {
      warnings.push(`the session answer for "${f.fact}" is ignored: the knowledge base has no such fact any more`);
      return false;
    }
    if (f.value === null) return true;
    try {
      coerceFactValue(def, f.value);
      return true;
    } catch (e) {
      warnings.push(`the session answer for "${f.fact}" is ignored: ${(e as Error).message}`);
      return false;
    }
  };
  const base = s.base.filter(keep);
  const entries = s.entries.map((e) => ({ ...e, facts: e.facts.filter(keep) })).filter((e) => e.facts.length);
  return { session: { ...s, base, entries }, warnings };
}

/** Number of questions the user answered in the walk (evidence pastes not counted). */
export function answeredCount(s: Session): number {
  return s.entries.filter((e) => e.kind === 'answer').length;
}

/** How many of the last answers in a row were "not sure" (an evidence paste ends the run). */
export function trailingUnsure(s: Session): number {
  let n = 0;
  for (let i = s.entries.length - 1; i >= 0; i--) {
    const e = s.entries[i];
    if (e.kind !== 'answer' || e.facts.some((f) => f.value !== null)) break;
    n++;
  }
  return n;
}
