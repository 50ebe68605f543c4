/** The JSON contract scripts branch on (see README, "JSON output"). */
import type { Diagnosis } from '../../inference/diagnose.js';
import type { Conflict } from '../facts-input.js';

export function toJsonObject(d: Diagnosis, conflicts: readonly Conflict[] = []) {
  return {
    status: d.status,
    diagnoses: d.diagnoses.map((x) => ({
      cause: x.cause,
      title: x.title,
      confidence: x.confidence,
      because: x.because.map((b) => ({
        rule: b.rule,
        effect: b.effect,
        strength: b.strength,
        rationale: b.rationale,
        facts: b.facts.map((f) => ({ fact: f.fact, value: f.value, source: f.source })),
        text: b.text,
      })),
      remediation: x.remediation,
      verification: x.verification,
      workarounds: x.workarounds,
    })),
    candidates: d.candidates,
    ruled_out: d.ruledOut.map((r) => ({ cause: r.cause, because: r.because.map((b) => b.text) })),
    questions: d.questions.map((q) => ({
      fact: q.fact,
      prompt: q.prompt,
      type: q.type,
      ...(q.choices ? { choices: q.choices } : {}),
      ...(q.unit ? { unit: q.unit } : {}),
      gain: q.gain,
    })),
    facts: d.facts,
    conflicts: conflicts.map((c) => ({ fact: c.fact, kept: c.kept, dropped: c.dropped, message: c.message })),
    threshold: d.threshold,
  };
}

export function renderJson(d: Diagnosis, conflicts: readonly Conflict[] = []): string {
  return JSON.stringify(toJsonObject(d, conflicts), null, 2);
}
