/**
 * Combiners join observations across the files (and hosts, and times) of one case, as insights-core's
 * combiners join parsers: each declares the observations it needs and the ones it emits, and runs only when
 * every needed key was observed somewhere.
 */
import type { ObservationDecl } from '../../kb/types.js';
import type { Observation } from '../parsers/types.js';

/** An observation with the file it came from. */
export interface Located extends Observation {
  file: string;
}

export interface CombineInput {
  /** Every observation with this key (or under this "prefix.*" family), in file order. */
  all(key: string): Located[];
}

export interface CombinedObservation extends Observation {
  /** The file the combined observation is reported under (where its main input came from). */
  file: string;
}

export interface CombinerDef {
  id: string;
  /** Observation keys (or "prefix.*" families) that must all be present for the combiner to run. */
  needs: string[];
  emits: Record<string, ObservationDecl>;
  /** Cases that must give exactly these observations: run as a test for every combiner. */
  samples: { name: string; input: Located[]; yields: Record<string, Observation['value']> }[];
  combine(input: CombineInput, withhold: (about: string, why: string) => void): CombinedObservation[];
}
