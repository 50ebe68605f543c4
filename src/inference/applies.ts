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
