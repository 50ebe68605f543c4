/** Gathering facts for a run from answers files, --fact flags and evidence, with conflicts kept visible. */
import type { FactRecord, FactState } from '../inference/facts.js';
import { formatValue, describeSource } from '../inference/facts.js';
import type { Knowledge } from '../inference/knowledge.js';

export interface Conflict {
  fact: string;
  kept: FactRecord;
  dropped: FactRecord;
  message: string;
}

export interface GatheredFacts {
  state: Map<string, FactRecord>;
  conflicts: Conflict[];
  warnings: string[];
}

export interface FactInputs {
  answers?: string[];
  facts?: string[];
  evidence?: string[];
  redact?: boolean;
}

/** Merge `incoming` into `state`; a disagreement keeps the stronger source and records a conflict. */
export function mergeFacts(k: Knowledge, state: Map<string, FactRecord>, incoming: FactState, conflicts: Conflict[]): void {
  for (const [id, rec] of incoming) {
    const prev = state.get(id);
    if (prev && prev.value !== null && rec.value !== null && prev.value !== rec.value) {
      // People's explicit answers win over evidence, but the disagreement is reported, never hidden.
      const keepPrev = prev.source.origin !== 'evidence' && rec.source.origin === 'evidence';
      const kept = keepPrev ? prev : rec;
      const dropped = keepPrev ? rec : prev;
      const f = k.facts.get(id);
      conflicts.push({
        fact: id,
        kept,
        dropped,
        message: `conflict on ${id}: ${describeSource(kept.source)} says ${formatValue(f, kept.value)}, ${describeSource(dropped.source)} says ${formatValue(f, dropped.value)}; using ${formatValue(f, kept.value)}`,
      });
      state.set(id, kept);
    } else if (!prev || prev.value === null) {
      state.set(id, rec);
    }
  }
}

export async function gatherFacts(k: Knowledge, inputs: FactInputs): Promise<GatheredFacts> {
  const state = new Map<string, FactRecord>();
  const conflicts: Conflict[] = [];
  const warnings: string[] = [];
  if (inputs.evidence?.length) {
    const { readEvidenceFiles } = await import('../evidence/read.js');
    const ev = await readEvidenceFiles(k, inputs.evidence, { redact: inputs.redact !== false });
    warnings.push(...ev.warnings);
    mergeFacts(k, state, ev.facts, conflicts);
  }
  if (inputs.answers?.length || inputs.facts?.length) {
    // The YAML reader is loaded only when there is something to read.
    const { readAnswersFile, parseFactFlag } = await import('../kb/answers.js');
    for (const file of inputs.answers ?? []) mergeFacts(k, state, readAnswersFile(k, file), conflicts);
    mergeFacts(k, state, new Map((inputs.facts ?? []).map((f) => parseFactFlag(k, f))), conflicts);
  }
  return { state, conflicts, warnings };
}
