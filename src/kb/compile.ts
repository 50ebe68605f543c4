/**
 * Knowledge files → one validated, cross-referenced CompiledKb. Reports every problem at once: YAML
 * syntax, schema, and semantic errors the schema cannot see (unknown ids, types, duplicates, references).
 */
import { createHash } from 'node:crypto';
import { OPERATORS_FOR_TYPE } from '../inference/operators.js';
import { coerceFactValue, ValueError } from '../inference/facts.js';
import type { Diagnostic } from './diagnostics.js';
import { schemaDiagnostics } from './schema-check.js';
import { expandDeep, makeCatalogues, stringsIn, unresolvedRefs } from './templates.js';
import { checkPattern } from './pattern-safety.js';
import { indexKnowledge } from '../inference/knowledge.js';
import { ruleCombinations } from '../strategy/model.js';
import type {
  CauseDef,
  CompiledKb,
  Condition,
  ErrorDef,
  EvidenceMapRow,
  FactDef,
  FactValue,
  LeafCondition,
  ObservationDecl,
  ProductPorts,
  RuleDef,
  RuleExample,
  SignatureDef,
  SourcePos,
} from './types.js';
import { parseYamlText, type PathSegment, type YamlSource } from './yaml-source.js';

export interface KbSourceFile {
  /** Path shown in messages (relative to where the user stands, or to the package for shipped files). */
  file: string;
  text: string;
}

export interface CompileResult {
  kb?: CompiledKb;
  diagnostics: Diagnostic[];
}

type Raw = Record<string, unknown>;

/** The sections of all files, gathered before cross-checking. */
type Collected = Pick<CompiledKb, 'facts' | 'causes' | 'rules' | 'products' | 'errors' | 'signatures' | 'evidenceMap'>;

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export interface CompileOptions {
  /**
   * The observation keys the evidence readers declare. Given, every evidence map row is checked against
   * them (an undeclared key, a `values` key the observation never takes, a range on a non-number); the KB
   * layer does not know the readers, so the caller passes what they declare.
   */
  observations?: ReadonlyMap<string, ObservationDecl>;
}

export function compileKb(files: readonly KbSourceFile[], options: CompileOptions = {}): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const all: Collected = { facts: [], causes: [], rules: [], products: [], errors: [], signatures: [], evidenceMap: [] };
  const sources: YamlSource[] = [];

  for (const f of files) {
    const parsed = parseYamlText(f.file, f.text);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.source) continue;
    if (parsed.source.data === null || parsed.source.data === undefined) {
      diagnostics.push({ file: f.file, line: 1, col: 1, severity: 'warning', message: 'empty knowledge file' });
      continue;
    }
    const schemaErrors = schemaDiagnostics(parsed.source);
    diagnostics.push(...schemaErrors);
    if (schemaErrors.length) continue;
    sources.push(parsed.source);
    collect(parsed.source, all);
  }

  diagnostics.push(...checkSemantics(all, sources));
  if (options.observations) diagnostics.push(...checkEvidenceMap(all.evidenceMap, options.observations, all.facts));
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };

  const catalogues = makeCatalogues(all.products, all.errors);
  const kb: CompiledKb = {
    version: 1,
    facts: expandDeep(catalogues, all.facts),
    causes: expandDeep(catalogues, all.causes),
    rules: expandDeep(catalogues, all.rules),
    products: all.products,
    errors: all.errors,
    signatures: all.signatures,
    evidenceMap: all.evidenceMap,
    sources: files.map((f) => ({ file: f.file, hash: hashText(f.text) })),
  };
  kb.ruleCombinations = ruleCombinations(indexKnowledge(kb));
  return { kb, diagnostics };
}

