/** Known facts with where each came from, and parsing of values typed by people. */
import type { FactDef, FactValue } from '../kb/types.js';

export type FactOrigin = 'answer' | 'answers-file' | 'flag' | 'evidence' | 'session';

export interface Provenance {
  origin: FactOrigin;
  /** File the value came from (answers file, evidence file). */
  file?: string;
  line?: number;
  /** The evidence line itself. */
  text?: string;
}

/** `value: null` records an explicit "not sure": known to be unknown, so it is not asked again. */
export interface FactRecord {
  value: FactValue | null;
  source: Provenance;
}

export type FactState = ReadonlyMap<string, FactRecord>;

export const NOT_SURE_WORDS = new Set(['unknown', 'not sure', 'not-sure', 'notsure', '?', 'dunno', 'skip']);

export class ValueError extends Error {}

/**
 * Input text for a message: in double quotes with control characters escaped (a stray \r or an escape
 * sequence must not break the one-line message or reach the terminal) and clipped to a readable length.
 */
export function quoted(text: unknown, max = 120): string {
  const s = String(text);
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Read a value for a fact from text or YAML scalar; throws ValueError with a message naming the fact. */
export function coerceFactValue(fact: FactDef, raw: unknown): FactValue | null {
  if (raw === null || raw === undefined) return null;
  // One value per fact: lists, mappings and other objects (whose String() may even throw) are refused.
  if (typeof raw === 'object' || typeof raw === 'function' || typeof raw === 'symbol') {
    throw new ValueError(`fact "${fact.id}" takes a single value; got ${Array.isArray(raw) ? 'a list' : typeof raw === 'object' ? 'a mapping' : `a ${typeof raw}`}`);
  }
  if (typeof raw === 'string' && NOT_SURE_WORDS.has(raw.trim().toLowerCase())) return null;
  switch (fact.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).trim().toLowerCase();
      if (['yes', 'y', 'true', '1', 'on'].includes(s)) return true;
      if (['no', 'n', 'false', '0', 'off'].includes(s)) return false;
      throw new ValueError(`fact "${fact.id}" is yes/no; got ${quoted(raw)} (use yes, no or unknown)`);
    }
    case 'enum': {
      const s = String(raw).trim();
      const choice = fact.choices?.find((c) => c.value === s || c.value === s.toLowerCase());
      if (!choice) {
        const list = (fact.choices ?? []).map((c) => c.value).join(', ');
        throw new ValueError(`fact "${fact.id}" has no choice ${quoted(s)} (choose one of: ${list}, unknown)`);
      }
      return choice.value;
    }
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim().replace(/,/g, ''));
      if (typeof raw === 'boolean' || !Number.isFinite(n) || String(raw).trim() === '') {
        throw new ValueError(`fact "${fact.id}" is a number in ${fact.unit}; got ${quoted(raw)}`);
      }
      if (fact.min !== undefined && n < fact.min) throw new ValueError(`fact "${fact.id}" must be ≥ ${fact.min} ${fact.unit}; got ${n}`);
      if (fact.max !== undefined && n > fact.max) throw new ValueError(`fact "${fact.id}" must be ≤ ${fact.max} ${fact.unit}; got ${n}`);
      return n;
    }
  }
}

/** The known values only (explicit "not sure" and absent facts both stay unknown). */
export function knownValues(state: FactState): Map<string, FactValue> {
  const out = new Map<string, FactValue>();
  for (const [id, rec] of state) if (rec.value !== null) out.set(id, rec.value);
  return out;
}

export function formatValue(fact: FactDef | undefined, value: FactValue | null): string {
  if (value === null) return 'not sure';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (fact?.type === 'enum') return fact.choices?.find((c) => c.value === value)?.label ?? String(value);
  if (fact?.type === 'number' && fact.unit) return `${value} ${fact.unit}`;
  return String(value);
}

export function describeSource(p: Provenance): string {
  switch (p.origin) {
    case 'evidence':
      return p.file ? `${p.file}${p.line ? `:${p.line}` : ''}` : 'evidence';
    case 'answers-file':
      return p.file ? `answers file ${p.file}` : 'answers file';
    case 'flag':
      return '--fact';
    case 'session':
      return 'session';
    default:
      return 'your answer';
  }
}
