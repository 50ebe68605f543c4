/**
 * Reachability: a fact answered "not sure" stays unknown, so rules that cannot hold without it are out of
 * the walk's play. Checked against enumeration over every shipped rule, and through the walk's decisions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSources } from '../../src/kb/load.js';
import { evaluateCondition } from '../../src/inference/conditions.js';
import { indexKnowledge } from '../../src/inference/knowledge.js';
import { incrementalStatus } from '../../src/inference/incremental.js';
import { reach, reachableStatus } from '../../src/strategy/reach.js';
import { decide } from '../../src/session/walk-core.js';
import type { FactValue } from '../../src/kb/types.js';
import { miniKb, state } from '../helpers.js';

const k = indexKnowledge(compileSources().kb!);
const domain = (f: string) => k.answerSpace.get(f) ?? [];

/** Every way the open facts (not known, not unsure) of a rule can still be answered. */
function completions(facts: string[], known: Map<string, FactValue>, unsure: Set<string>): Map<string, FactValue>[] {
  let out: Map<string, FactValue>[] = [new Map(known)];
  for (const f of facts) {
    if (known.has(f) || unsure.has(f)) continue;
    out = out.flatMap((m) => domain(f).map((a) => new Map(m).set(f, a)));
  }
  return out;
}

describe('reach', () => {
  it('never calls a rule unreachable when some answers to its open facts would conclude it', () => {
    const rules = k.kb.rules.filter((r) => (k.factsByRule.get(r.id) ?? []).length > 0);
    fc.assert(
      fc.property(fc.nat(rules.length - 1), fc.array(fc.nat(2), { minLength: 8, maxLength: 8 }), fc.array(fc.nat(7), { minLength: 8, maxLength: 8 }), (ri, roles, picks) => {
        const rule = rules[ri];
        const facts = k.factsByRule.get(rule.id)!;
        const known = new Map<string, FactValue>();
        const unsure = new Set<string>();
        facts.forEach((f, i) => {
          if (roles[i % roles.length] === 1) known.set(f, domain(f)[picks[i % picks.length] % domain(f).length]);
          else if (roles[i % roles.length] === 2) unsure.add(f);
        });
        const all = completions(facts, known, unsure);
        if (all.length > 4096) return;
        const r = reach(rule.when, known, unsure, domain);
        const canHold = all.some((m) => evaluateCondition(rule.when, m) === true);
        const canFail = all.some((m) => evaluateCondition(rule.when, m) === false);
        // Sound: "cannot" is only said when no completion does it.
        if (!r.canHold) expect(canHold, rule.id).toBe(false);
        if (!r.canFail) expect(canFail, rule.id).toBe(false);
      }),
      { numRuns: 1500, seed: 7 },
    );
  });

  it('leaves statuses alone when nothing is "not sure", and settles only rules on an unsure fact', () => {
    const known = new Map<string, FactValue>([['symptom', 'bind_or_socket_errors']]);
    const status = new Map(incrementalStatus(k, known));
    expect(reachableStatus(k, status, known, new Set())).toBe(status);
    const unsure = new Set(['time_wait_pct']);
    const view = reachableStatus(k, status, known, unsure);
    const changed = [...k.kb.rules].filter((r) => view.get(r.id) !== status.get(r.id));
    expect(changed.length).toBeGreaterThan(0);
    for (const r of changed) {
      expect(k.factsByRule.get(r.id)).toContain('time_wait_pct');
      expect(view.get(r.id)).toBe(false);
    }
  });
});

describe('the walk after "not sure"', () => {
  const mini = miniKb();
  it('asks nothing that could only serve rules the unknown answer has put out of reach', async () => {
    // Every rule of the mini KB needs conn_outcome: once it is "not sure", no answer to retry_gap_s or
    // daemon_running can conclude anything, so the walk is over at once.
    const d = await decide(mini, state({ conn_outcome: null }));
    expect(d.ranked).toEqual([]);
    expect(d.next).toBeUndefined();
    // With it known, the same facts are worth asking.
    expect((await decide(mini, state({ conn_outcome: 'timeout' }))).next?.fact).toBe('retry_gap_s');
  });

  it('still asks the other facts of a rule when "not sure" hits a branch it can do without', () => {
    // reach() on any(a, b) with a unsure: b alone can still make it hold.
    const cond = { any: [{ fact: 'a', op: 'eq', value: true }, { fact: 'b', op: 'eq', value: true }] } as never;
    const dom = () => [true, false];
    // ...but it can never fail: with a unknown, b = false leaves it unknown.
    expect(reach(cond, new Map(), new Set(['a']), dom)).toEqual({ canHold: true, canFail: false });
    expect(reach(cond, new Map(), new Set(['a', 'b']), dom)).toEqual({ canHold: false, canFail: false });
    // b = true settles any(a, b) whatever a is, so not(any(a, b)) is false for good.
    expect(reach({ not: cond } as never, new Map([['b', true]]), new Set(['a']), dom)).toEqual({ canHold: false, canFail: true });
  });
});