function collect(src: YamlSource, out: Collected): void {
  const data = src.data as Raw;
  const at = (path: PathSegment[]): SourcePos => src.locate(path);
  (data.facts as Raw[] | undefined)?.forEach((f, i) => out.facts.push({ ...(f as unknown as FactDef), pos: at(['facts', i]) }));
  (data.causes as Raw[] | undefined)?.forEach((c, i) =>
    out.causes.push({ ...(c as unknown as CauseDef), prior: typeof c.prior === 'number' ? c.prior : 1, pos: at(['causes', i]) }),
  );
  (data.rules as Raw[] | undefined)?.forEach((r, i) => {
    const base: PathSegment[] = ['rules', i];
    const examples = (r.examples ?? {}) as { concludes?: Raw[]; near_misses?: Raw[] };
    const toExamples = (list: Raw[] | undefined, key: string): RuleExample[] =>
      (list ?? []).map((e, j) => ({
        facts: e.facts as RuleExample['facts'],
        ...(e.note ? { note: String(e.note) } : {}),
        pos: at([...base, 'examples', key, j]),
      }));
    out.rules.push({
      id: String(r.id),
      cause: String(r.cause),
      effect: (r.effect as RuleDef['effect']) ?? 'supports',
      strength: Number(r.strength),
      rationale: String(r.rationale),
      when: normaliseCondition(r.when as Raw, [...base, 'when'], at),
      concludes: toExamples(examples.concludes, 'concludes'),
      near_misses: toExamples(examples.near_misses, 'near_misses'),
      pos: at(base),
    });
  });
  (data.products as ProductPorts[] | undefined)?.forEach((p) => out.products.push(p));
  (data.errors as ErrorDef[] | undefined)?.forEach((e) => out.errors.push({ ...e, code: String(e.code) }));
  (data.signatures as Raw[] | undefined)?.forEach((s, i) =>
    out.signatures.push({ ...(s as unknown as SignatureDef), pos: at(['signatures', i]) }),
  );
  (data.evidence_map as Raw[] | undefined)?.forEach((r, i) =>
    out.evidenceMap.push({ ...(r as unknown as EvidenceMapRow), pos: at(['evidence_map', i]) }),
  );
}

function normaliseCondition(c: Raw, path: PathSegment[], at: (p: PathSegment[]) => SourcePos): Condition {
  if (Array.isArray(c.all)) return { all: (c.all as Raw[]).map((s, i) => normaliseCondition(s, [...path, 'all', i], at)) };
  if (Array.isArray(c.any)) return { any: (c.any as Raw[]).map((s, i) => normaliseCondition(s, [...path, 'any', i], at)) };
  if (c.not) return { not: normaliseCondition(c.not as Raw, [...path, 'not'], at) };
  const leaf: LeafCondition =
    'is' in c
      ? { fact: String(c.fact), op: 'eq', value: c.is as LeafCondition['value'] }
      : { fact: String(c.fact), op: c.op as LeafCondition['op'], value: c.value as LeafCondition['value'] };
  leaf.pos = at(path);
  return leaf;
}

function err(pos: SourcePos, message: string, code?: string): Diagnostic {
  return { ...pos, severity: 'error', message, ...(code ? { code } : {}) };
}

function checkDuplicates<T extends { id: string }>(
  kind: string,
  items: T[],
  posOf: (t: T) => SourcePos,
  out: Diagnostic[],
): void {
  const first = new Map<string, T>();
  for (const item of items) {
    const prev = first.get(item.id);
    if (prev) {
      const p = posOf(prev);
      out.push(err(posOf(item), `duplicate ${kind} id "${item.id}" (first defined at ${p.file}:${p.line}:${p.col})`, item.id));
    } else first.set(item.id, item);
  }
}

function walkLeaves(c: Condition, fn: (leaf: LeafCondition) => void): void {
  if ('fact' in c) fn(c);
  else if ('all' in c) c.all.forEach((s) => walkLeaves(s, fn));
  else if ('any' in c) c.any.forEach((s) => walkLeaves(s, fn));
  else walkLeaves(c.not, fn);
}

