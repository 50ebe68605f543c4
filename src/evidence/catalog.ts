/** Every observation key the readers and combiners declare: what the evidence map is checked against. */
import type { ObservationDecl } from '../kb/types.js';
import { COMBINERS } from './combiners/index.js';
import { PARSERS } from './parsers/index.js';

export function declaredObservations(): Map<string, ObservationDecl> {
  const out = new Map<string, ObservationDecl>();
  for (const d of [...PARSERS, ...COMBINERS]) for (const [key, decl] of Object.entries(d.emits)) if (!out.has(key)) out.set(key, decl);
  return out;
}
