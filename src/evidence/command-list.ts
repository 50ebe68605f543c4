/**
 * A command line that runs several commands one after another (`getenforce; sestatus`, `ndd /dev/tcp a;
 * ndd /dev/tcp b`, `systemctl status xinetd && ls /etc/xinetd.d/`): each part read as its own command, in
 * order, so a reader knows which outputs follow. A line without `;` or `&&` is its one part.
 */
import { classifyLine, type CommandLine } from './transcript.js';

/** Splits at `;` and `&&` outside quotes and braces. */
function splitList(command: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = '';
  let depth = 0;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i];
    if (q) {
      if (ch === q) q = '';
      cur += ch;
    } else if (ch === '"' || ch === "'") {
      q = ch;
      cur += ch;
    } else if (ch === '{' || ch === '(') {
      depth++;
      cur += ch;
    } else if (ch === '}' || ch === ')') {
      depth = Math.max(0, depth - 1);
      cur += ch;
    } else if (depth === 0 && (ch === ';' || (ch === '&' && command[i + 1] === '&'))) {
      if (ch === '&') i++;
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** The commands of a command line, in the order they run (the line itself when it is one command). */
export function commandList(cmd: CommandLine): CommandLine[] {
  if (!cmd.command.includes(';') && !cmd.command.includes('&&')) return [cmd];
  const parts = splitList(cmd.command);
  if (parts.length <= 1) return [cmd];
  const out: CommandLine[] = [];
  for (const p of parts.slice(0, 32)) {
    const c = classifyLine(`$ ${p}`);
    if (c.kind === 'command') out.push({ ...c.cmd, prompt: cmd.prompt, host: cmd.host });
  }
  return out.length ? out : [cmd];
}
