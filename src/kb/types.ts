/** Shapes of the knowledge base: what contributors write (source) and what the CLI loads (compiled). */

export type FactType = 'boolean' | 'enum' | 'number';
export type FactValue = boolean | string | number;

/** A position in a source file, 1-based, for messages a contributor can click. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export interface Command {
  platform: string;
  run: string;
  note?: string;
}

export interface Choice {
  value: string;
  label: string;
}

export interface FactDef {
  id: string;
  type: FactType;
  question: string;
  help?: string;
  checks?: Command[];
  choices?: Choice[];
  unit?: string;
  min?: number;
  max?: number;
  /** Asked first, in the opening menu of the walk. */
  opening?: boolean;
  /**
   * The fact only makes sense while each fact named here is unknown or has one of the listed answers
   * (a NetBackup setting, when the product is NetBackup): otherwise the walk does not ask it.
   */
  applies_when?: Record<string, FactValue[]>;
  pos: SourcePos;
}

export interface Step {
  step: string;
  commands?: Command[];
}

export interface Workaround extends Step {
  last_resort?: boolean;
  caveat?: string;
}

export interface SourceRef {
  seed?: string;
  title: string;
  ref?: string;
}

export interface CauseDef {
  id: string;
  title: string;
  summary: string;
  explanation: string;
  products?: string[];
  prior: number;
  /**
   * The answers this cause usually comes with, per fact (enum or boolean), for the facts its rules do not
   * test: what the user reports when this is the cause, e.g. the symptom family it shows as.
   */
  presents_with?: Record<string, FactValue[]>;
  remediation: Step[];
  verification: Step[];
  workarounds?: Workaround[];
  /** What to collect when this cause is a candidate but not concluded. */
  evidence?: string[];
  sources: SourceRef[];
  pos: SourcePos;
}

export type Operator = 'eq' | 'ne' | 'in' | 'nin' | 'lt' | 'le' | 'gt' | 'ge';

export interface LeafCondition {
  fact: string;
  op: Operator;
  value: FactValue | FactValue[];
  pos?: SourcePos;
}

export type Condition =
  | LeafCondition
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export type RuleEffect = 'supports' | 'excludes';

export interface RuleExample {
  facts: Record<string, FactValue>;
  note?: string;
  pos: SourcePos;
}

export interface RuleDef {
  id: string;
  cause: string;
  effect: RuleEffect;
  strength: number;
  rationale: string;
  when: Condition;
  concludes: RuleExample[];
  near_misses: RuleExample[];
  pos: SourcePos;
}

export interface PortDef {
  id: string;
  port: number;
  protocol: 'tcp' | 'udp';
  service: string;
  note?: string;
  source?: string;
}

export interface ProductPorts {
  id: string;
  name: string;
  ports: PortDef[];
}

export interface ErrorDef {
  id: string;
  product: string;
  code: string;
  kind: string;
  message: string;
  meaning: string;
  source?: string;
}

export interface SignatureDef {
  id: string;
  /** Regular expression applied to each line, on the linear-time engine (kb/linear-regex.ts): no backreferences or lookaround. */
  pattern: string;
  /** Literal substring every matching line contains; lets the scanner skip most lines cheaply. */
  literal?: string;
  flags?: string;
  sets: Record<string, FactValue>;
  note?: string;
  pos: SourcePos;
}

/** What an evidence reader says an observation key means (declared in the reader, checked against the map). */
export interface ObservationDecl {
  /** "data" is a structured payload for combiners only: no map row may read it. */
  type: 'number' | 'boolean' | 'string' | 'data';
  unit?: string;
  /** For string observations: the values it can take (map rows' `values` keys are checked against them). */
  values?: string[];
  meaning: string;
}

/** One range of an evidence map row: the first that holds gives the value. */
export interface EvidenceRange {
  ge?: number;
  gt?: number;
  lt?: number;
  le?: number;
  value: FactValue;
}

/** kb/evidence/*.yaml: an observation a reader emits → the fact it sets. */
export interface EvidenceMapRow {
  /** Observation key; a trailing ".*" matches a family (one key per port, state…). */
  observation: string;
  fact: string;
  /** Multiply a number before use (ms → s). */
  scale?: number;
  /** Translate the observed value (as a string key: "true", "false", "42", "x"). */
  values?: Record<string, FactValue>;
  /** First matching range decides; no match leaves the fact unknown. */
  ranges?: EvidenceRange[];
  /**
   * When several observations (files, runs, hosts) give different numbers for the fact: keep the largest
   * or the smallest, as the fact's question asks ("the slower of the two", "at the busiest moment"),
   * instead of reporting a disagreement and keeping the first.
   */
  several?: 'max' | 'min';
  note?: string;
  pos: SourcePos;
}

/** The validated, cross-referenced knowledge base the CLI loads. Plain JSON. */
export interface CompiledKb {
  version: 1;
  facts: FactDef[];
  causes: CauseDef[];
  rules: RuleDef[];
  products: ProductPorts[];
  errors: ErrorDef[];
  signatures: SignatureDef[];
  /** Reader observations → facts (kb/evidence/*.yaml). */
  evidenceMap: EvidenceMapRow[];
  /** Files the KB was built from, with a content hash each, to detect a stale artefact. */
  sources: { file: string; hash: string }[];
  /**
   * Per rule (kb.rules order): how many combinations of answers to its facts make it hold, over the
   * answer spaces inference derives from this KB (strategy/model.ts). Worked out when the KB is compiled,
   * so the first step of a walk does not count every rule; a KB without it is counted on first use.
   */
  ruleCombinations?: number[];
}
