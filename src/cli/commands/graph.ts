/** `backup-triage graph [--cause ID] --format mermaid|dot` — facts → rules → causes at a glance. */
import { EXIT, UserError } from '../../errors.js';
import { oneOf, parse } from '../args.js';
import { loadKnowledge } from '../context.js';
import type { Knowledge } from '../../inference/knowledge.js';

export function graphEdges(k: Knowledge, cause?: string) {
  const rules = k.kb.rules.filter((r) => !cause || r.cause === cause);
  const edges: { from: string; to: string; label?: string }[] = [];
  for (const r of rules) {
    for (const f of k.factsByRule.get(r.id) ?? []) edges.push({ from: `fact:${f}`, to: `rule:${r.id}` });
    edges.push({ from: `rule:${r.id}`, to: `cause:${r.cause}`, label: r.effect === 'excludes' ? `excludes ${r.strength}` : String(r.strength) });
  }
  return edges;
}

const nodeId = (n: string) => n.replace(/[^a-zA-Z0-9_]/g, '_');

export function renderGraph(k: Knowledge, format: 'mermaid' | 'dot', cause?: string): string {
  const edges = graphEdges(k, cause);
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  const label = (n: string) => n.slice(n.indexOf(':') + 1);
  if (format === 'mermaid') {
    const shape = (n: string) => (n.startsWith('fact:') ? `(["${label(n)}"])` : n.startsWith('rule:') ? `["${label(n)}"]` : `{{"${label(n)}"}}`);
    const lines = ['flowchart LR', ...nodes.map((n) => `  ${nodeId(n)}${shape(n)}`)];
    for (const e of edges) lines.push(`  ${nodeId(e.from)} ${e.label?.startsWith('excludes') ? '-. excludes .->' : e.label ? `-- ${e.label} -->` : '-->'} ${nodeId(e.to)}`);
    return `${lines.join('\n')}\n`;
  }
  const shape = (n: string) => (n.startsWith('fact:') ? 'ellipse' : n.startsWith('rule:') ? 'box' : 'doubleoctagon');
  const lines = ['digraph kb {', '  rankdir=LR;', ...nodes.map((n) => `  ${nodeId(n)} [label="${label(n)}", shape=${shape(n)}];`)];
  for (const e of edges) lines.push(`  ${nodeId(e.from)} -> ${nodeId(e.to)}${e.label ? ` [label="${e.label}"${e.label.startsWith('excludes') ? ', style=dashed' : ''}]` : ''};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export async function graphCommand(args: string[]): Promise<number> {
  const { values } = parse('graph', args, { cause: { type: 'string' }, format: { type: 'string' } });
  const format = oneOf('format', values.format, ['mermaid', 'dot'] as const, 'mermaid');
  const k = await loadKnowledge(values.rules);
  if (values.cause && !k.causes.has(values.cause)) throw new UserError(`no cause named "${values.cause}" (see "backup-triage list causes")`);
  process.stdout.write(renderGraph(k, format, values.cause));
  return EXIT.ok;
}
