/** JSON Schema validation of one parsed knowledge file, with errors placed at file:line:col. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic } from './diagnostics.js';
import { answersSchema, conditionSchema, kbFileSchema } from './schemas.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

let kbValidator: ValidateFunction | undefined;
let answersValidator: ValidateFunction | undefined;

/** Where the build writes each validator as ajv standalone code (CommonJS: it requires ajv's runtime). */
export const PRECOMPILED_DIR = new URL('../validators/', import.meta.url);
export const VALIDATOR_IDS = { kbFile: 'kb-file', answers: 'answers' } as const;

const require = createRequire(import.meta.url);

/** Ajv itself is loaded only when a schema must be compiled (not on the normal run path). */
export function makeAjv(extra: Record<string, unknown> = {}): AjvClass {
  const { Ajv } = require('ajv') as typeof import('ajv');
  const a = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true, ...extra });
  a.addSchema(conditionSchema);
  a.addSchema(kbFileSchema);
  a.addSchema(answersSchema);
  return a;
}

/** A validator from the build's standalone code (much faster to load than compiling the schema), if present. */
function precompiled(name: keyof typeof VALIDATOR_IDS): ValidateFunction | undefined {
  const path = new URL(`${name}.cjs`, PRECOMPILED_DIR).pathname;
  if (process.env.BACKUP_TRIAGE_COMPILE_SCHEMAS || !existsSync(path)) return undefined;
  return require(path) as ValidateFunction;
}

export function kbFileValidator(): ValidateFunction {
  return (kbValidator ??= precompiled('kbFile') ?? (makeAjv().getSchema(VALIDATOR_IDS.kbFile) as ValidateFunction));
}

export function answersFileValidator(): ValidateFunction {
  return (answersValidator ??= precompiled('answers') ?? (makeAjv().getSchema(VALIDATOR_IDS.answers) as ValidateFunction));
}

function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(e: ErrorObject): { message: string; keyPath?: PathSegment[] } {
  const where = e.instancePath ? pointerToPath(e.instancePath) : [];
  const field = where.length ? String(where[where.length - 1]) : 'file';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        message: `unknown property "${String(p.additionalProperty)}" in ${field}`,
        keyPath: [...where, String(p.additionalProperty)],
      };
    case 'required':
      return { message: `${field} is missing required property "${String(p.missingProperty)}"` };
    case 'enum':
      return { message: `${field} must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'type':
      return { message: `${field} must be ${String(p.type).replace(/,/g, ' or ')}` };
    case 'pattern':
      return { message: `${field} "${''}" must match ${String(p.pattern)} (lower-case letters, digits, - _ .)` };
    case 'not':
      return { message: `${field}: use either "is: VALUE" or "op:" with "value:", not both` };
    case 'minItems':
      return { message: `${field} must have at least ${String(p.limit)} item(s)` };
    case 'minProperties':
      return { message: `${field} must not be empty` };
    default:
      return { message: `${field} ${e.message ?? 'is invalid'}` };
  }
}

/** Drop the noise ajv adds for if/then branches, keeping the errors that say what is wrong. */
function usefulErrors(errors: ErrorObject[]): ErrorObject[] {
  // 'if' and 'propertyNames' only restate an inner error that says what is wrong.
  return errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames');
}

export function schemaDiagnostics(src: YamlSource, validate: ValidateFunction = kbFileValidator()): Diagnostic[] {
  if (validate(src.data)) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of usefulErrors(validate.errors ?? [])) {
    const path = pointerToPath(e.instancePath);
    let { message, keyPath } = describe(e);
    const pattern = String((e.params as { pattern?: string }).pattern);
    const badName = (e as ErrorObject & { propertyName?: string }).propertyName;
    if (e.keyword === 'pattern' && badName !== undefined) {
      // propertyNames: the offending key, located at the key itself.
      message = `key ${JSON.stringify(badName)} must match ${pattern} (lower-case letters, digits, - _ .)`;
      keyPath = [...path, badName];
    } else if (e.keyword === 'pattern') {
      const value = path.reduce<unknown>((v, k) => (v && Object.prototype.hasOwnProperty.call(v, k) ? (v as Record<string | number, unknown>)[k] : undefined), src.data);
      message = `${String(path[path.length - 1])} ${JSON.stringify(typeof value === 'string' ? value : String(typeof value))} must match ${pattern}`;
    }
    const pos = keyPath ? src.locateKey(keyPath) : src.locate(path);
    const key = `${pos.line}:${pos.col}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...pos, severity: 'error', message });
  }
  return out;
}
