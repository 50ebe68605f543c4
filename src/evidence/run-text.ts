/**
 * One reader over a text held in memory, routed as the file scanner routes lines: command lines and marks
 * go to command() and mark(), output lines to line(). Reader samples, tests and pasted text use it.
 */
import type { Observation, ParserDef, Withheld } from './parsers/types.js';
import { Transcript } from './transcript.js';

export interface TextReading {
  observations: Observation[];
  withheld: Withheld[];
}

export function readTextWith(def: ParserDef, text: string): TextReading {
  const withheld: Withheld[] = [];
  const p = def.create({ withhold: (about, why, line) => void withheld.push({ about, why, ...(line ? { line } : {}) }) });
  const t = new Transcript();
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((line, i) => {
    const no = i + 1;
    const c = t.read(line);
    if (c.kind === 'command') p.command?.(no, c.cmd);
    if (c.kind === 'note' && c.prompt) p.prompt?.(no);
    if (c.kind !== 'output' && c.mark) p.mark?.(no, c.mark);
    if (c.kind === 'output') p.line(no, line);
  });
  const observations = p.finish();
  if (t.host) for (const o of observations) o.host ??= t.host;
  return { observations, withheld };
}
