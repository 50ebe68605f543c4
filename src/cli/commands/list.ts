/** `backup-triage list causes|facts|rules` — browse the knowledge. */
import { UserError, EXIT } from '../../errors.js';
import { oneOf, parse } from '../args.js';
import { loadKnowledge } from '../context.js';

export async function listCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse('list', args, { format: { type: 'string' } }, true);
  const what = positionals[0];
  if (!what || !['causes', 'facts', 'rules'].includes(what) || positionals.length > 1) {
    throw new UserError('list needs one of: causes, facts, rules (e.g. "backup-triage list causes")');
  }
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  const k = await loadKnowledge(values.rules);
  const rows =
    what === 'causes'
      ? k.kb.causes.map((c) => ({ id: c.id, title: c.title, rules: (k.supportsByCause.get(c.id) ?? []).length }))
      : what === 'facts'
        ? k.kb.facts.map((f) => ({ id: f.id, type: f.type, question: f.question }))
        : k.kb.rules.map((r) => ({ id: r.id, cause: r.cause, effect: r.effect, strength: r.strength, rationale: r.rationale }));
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  const width = Math.max(...rows.map((r) => r.id.length), 2);
  for (const r of rows) {
    const rest =
      'title' in r ? `${r.title} (${r.rules} rules)` : 'question' in r ? `[${r.type}] ${r.question}` : `→ ${r.cause} (${r.effect}, ${r.strength}) ${r.rationale}`;
    process.stdout.write(`${r.id.padEnd(width)}  ${rest.replace(/\s+/g, ' ').trim()}\n`);
  }
  return EXIT.ok;
}
