/**
 * Three-valued (Kleene) evaluation of rule conditions over partial knowledge: a leaf over a fact nobody
 * knows is `undefined` — never true, never false — and `all`/`any`/`not` propagate that honestly.
 */
import type { Condition, FactValue, LeafCondition } from '../kb/types.js';
import { OPERATORS } from './operators.js';

/** true = holds, false = fails, undefined = cannot tell yet. */
export type Truth = boolean | undefined;

export type KnownFacts = ReadonlyMap<string, FactValue>;

export function isLeaf(c: Condition): c is LeafCondition {
  return (c as LeafCondition).fact !== undefined;
}

export function evaluateLeaf(leaf: LeafCondition, facts: KnownFacts): Truth {
  const value = facts.get(leaf.fact);
  if (value === undefined) return undefined;
  return OPERATORS[leaf.op](value, leaf.value);
}

export function evaluateCondition(c: Condition, facts: KnownFacts): Truth {
  if (isLeaf(c)) return evaluateLeaf(c, facts);
  if ('all' in c) {
    let open = false;
    for (const sub of c.all) {
      const t = evaluateCondition(sub, facts);
      if (t === false) return false;
      if (t === undefined) open = true;
    }
    return open ? undefined : true;
  }
  if ('any' in c) {
    let open = false;
    for (const sub of c.any) {
      const t = evaluateCondition(sub, facts);
      if (t === true) return true;
      if (t === undefined) open = true;
    }
    return open ? undefined : false;
  }
  const t = evaluateCondition(c.not, facts);
  return t === undefined ? undefined : !t;
}

/** Every leaf of a condition tree, with its polarity (true when under an even number of `not`s). */
export function leaves(c: Condition, positive = true, out: { leaf: LeafCondition; positive: boolean }[] = []) {
  if (isLeaf(c)) out.push({ leaf: c, positive });
  else if ('all' in c) c.all.forEach((s) => leaves(s, positive, out));
  else if ('any' in c) c.any.forEach((s) => leaves(s, positive, out));
  else leaves(c.not, !positive, out);
  return out;
}

export function factsOf(c: Condition): string[] {
  return [...new Set(leaves(c).map((l) => l.leaf.fact))];
}
