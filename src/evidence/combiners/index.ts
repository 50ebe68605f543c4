/** The combiners, and running them over one case's findings. Add a module here to join a new pair of observations. */
import type { Observation } from '../parsers/types.js';
import { declarationOf, keyMatches } from '../parsers/types.js';
import { backupVsIperf } from './backup-vs-iperf.js';
import { captureBothEnds } from './capture-both-ends.js';
import { ephemeralUsage } from './ephemeral-usage.js';
import { failingPortListener } from './failing-port-listener.js';
import { iperfLinkShare } from './iperf-link-share.js';
import { routeSymmetry } from './route-symmetry.js';
import { tcpMemory } from './tcp-memory.js';
import { transferVsJob } from './transfer-vs-job.js';
import type { CombineInput, CombinerDef, Located } from './types.js';

export const COMBINERS: readonly CombinerDef[] = [ephemeralUsage, routeSymmetry, tcpMemory, backupVsIperf, transferVsJob, iperfLinkShare, failingPortListener, captureBothEnds];

interface FindingLike {
  file: string;
  observations: Observation[];
  withheld: { reader: string; about: string; why: string; line?: number }[];
}

/** An input over located observations (public observations and readers' structured payloads). */
export function combineInput(located: readonly Located[]): CombineInput {
  return { all: (key) => located.filter((o) => keyMatches(key, o.key)) };
}

/** Runs every combiner whose needs are met; its observations join the finding of the file they name. */
export function runCombiners<F extends FindingLike>(findings: readonly F[], internals: ReadonlyMap<F, Observation[]>, warn: (m: string) => void): void {
  const located: Located[] = [];
  for (const f of findings) {
    for (const o of f.observations) located.push({ ...o, file: f.file });
    for (const o of internals.get(f) ?? []) located.push({ ...o, file: f.file });
  }
  const input = combineInput(located);
  for (const c of COMBINERS) {
    if (!c.needs.every((k) => input.all(k).length > 0)) continue;
    const withhold = (about: string, why: string) => findings[0]?.withheld.push({ reader: `combiner ${c.id}`, about, why });
    for (const o of c.combine(input, withhold)) {
      if (!declarationOf(c.emits, o.key)) {
        warn(`combiner ${c.id} emitted "${o.key}", which it does not declare; ignored`);
        continue;
      }
      const target = findings.find((f) => f.file === o.file) ?? findings[0];
      const { file: _file, ...obs } = o;
      void _file;
      target.observations.push(obs);
    }
  }
}
