/** `backup-triage diagnose`: the non-interactive front end for helpdesk scripts. */
import { oneOf, parse } from '../args.js';
import { loadKnowledge } from '../context.js';
import { gatherFacts } from '../facts-input.js';
import { diagnose } from '../../inference/diagnose.js';
import { renderJson } from '../render/json.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderText } from '../render/text.js';
import { EXIT } from '../../errors.js';
import { style } from '../render/style.js';

export async function diagnoseCommand(args: string[]): Promise<number> {
  const { values } = parse('diagnose', args, {
    answers: { type: 'string', short: 'a', multiple: true },
    fact: { type: 'string', short: 'f', multiple: true },
    evidence: { type: 'string', short: 'e', multiple: true },
    format: { type: 'string' },
    questions: { type: 'string' },
  });
  const format = oneOf('format', values.format, ['text', 'json', 'markdown'] as const, 'text');
  const k = await loadKnowledge(values.rules);
  const gathered = await gatherFacts(k, {
    answers: values.answers,
    facts: values.fact,
    evidence: values.evidence,
    redact: !values['no-redact'],
  });
  for (const w of gathered.warnings) process.stderr.write(`warning: ${w}\n`);
  for (const c of gathered.conflicts) process.stderr.write(`warning: ${c.message}\n`);
  const result = await diagnose(k, gathered.state, { questions: Number(values.questions ?? 5) || 5 });
  const out =
    format === 'json'
      ? renderJson(result, gathered.conflicts)
      : format === 'markdown'
        ? renderMarkdown(k, result, [])
        : renderText(k, result, style(process.stdout));
  process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
  return EXIT.ok;
}
