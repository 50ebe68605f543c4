/** `backup-triage start` — the guided walk. Loaded only for interactive use. */
import { EXIT, UserError } from '../../errors.js';
import { style } from '../render/style.js';
import { parseStartArgs, START_USAGE } from '../walk/options.js';

export async function start(args: string[]): Promise<number> {
  const options = parseStartArgs(args);
  if (options.help) {
    process.stdout.write(`${START_USAGE}\n`);
    return EXIT.ok;
  }
  // Without a terminal the prompts would wait forever on a pipe: say what to use instead, at once.
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UserError(
      'start is interactive and needs a terminal; for scripts and pipes use "backup-triage diagnose --answers FILE | --fact ID=VALUE | --evidence FILE"',
      EXIT.usage,
    );
  }
  // The first question goes on screen (when the build worked it out) before the walk module, the knowledge
  // and the strategy are even loaded: the bundle keeps prompts.js and walk.js in separate chunks.
  const { quickStart } = await import('../walk/prompts.js');
  const early = await quickStart(options, style(process.stdout));
  const { runWalk } = await import('../walk/walk.js');
  return runWalk(options, early);
}
