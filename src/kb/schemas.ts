/**
 * JSON Schema for every knowledge file. One file may hold any of the sections below; the shipped KB keeps
 * one kind per file (rules/*.yaml, kb/facts/*.yaml, kb/causes/*.yaml, kb/ports.yaml, kb/errors.yaml,
 * kb/signatures/*.yaml, kb/evidence/*.yaml), a site directory may mix them.
 */

const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]*$', maxLength: 80 } as const;
const text = { type: 'string', minLength: 1, maxLength: 4000 } as const;
const scalar = { type: ['string', 'number', 'boolean'] } as const;
/** Answers per fact: { fact: [answer, …] } (a cause's presents_with, a fact's applies_when). */
const answerLists = {
  type: 'object',
  minProperties: 1,
  propertyNames: id,
  additionalProperties: { type: 'array', minItems: 1, uniqueItems: true, items: scalar },
} as const;

const command = {
  type: 'object',
  required: ['platform', 'run'],
  additionalProperties: false,
  properties: { platform: { type: 'string', minLength: 1 }, run: text, note: text },
} as const;

const step = {
  type: 'object',
  required: ['step'],
  additionalProperties: false,
  properties: { step: text, commands: { type: 'array', items: command } },
} as const;

const fact = {
  type: 'object',
  required: ['id', 'type', 'question'],
  additionalProperties: false,
  properties: {
    id,
    type: { enum: ['boolean', 'enum', 'number'] },
    question: text,
    help: text,
    checks: { type: 'array', items: command },
    choices: {
      type: 'array',
      minItems: 2,
      items: {
        type: 'object',
        required: ['value', 'label'],
        additionalProperties: false,
        properties: { value: id, label: text },
      },
    },
    unit: { type: 'string', minLength: 1 },
    min: { type: 'number' },
    max: { type: 'number' },
    opening: { type: 'boolean' },
    applies_when: answerLists,
  },
  allOf: [
    { if: { properties: { type: { const: 'enum' } } }, then: { required: ['choices'] } },
    { if: { properties: { type: { const: 'number' } } }, then: { required: ['unit'] } },
  ],
} as const;

const cause = {
  type: 'object',
  required: ['id', 'title', 'summary', 'explanation', 'remediation', 'verification', 'sources'],
  additionalProperties: false,
  properties: {
    id,
    title: text,
    summary: text,
    explanation: text,
    products: { type: 'array', items: id },
    prior: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
    presents_with: answerLists,
    remediation: { type: 'array', minItems: 1, items: step },
    verification: { type: 'array', minItems: 1, items: step },
    workarounds: {
      type: 'array',
      items: {
        type: 'object',
        required: ['step'],
        additionalProperties: false,
        properties: {
          step: text,
          commands: { type: 'array', items: command },
          last_resort: { type: 'boolean' },
          caveat: text,
        },
      },
    },
    evidence: { type: 'array', items: text },
    sources: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['title'],
        additionalProperties: false,
        properties: { seed: { type: 'string', pattern: '^[0-9]{3}$' }, title: text, ref: text },
      },
    },
  },
} as const;

const leaf = {
  type: 'object',
  required: ['fact'],
  additionalProperties: false,
  properties: {
    fact: id,
    is: scalar,
    op: { enum: ['eq', 'ne', 'in', 'nin', 'lt', 'le', 'gt', 'ge'] },
    value: { anyOf: [scalar, { type: 'array', minItems: 1, items: scalar }] },
  },
  if: { required: ['is'] },
  then: { not: { anyOf: [{ required: ['op'] }, { required: ['value'] }] } },
  else: { required: ['op', 'value'] },
} as const;

const branch = (key: 'all' | 'any') =>
  ({
    required: [key],
    additionalProperties: false,
    properties: { [key]: { type: 'array', minItems: 1, items: { $ref: 'condition' } } },
  }) as const;

/** Dispatch on the key present, so a mistake is reported once, in the branch the author meant. */
const condition = {
  $id: 'condition',
  type: 'object',
  if: { required: ['all'] },
  then: branch('all'),
  else: {
    if: { required: ['any'] },
    then: branch('any'),
    else: {
      if: { required: ['not'] },
      then: { required: ['not'], additionalProperties: false, properties: { not: { $ref: 'condition' } } },
      else: leaf,
    },
  },
} as const;

