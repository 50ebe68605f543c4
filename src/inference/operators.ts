/**
 * The comparison operators rules may use. One implementation, shared by the json-rules-engine evaluator
 * and by the synchronous evaluator the question strategy uses, so the two cannot disagree.
 */
import type { FactType, FactValue, Operator } from '../kb/types.js';

type Compare = (factValue: FactValue, ruleValue: FactValue | FactValue[]) => boolean;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);

export const OPERATORS: Record<Operator, Compare> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  in: (a, b) => Array.isArray(b) && b.includes(a),
  nin: (a, b) => Array.isArray(b) && !b.includes(a),
  lt: (a, b) => num(a) < num(b),
  le: (a, b) => num(a) <= num(b),
  gt: (a, b) => num(a) > num(b),
  ge: (a, b) => num(a) >= num(b),
};

export const OPERATOR_NAMES = Object.keys(OPERATORS) as Operator[];

/** Which operators make sense for which fact type; anything else is a contributor error. */
export const OPERATORS_FOR_TYPE: Record<FactType, readonly Operator[]> = {
  boolean: ['eq', 'ne'],
  enum: ['eq', 'ne', 'in', 'nin'],
  number: ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'nin'],
};

export const OPERATOR_WORDS: Record<Operator, string> = {
  eq: 'is',
  ne: 'is not',
  in: 'is one of',
  nin: 'is none of',
  lt: '<',
  le: '≤',
  gt: '>',
  ge: '≥',
};
