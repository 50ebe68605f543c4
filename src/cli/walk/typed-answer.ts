/** A typed answer to a number question: a number, "not sure", or a command word. Pure, and light to load. */
import type { FactDef, FactValue } from '../../kb/types.js';
import { coerceFactValue, NOT_SURE_WORDS } from '../../inference/facts.js';

export type TypedAnswer =
  | { kind: 'value'; value: FactValue | null }
  | { kind: 'command'; command: MenuCommand }
  | { kind: 'error'; message: string };

export type MenuCommand = 'help' | 'why' | 'back' | 'rank' | 'evidence' | 'quit';

const COMMAND_WORDS: Record<string, MenuCommand> = {
  help: 'help',
  h: 'help',
  '?': 'help',
  why: 'why',
  w: 'why',
  back: 'back',
  b: 'back',
  undo: 'back',
  rank: 'rank',
  ranking: 'rank',
  r: 'rank',
  evidence: 'evidence',
  e: 'evidence',
  paste: 'evidence',
  quit: 'quit',
  q: 'quit',
  exit: 'quit',
};

export const NUMBER_COMMANDS_HINT = 'help, why, back, rank, evidence, quit';

function example(f: FactDef): number {
  if (f.min !== undefined && f.min > 10) return f.min;
  if (f.max !== undefined && f.max < 10) return f.max;
  return 10;
}

/** Typed answer to a number question: a number (unit optional), "not sure", or a command word. */
export function parseTypedAnswer(f: FactDef, raw: string): TypedAnswer {
  const text = raw.trim();
  const lower = text.toLowerCase();
  const unit = f.unit ? ` in ${f.unit}` : '';
  if (!text) return { kind: 'error', message: `Type a number${unit}, or "not sure" if you do not know (commands: ${NUMBER_COMMANDS_HINT})` };
  if (COMMAND_WORDS[lower]) return { kind: 'command', command: COMMAND_WORDS[lower] };
  if (NOT_SURE_WORDS.has(lower) || lower === 'n/a') return { kind: 'value', value: null };
  let num = text;
  if (f.unit) {
    const u = f.unit.toLowerCase();
    if (lower.endsWith(u)) num = text.slice(0, text.length - u.length).trim();
  }
  if (!/^[-+]?(\d[\d,]*\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(num)) {
    return { kind: 'error', message: `"${text}" is not a number. Type a number${unit} (e.g. ${example(f)}), or "not sure" (commands: ${NUMBER_COMMANDS_HINT})` };
  }
  try {
    return { kind: 'value', value: coerceFactValue(f, num) };
  } catch {
    const n = Number(num.replace(/,/g, ''));
    const u = f.unit ? ` ${f.unit}` : '';
    if (f.min !== undefined && n < f.min) return { kind: 'error', message: `${n} is too small: the answer must be at least ${f.min}${u}` };
    if (f.max !== undefined && n > f.max) return { kind: 'error', message: `${n} is too large: the answer must be at most ${f.max}${u}` };
    return { kind: 'error', message: `"${text}" is not a number${unit}` };
  }
}