const example = {
  type: 'object',
  required: ['facts'],
  additionalProperties: false,
  properties: {
    facts: { type: 'object', minProperties: 1, additionalProperties: scalar },
    note: text,
  },
} as const;

const rule = {
  type: 'object',
  required: ['id', 'cause', 'strength', 'rationale', 'when', 'examples'],
  additionalProperties: false,
  properties: {
    id,
    cause: id,
    effect: { enum: ['supports', 'excludes'] },
    strength: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    rationale: text,
    when: { $ref: 'condition' },
    examples: {
      type: 'object',
      required: ['concludes'],
      additionalProperties: false,
      properties: {
        concludes: { type: 'array', minItems: 1, items: example },
        near_misses: { type: 'array', items: example },
      },
    },
  },
} as const;

const port = {
  type: 'object',
  required: ['id', 'port', 'protocol', 'service'],
  additionalProperties: false,
  properties: {
    id,
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    protocol: { enum: ['tcp', 'udp'] },
    service: text,
    note: text,
    source: text,
  },
} as const;

const product = {
  type: 'object',
  required: ['id', 'name', 'ports'],
  additionalProperties: false,
  properties: { id, name: text, ports: { type: 'array', minItems: 1, items: port } },
} as const;

const error = {
  type: 'object',
  required: ['id', 'product', 'code', 'kind', 'message', 'meaning'],
  additionalProperties: false,
  properties: {
    id,
    product: id,
    code: { type: ['string', 'integer'] },
    kind: { type: 'string', minLength: 1 },
    message: text,
    meaning: text,
    source: text,
  },
} as const;

const signature = {
  type: 'object',
  required: ['id', 'pattern', 'sets'],
  additionalProperties: false,
  properties: {
    id,
    pattern: { type: 'string', minLength: 1, maxLength: 500 },
    literal: { type: 'string', minLength: 1, maxLength: 200 },
    flags: { type: 'string', pattern: '^i?$' },
    sets: { type: 'object', minProperties: 1, additionalProperties: scalar },
    note: text,
  },
} as const;

const evidenceRange = {
  type: 'object',
  required: ['value'],
  additionalProperties: false,
  minProperties: 2,
  properties: { ge: { type: 'number' }, gt: { type: 'number' }, lt: { type: 'number' }, le: { type: 'number' }, value: scalar },
} as const;

/** An evidence map row: an observation key a reader declares → a fact, as is, scaled, by value or by range. */
const evidenceMapRow = {
  type: 'object',
  required: ['observation', 'fact'],
  additionalProperties: false,
  properties: {
    observation: { type: 'string', pattern: '^[a-z][a-z0-9_-]*(?:\\.[A-Za-z0-9_-]+)*(?:\\.\\*)?$', maxLength: 120 },
    fact: id,
    scale: { type: 'number', exclusiveMinimum: 0 },
    values: { type: 'object', minProperties: 1, additionalProperties: scalar },
    ranges: { type: 'array', minItems: 1, items: evidenceRange },
    several: { enum: ['max', 'min'] },
    note: text,
  },
  not: { anyOf: [{ required: ['values', 'ranges'] }, { required: ['values', 'scale'] }, { required: ['ranges', 'scale'] }] },
} as const;

export const kbFileSchema = {
  $id: 'kb-file',
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: {
    facts: { type: 'array', items: fact },
    causes: { type: 'array', items: cause },
    rules: { type: 'array', items: rule },
    products: { type: 'array', items: product },
    errors: { type: 'array', items: error },
    signatures: { type: 'array', items: signature },
    evidence_map: { type: 'array', items: evidenceMapRow },
  },
} as const;

export const conditionSchema = condition;

/** Answers files: a mapping of fact id to value (null or "unknown" for "not sure"). */
export const answersSchema = {
  $id: 'answers',
  type: 'object',
  propertyNames: id,
  additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
} as const;
