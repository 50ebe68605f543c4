import { describe, expect, it } from 'vitest';
import { commandList } from '../../src/evidence/command-list.js';
import { classifyLine } from '../../src/evidence/transcript.js';

const cmdOf = (line: string) => {
  const c = classifyLine(line);
  if (c.kind !== 'command') throw new Error(`not a command: ${line}`);
  return c.cmd;
};

describe('command lists', () => {
  it('splits at ; and && outside quotes, keeping prompt and host', () => {
    const parts = commandList(cmdOf('[root@triumph ~]# getenforce; sestatus && echo "a;b"'));
    expect(parts.map((p) => p.stages[0].name)).toEqual(['getenforce', 'sestatus', 'echo']);
    expect(parts[2].stages[0].args).toEqual(['a;b']);
    expect(parts.every((p) => p.host === 'triumph')).toBe(true);
  });
  it('a single command is itself; pipes stay inside their part', () => {
    const one = cmdOf('$ lsmod | grep amanda');
    expect(commandList(one)).toEqual([one]);
    const parts = commandList(cmdOf('$ lsmod | grep amanda; echo $?'));
    expect(parts[0].stages.map((s) => s.name)).toEqual(['lsmod', 'grep']);
  });
});
