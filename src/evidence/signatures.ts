/**
 * Message signatures (kb/signatures/*.yaml) compiled for the scanner. A signature with a case-sensitive
 * `literal` is found by substring search over whole blocks, so lines without any literal are never
 * split out or matched; signatures without one (or case-insensitive ones) need every line.
 */
import type { FactValue, SignatureDef } from '../kb/types.js';
import { structuralProblem } from '../kb/pattern-safety.js';
import { linearRegExp } from '../kb/linear-regex.js';

export interface CompiledSignature {
  def: SignatureDef;
  re: RegExp;
  /** Substring searched in blocks; undefined = test every line. */
  literal?: string;
  /** Literal searched case-insensitively (flags: i). */
  literalRe?: RegExp;
}

export interface SignatureSet {
  sigs: CompiledSignature[];
  /** True when some signature has no literal: every line must be tested. */
  needsAllLines: boolean;
}

export function compileSignatures(defs: readonly SignatureDef[], warn: (m: string) => void): SignatureSet {
  const sigs: CompiledSignature[] = [];
  for (const def of defs) {
    const flags = def.flags ?? '';
    // The KB build already rejects unsafe patterns; a site KB compiled on the fly goes through the same
    // checks: the structural ones, then compiling for the linear-time engine (kb/linear-regex.ts), where
    // no line can make a pattern slow.
    let re: RegExp;
    try {
      const problem = structuralProblem(def.pattern, flags);
      if (problem) throw new Error(problem);
      re = linearRegExp(def.pattern, flags);
    } catch (e) {
      warn(`signature "${def.id}" skipped: ${(e as Error).message}`);
      continue;
    }
    const ci = flags.includes('i');
    const lit = def.literal;
    sigs.push({
      def,
      re,
      literal: lit && !ci ? lit : undefined,
      literalRe: lit && ci ? new RegExp(lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi') : undefined,
    });
  }
  return { sigs, needsAllLines: sigs.some((s) => !s.literal && !s.literalRe) };
}

/** Does the signature match this line? (Literal first, then the pattern.) */
export function sigMatches(s: CompiledSignature, line: string): boolean {
  if (s.literal !== undefined && !line.includes(s.literal)) return false;
  if (s.literalRe) {
    s.literalRe.lastIndex = 0;
    if (!s.literalRe.test(line)) return false;
  }
  return s.re.test(line);
}

export interface SignatureHit {
  id: string;
  count: number;
  line: number;
  text: string;
  sets: Record<string, FactValue>;
}
