/** Loading the knowledge a command works on: shipped KB plus site rule directories. */
import { indexKnowledge, type Knowledge } from '../inference/knowledge.js';
import { loadKb, siteRuleDirs } from '../kb/load.js';

export function loadKnowledge(ruleFlags: readonly string[] | undefined): Knowledge {
  return indexKnowledge(loadKb({ siteDirs: siteRuleDirs(ruleFlags ?? []) }));
}