function checkSemantics(all: Collected, sources: YamlSource[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const facts = new Map(all.facts.map((f) => [f.id, f]));
  const causes = new Set(all.causes.map((c) => c.id));
  const productPos = new Map<string, SourcePos>();
  for (const src of sources) {
    ((src.data as Raw).products as Raw[] | undefined)?.forEach((p, i) => productPos.set(String(p.id), src.locate(['products', i])));
  }
  const errorPos = new Map<string, SourcePos>();
  for (const src of sources) {
    ((src.data as Raw).errors as Raw[] | undefined)?.forEach((e, i) => errorPos.set(String(e.id), src.locate(['errors', i])));
  }

  checkDuplicates('fact', all.facts, (f) => f.pos, out);
  checkDuplicates('cause', all.causes, (c) => c.pos, out);
  checkDuplicates('rule', all.rules, (r) => r.pos, out);
  checkDuplicates('signature', all.signatures, (s) => s.pos, out);
  checkDuplicates('product', all.products, (p) => productPos.get(p.id)!, out);
  checkDuplicates('error', all.errors, (e) => errorPos.get(e.id)!, out);
  for (const p of all.products) checkDuplicates(`port (in ${p.id})`, p.ports, () => productPos.get(p.id)!, out);

  for (const f of all.facts) {
    if (f.type === 'number' && f.min !== undefined && f.max !== undefined && f.min > f.max) {
      out.push(err(f.pos, `fact "${f.id}" has min ${f.min} above max ${f.max}`, f.id));
    }
    if (f.type !== 'enum' && f.choices) out.push(err(f.pos, `fact "${f.id}" is ${f.type} but lists choices (only enum facts have choices)`, f.id));
    if (f.choices) {
      const seen = new Set<string>();
      for (const c of f.choices) {
        if (seen.has(c.value)) out.push(err(f.pos, `fact "${f.id}" lists choice "${c.value}" twice`, f.id));
        seen.add(c.value);
      }
    }
  }

  const checkValue = (pos: SourcePos, factId: string, value: unknown, what: string, code: string) => {
    const fact = facts.get(factId);
    if (!fact) {
      out.push(err(pos, `${what} names unknown fact "${factId}"`, code));
      return;
    }
    try {
      if (coerceFactValue(fact, value) === null) out.push(err(pos, `${what}: value for "${factId}" must be known, not "${String(value)}"`, code));
      else if (typeof value !== (fact.type === 'enum' ? 'string' : fact.type)) {
        out.push(err(pos, `${what}: "${factId}" is ${fact.type}; ${JSON.stringify(value)} is a ${typeof value}`, code));
      }
    } catch (e) {
      if (e instanceof ValueError) out.push(err(pos, `${what}: ${e.message}`, code));
      else throw e;
    }
  };

  for (const r of all.rules) {
    if (!causes.has(r.cause)) out.push(err(r.pos, `rule "${r.id}" names unknown cause "${r.cause}"`, r.id));
    walkLeaves(r.when, (leaf) => {
      const pos = leaf.pos ?? r.pos;
      const fact = facts.get(leaf.fact);
      if (!fact) {
        out.push(err(pos, `condition names unknown fact "${leaf.fact}"`, r.id));
        return;
      }
      if (!OPERATORS_FOR_TYPE[fact.type].includes(leaf.op)) {
        out.push(err(pos, `operator "${leaf.op}" does not apply to ${fact.type} fact "${fact.id}" (use ${OPERATORS_FOR_TYPE[fact.type].join(', ')})`, r.id));
        return;
      }
      const listOp = leaf.op === 'in' || leaf.op === 'nin';
      if (listOp !== Array.isArray(leaf.value)) {
        out.push(err(pos, listOp ? `operator "${leaf.op}" needs a list value` : `operator "${leaf.op}" needs a single value, not a list`, r.id));
        return;
      }
      for (const v of Array.isArray(leaf.value) ? leaf.value : [leaf.value]) checkValue(pos, fact.id, v, 'condition', r.id);
    });
    for (const ex of [...r.concludes, ...r.near_misses]) {
      for (const [fid, v] of Object.entries(ex.facts)) checkValue(ex.pos, fid, v, 'example', r.id);
    }
  }

  // Answer lists keyed by fact (a cause's presents_with, a fact's applies_when): checked at the entry.
  const answerLists = (section: 'causes' | 'facts', field: 'presents_with' | 'applies_when', owners: { id: string; pos: SourcePos }[], listsOf: (i: number) => Record<string, FactValue[]> | undefined) => {
    const posOf = new Map<string, SourcePos>();
    for (const src of sources) {
      ((src.data as Raw)[section] as Raw[] | undefined)?.forEach((o, i) => {
        for (const fid of Object.keys((o[field] as Raw | undefined) ?? {})) posOf.set(`${String(o.id)}\u0000${fid}`, src.locate([section, i, field, fid]));
      });
    }
    const kind = section === 'causes' ? 'cause' : 'fact';
    owners.forEach((o, i) => {
      for (const [fid, values] of Object.entries(listsOf(i) ?? {})) {
        const pos = posOf.get(`${o.id}\u0000${fid}`) ?? o.pos;
        const fact = facts.get(fid);
        if (fact && fact.type === 'number') {
          out.push(err(pos, `${kind} "${o.id}": ${field} takes enum or boolean facts; "${fid}" is a number (write a rule for a threshold)`, o.id));
          continue;
        }
        if (fid === o.id) {
          out.push(err(pos, `fact "${o.id}": ${field} names the fact itself`, o.id));
          continue;
        }
        for (const v of values) checkValue(pos, fid, v, `${kind} "${o.id}" ${field}`, o.id);
        const answers = fact?.type === 'boolean' ? [true, false] : (fact?.choices ?? []).map((x) => x.value);
        if (fact && answers.every((a) => values.includes(a))) {
          out.push(err(pos, `${kind} "${o.id}": ${field} lists every answer of "${fid}", which says nothing; list only the ${field === 'presents_with' ? 'usual' : 'applicable'} ones or drop "${fid}"`, o.id));
        }
      }
    });
  };
  answerLists('causes', 'presents_with', all.causes, (i) => all.causes[i].presents_with);
  answerLists('facts', 'applies_when', all.facts, (i) => all.facts[i].applies_when);

  for (const s of all.signatures) {
    for (const [fid, v] of Object.entries(s.sets)) checkValue(s.pos, fid, v, `signature "${s.id}"`, s.id);
    const problem = checkPattern(s.pattern, s.flags);
    if (problem) out.push(err(s.pos, `signature "${s.id}": ${problem}`, s.id));
  }

  for (const row of all.evidenceMap) {
    const what = `evidence map row for "${row.observation}"`;
    const fact = facts.get(row.fact);
    if (!fact) {
      out.push(err(row.pos, `${what} names unknown fact "${row.fact}"`, row.observation));
      continue;
    }
    for (const v of Object.values(row.values ?? {})) checkValue(row.pos, row.fact, v, what, row.observation);
    for (const r of row.ranges ?? []) checkValue(row.pos, row.fact, r.value, what, row.observation);
    if (row.scale !== undefined && fact.type !== 'number') out.push(err(row.pos, `${what}: scale applies to number facts; "${row.fact}" is ${fact.type}`, row.observation));
    if (row.several && fact.type !== 'number') out.push(err(row.pos, `${what}: several: ${row.several} applies to number facts; "${row.fact}" is ${fact.type}`, row.observation));
  }

  const catalogues = makeCatalogues(all.products, all.errors);
  const textHolders: { items: { pos: SourcePos; id: string }[] }[] = [{ items: all.causes }, { items: all.facts }];
  for (const { items } of textHolders) {
    for (const item of items) {
      for (const [text] of stringsIn({ ...item, pos: undefined })) {
        for (const ref of unresolvedRefs(catalogues, text)) {
          out.push(err(item.pos, `unknown catalogue reference ${ref} in "${item.id}"`, item.id));
        }
      }
    }
  }
  for (const e of all.errors) {
    if (!catalogues.products.has(e.product)) out.push(err(errorPos.get(e.id)!, `error "${e.id}" names unknown product "${e.product}"`, e.id));
  }
  return out;
}

/** Evidence map rows against what the readers declare: a typo in a key is an error, not a silent no-match. */
export function checkEvidenceMap(rows: readonly EvidenceMapRow[], declared: ReadonlyMap<string, ObservationDecl>, factList: readonly FactDef[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const facts = new Map(factList.map((f) => [f.id, f]));
  const patterns = [...declared.keys()];
  const declOf = (key: string): ObservationDecl | undefined => {
    const exact = declared.get(key);
    if (exact) return exact;
    // A row "a.b.*" is covered by a declared family "a.b.*"; a row "a.b.1556" by the family too.
    for (const p of patterns) if (p.endsWith('.*') && key.startsWith(p.slice(0, -1))) return declared.get(p);
    return undefined;
  };
  for (const row of rows) {
    const decl = declOf(row.observation);
    const what = `evidence map row for "${row.observation}"`;
    if (!decl) {
      const near = patterns.filter((p) => p.split('.')[0] === row.observation.split('.')[0]).slice(0, 6);
      out.push(err(row.pos, `${what}: no reader declares this observation${near.length ? ` (declared here: ${near.join(', ')})` : ''}`, row.observation));
      continue;
    }
    if (decl.type === 'data') {
      out.push(err(row.pos, `${what}: the observation is a structured payload for combiners, not a value a fact can take`, row.observation));
      continue;
    }
    if (row.ranges && decl.type !== 'number') out.push(err(row.pos, `${what}: ranges need a number observation; it is ${decl.type}`, row.observation));
    if (row.scale !== undefined && decl.type !== 'number') out.push(err(row.pos, `${what}: scale needs a number observation; it is ${decl.type}`, row.observation));
    const fact = facts.get(row.fact);
    if (fact && !row.values && !row.ranges) {
      // Taken as is: the observation must already speak the fact's language.
      const fits =
        fact.type === 'number' ? decl.type === 'number' : fact.type === 'boolean' ? decl.type === 'boolean' : decl.type === 'string' && !!decl.values && decl.values.every((v) => fact.choices?.some((c) => c.value === v));
      if (!fits) {
        out.push(err(row.pos, `${what}: a ${decl.type} observation${decl.values ? ` (${decl.values.join(', ')})` : ''} cannot set ${fact.type} fact "${row.fact}" as is; give values: or ranges:`, row.observation));
      }
    }
    if (row.values) {
      const possible = decl.type === 'boolean' ? ['true', 'false'] : decl.type === 'string' ? decl.values : undefined;
      if (possible) {
        for (const k of Object.keys(row.values)) {
          if (!possible.includes(k)) out.push(err(row.pos, `${what}: the observation never takes the value "${k}" (it takes ${possible.join(', ')})`, row.observation));
        }
      }
    }
  }
  return out;
}
