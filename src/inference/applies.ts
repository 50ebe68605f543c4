/**
 * Whether a fact makes sense given what is known: not when a fact its applies_when names has a known
 * answer outside the list (a NetBackup setting once the product is known to be another).
 */
import type { FactDef } from '../kb/types.js';
import type { KnownFacts } from './conditions.js';

export function applies(fact: FactDef, known: KnownFacts): boolean {
  for (const [f, values] of Object.entries(fact.applies_when ?? {})) {
    const v = known.get(f);
    if (v !== undefined && !values.includes(v)) return false;
  }
  return true;
}

/** The fact's applies_when in words, one entry per fact it names: "product netbackup or avamar_datadomain". */
export function appliesWhenText(fact: FactDef): string[] {
  return Object.entries(fact.applies_when ?? {}).map(([f, values]) => `${f} ${values.map(String).join(' or ')}`);
}
