import { describe, expect, it } from 'vitest';
import { decide, OPENING_TOP, ruleOrder, simulate } from '../../src/session/walk-core.js';
import { answer, factStateOf, newSession, undo, addEntry, withBase, reconcile } from '../../src/session/state.js';
import { diagnose } from '../../src/inference/diagnose.js';
import { compileFiles, miniKb, state } from '../helpers.js';
import { indexKnowledge } from '../../src/inference/knowledge.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

const k = miniKb();

describe('walk decisions on the mini KB', () => {
  it('asks first the question that separates the causes', async () => {
    const d = await decide(k, new Map());
    expect(d.next?.fact).toBe('conn_outcome');
    expect(d.next!.separates).toEqual(expect.arrayContaining(['silent-drop', 'not-listening', 'other-cause']));
    // Every answer is valued, for "why".
    expect(d.next!.outcomes.map((o) => o.value).sort()).toEqual(['connects', 'refused', 'timeout']);
  });

  it('follows up with the question that settles the leading cause', async () => {
    expect((await decide(k, state({ conn_outcome: 'timeout' }))).next?.fact).toBe('retry_gap_s');
    expect((await decide(k, state({ conn_outcome: 'refused' }))).next?.fact).toBe('daemon_running');
  });

  it('never asks an irrelevant question, nor an answered one ("not sure" included)', async () => {
    const cases: Record<string, string | number | null>[] = [{}, { conn_outcome: 'timeout' }, { conn_outcome: null }, { conn_outcome: null, daemon_running: null }, { retry_gap_s: 3 }];
    for (const facts of cases) {
      const d = await decide(k, state(facts));
      const asked = d.ranked.map((q) => q.fact);
      expect(asked).not.toContain('irrelevant_colour');
      for (const f of Object.keys(facts)) expect(asked).not.toContain(f);
    }
  });

  it('stops when diagnosed and nothing can overturn it', async () => {
    const s = state({ conn_outcome: 'timeout', retry_gap_s: 10 });
    const d = await decide(k, s);
    expect(d.next).toBeUndefined();
    expect((await diagnose(k, s)).status).toBe('diagnosed');
  });

  it('converges when every answer is "not sure"', async () => {
    const r = await simulate(k, {});
    expect(r.got).toBe('inconclusive');
    expect(r.questions).toBeLessThanOrEqual(3);
    expect(r.asked).not.toContain('irrelevant_colour');
  });

  it('reaches each rule example with fewer questions than the fixed rule order or equal', async () => {
    for (const rule of k.kb.rules.filter((r) => r.effect === 'supports')) {
      for (const ex of rule.concludes) {
        const eig = await simulate(k, ex.facts);
        const fixed = await simulate(k, ex.facts, { strategy: 'fixed' });
        expect(eig.got).toBe(rule.cause);
        expect(fixed.got).toBe(rule.cause);
        expect(eig.questions).toBeLessThanOrEqual(fixed.questions);
      }
    }
    expect(ruleOrder(k)).toEqual(['conn_outcome', 'retry_gap_s', 'daemon_running']);
  });

  it('opening facts come first while they are among the most useful questions, else wait their turn', async () => {
    const text = readFileSync(join(ROOT, 'test/fixtures/mini-kb/kb.yaml'), 'utf8');
    const opening = `facts:
  - id: product
    type: enum
    opening: true
    question: Which product?
    help: The backup product.
    choices: [{ value: nbu, label: NetBackup }, { value: other, label: Other }]
  - id: unused_opening
    type: boolean
    opening: true
    question: Never used by a rule?
    help: Nothing.
rules:
  - id: other-product
    cause: other-cause
    strength: 0.5
    rationale: Other products tend to be something else.
    when: { fact: product, is: other }
    examples:
      concludes:
        - facts: { product: other, conn_outcome: connects }
`;
    const knowledge = (extra: string) => {
      const r = compileFiles({ 'mini.yaml': text, 'opening.yaml': opening + extra });
      if (!r.kb) throw new Error(JSON.stringify(r.diagnostics));
      return indexKnowledge(r.kb);
    };
    // The product tells little here (one weak rule): it ranks below OPENING_TOP and waits its turn.
    const weak = knowledge('');
    const d = await decide(weak, new Map());
    expect(d.ranked.slice(0, OPENING_TOP).map((q) => q.fact)).not.toContain('product');
    expect(d.ranked.map((q) => q.fact)).toContain('product');
    expect(d.next?.fact).toBe('conn_outcome');
    expect(d.opening).toBe(false);
    // A product that separates the causes: asked first, as an opening question.
    const strong = knowledge(`  - id: nbu-drops
    cause: silent-drop
    strength: 0.9
    rationale: On this product the drop is the usual story.
    when: { fact: product, is: nbu }
    examples:
      concludes:
        - facts: { product: nbu }
`);
    const s1 = await decide(strong, new Map());
    expect(s1.ranked.slice(0, OPENING_TOP).map((q) => q.fact)).toContain('product');
    expect(s1.next?.fact).toBe('product');
    expect(s1.opening).toBe(true);
    // An opening fact no rule uses is never asked.
    const s2 = await decide(strong, state({ product: null }));
    expect(s2.ranked.map((q) => q.fact)).not.toContain('unused_opening');
  });
});

