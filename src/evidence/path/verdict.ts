/**
 * A conclusion one group of like-with-like samples (one target, one source, one method) reaches, or why it
 * reaches none; and the rule that joins the groups of a file into at most one observation per key.
 */
import type { Observation, ReaderContext } from '../parsers/types.js';

export type Verdict = { value: Observation['value']; line: number; text: string; host?: string } | { why: string; line?: number } | undefined;

/**
 * One observation from the verdicts of every group: emitted when they agree (numbers within a factor
 * `spread`), withheld when they disagree or when none could conclude.
 */
export function emitOnce(out: Observation[], ctx: ReaderContext, key: string, verdicts: readonly Verdict[], spread = 1): void {
  const got = verdicts.filter((v): v is Extract<Verdict, { value: unknown }> => !!v && 'value' in v);
  const whys = verdicts.filter((v): v is Extract<Verdict, { why: string }> => !!v && 'why' in v);
  if (!got.length) {
    for (const w of whys.slice(0, 3)) ctx.withhold(key, w.why, w.line);
    return;
  }
  const first = got[0];
  const close = (a: number, b: number) => Math.max(a, b) <= Math.min(a, b) * spread + 1e-9;
  const agree = got.every((v) => (typeof v.value === 'number' && typeof first.value === 'number' ? close(v.value, first.value) : v.value === first.value));
  if (!agree) {
    ctx.withhold(key, `samples of different targets or sources disagree (${got.map((v) => String(v.value)).join(' vs ')}): not concluded`, first.line);
    return;
  }
  out.push({ key, value: first.value, line: first.line, text: first.text, host: first.host });
}
