/**
 * Catalogue references in knowledge text, so numbers live in one place:
 *   {{port:netbackup.pbx}}  → 1556/tcp
 *   {{ports:datadomain}}    → 111/tcp (portmapper), 2049/tcp (NFS), …
 *   {{error:nbu-status-25}} → NetBackup status 25 ("cannot connect on socket")
 */
import type { ErrorDef, ProductPorts } from './types.js';

const REF = /\{\{\s*(port|ports|error)\s*:\s*([a-z0-9_.-]+)\s*\}\}/g;

export interface Catalogues {
  products: ReadonlyMap<string, ProductPorts>;
  errors: ReadonlyMap<string, ErrorDef>;
  productNames: ReadonlyMap<string, string>;
}

export function makeCatalogues(products: ProductPorts[], errors: ErrorDef[]): Catalogues {
  return {
    products: new Map(products.map((p) => [p.id, p])),
    errors: new Map(errors.map((e) => [e.id, e])),
    productNames: new Map(products.map((p) => [p.id, p.name])),
  };
}

function resolve(c: Catalogues, kind: string, ref: string): string | undefined {
  if (kind === 'ports') {
    const p = c.products.get(ref);
    return p?.ports.map((x) => `${x.port}/${x.protocol} (${x.service})`).join(', ');
  }
  if (kind === 'port') {
    const dot = ref.indexOf('.');
    const p = c.products.get(ref.slice(0, dot));
    const port = p?.ports.find((x) => x.id === ref.slice(dot + 1));
    return port ? `${port.port}/${port.protocol}` : undefined;
  }
  const e = c.errors.get(ref);
  if (!e) return undefined;
  const product = c.productNames.get(e.product) ?? e.product;
  return `${product} ${e.kind} ${e.code} ("${e.message}")`;
}

/** References that do not resolve, for validation. */
export function unresolvedRefs(c: Catalogues, text: string): string[] {
  const bad: string[] = [];
  for (const m of text.matchAll(REF)) if (resolve(c, m[1], m[2]) === undefined) bad.push(m[0]);
  return bad;
}

export function expand(c: Catalogues, text: string): string {
  return text.replace(REF, (whole, kind: string, ref: string) => resolve(c, kind, ref) ?? whole);
}

/** Expand every string inside a plain JSON value. */
export function expandDeep<T>(c: Catalogues, value: T): T {
  if (typeof value === 'string') return expand(c, value) as T;
  if (Array.isArray(value)) return value.map((v) => expandDeep(c, v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = k === 'pos' ? v : expandDeep(c, v);
    return out as T;
  }
  return value;
}

/** Every string inside a value, with its path, to check references. */
export function* stringsIn(value: unknown, path: (string | number)[] = []): Generator<[string, (string | number)[]]> {
  if (typeof value === 'string') yield [value, path];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* stringsIn(value[i], [...path, i]);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* stringsIn(v, [...path, k]);
}