describe('session state', () => {
  it('is derived from the ordered answers, so back restores the exact previous state', async () => {
    let s = newSession(state({ daemon_running: false }), new Date(0));
    const states = [factStateOf(s)];
    const decisions = [await decide(k, factStateOf(s))];
    s = answer(s, 'conn_outcome', 'refused', 'What happens?');
    states.push(factStateOf(s));
    decisions.push(await decide(k, factStateOf(s)));
    s = answer(s, 'retry_gap_s', null, 'Gap?');
    const back1 = undo(s)!;
    expect(factStateOf(back1)).toEqual(states[1]);
    expect((await decide(k, factStateOf(back1))).next?.fact).toBe(decisions[1].next?.fact);
    const back2 = undo(back1)!;
    expect(factStateOf(back2)).toEqual(states[0]);
    expect((await decide(k, factStateOf(back2))).next?.fact).toBe(decisions[0].next?.fact);
    expect(back2.entries).toEqual([]);
    expect(undo(back2)).toBeUndefined(); // start facts are not undone
    expect(factStateOf(back2).get('daemon_running')?.value).toBe(false);
  });

  it('evidence fills unknown facts but never overrides an answer', () => {
    let s = answer(newSession(), 'conn_outcome', 'timeout', 'Q');
    s = addEntry(s, {
      kind: 'evidence',
      label: 'pasted text',
      facts: [
        { fact: 'conn_outcome', value: 'refused', source: { origin: 'evidence', file: 'x.log', line: 3 } },
        { fact: 'retry_gap_s', value: 10, source: { origin: 'evidence', file: 'x.log', line: 4 } },
      ],
    });
    const st = factStateOf(s);
    expect(st.get('conn_outcome')?.value).toBe('timeout');
    expect(st.get('retry_gap_s')).toMatchObject({ value: 10, source: { origin: 'evidence', line: 4 } });
    expect(factStateOf(undo(s)!).has('retry_gap_s')).toBe(false);
  });

  it('flags given on resume join the start facts; stale answers are dropped with a warning', () => {
    let s = answer(newSession(state({ conn_outcome: 'timeout' })), 'gone_fact', true, 'Old question?');
    s = answer(s, 'conn_outcome', 'bogus', 'Q');
    s = withBase(s, state({ daemon_running: true }));
    const r = reconcile(k, s);
    expect(r.warnings).toHaveLength(2);
    expect(r.session.entries).toEqual([]);
    expect([...factStateOf(r.session).keys()].sort()).toEqual(['conn_outcome', 'daemon_running']);
  });
});
