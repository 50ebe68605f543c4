/** Loading the knowledge a command works on: shipped KB plus site rule directories. */
import { indexKnowledge, type Knowledge } from '../inference/knowledge.js';
import { readArtefact, siteRuleDirs } from '../kb/artefact.js';

/**
 * The knowledge for a command. The common case (fresh build artefact, no site rules) is a JSON.parse;
 * the YAML compiler is imported only when site rules or a stale artefact need it.
 */
export async function loadKnowledge(ruleFlags: readonly string[] | undefined): Promise<Knowledge> {
  const siteDirs = siteRuleDirs(ruleFlags ?? []);
  const kb = siteDirs.length ? undefined : readArtefact();
  if (kb) return indexKnowledge(kb);
  const [{ loadKb }, { declaredObservations }] = await Promise.all([import('../kb/load.js'), import('../evidence/catalog.js')]);
  return indexKnowledge(loadKb({ siteDirs, observations: declaredObservations() }));
}
