/**
 * The prompt for one question, and the walk's first screen. Needs the fact only, not the knowledge: a plain
 * `start` shows its first question from here (quickStart) before the walk module, the knowledge base and
 * the strategy are loaded, so this module imports nothing beyond the prompt library and small helpers.
 */
import { input, select, Separator } from '@inquirer/prompts';
import type { FactDef, FactValue } from '../../kb/types.js';
import { readWalkStart, siteRuleDirs } from '../../kb/artefact.js';
import type { Style } from '../render/style.js';
import type { StartOptions } from './options.js';
import { parseTypedAnswer, type MenuCommand, NUMBER_COMMANDS_HINT } from './typed-answer.js';

export type Pick = { kind: 'value'; value: FactValue | null } | { kind: 'command'; command: MenuCommand };

function commandChoices(): { name: string; value: string }[] {
  return [
    { name: 'Help: how do I check this?', value: 'cmd:help' },
    { name: 'Why this question?', value: 'cmd:why' },
    { name: 'Ranking so far', value: 'cmd:rank' },
    { name: 'Add evidence (paste log lines or a file path)', value: 'cmd:evidence' },
    { name: 'Back (undo the last answer)', value: 'cmd:back' },
    { name: 'Quit (save and exit)', value: 'cmd:quit' },
  ];
}

/** The prompt for one fact; `counter` is the "(n) " before the question. */
export function askFact(f: FactDef, opening: boolean, counter: string, s: Style, signal?: AbortSignal): Promise<Pick> {
  return f.type === 'number' ? askNumber(f, counter, s, signal) : askChoice(f, opening, counter, signal);
}

async function askChoice(f: FactDef, opening: boolean, counter: string, signal?: AbortSignal): Promise<Pick> {
  const answers: { name: string; value: string }[] =
    f.type === 'boolean'
      ? [
          { name: 'Yes', value: 'v:yes' },
          { name: 'No', value: 'v:no' },
        ]
      : (f.choices ?? []).map((c, i) => ({ name: c.label, value: `v:${i}` }));
  answers.push({ name: opening ? 'Skip (not sure)' : 'Not sure', value: 'v:unsure' });
  const choices = [...answers, new Separator(), ...commandChoices()];
  const picked = await select<string>({ message: `${counter}${f.question.trim()}`, choices, pageSize: choices.length, loop: false }, { signal });
  if (picked.startsWith('cmd:')) return { kind: 'command', command: picked.slice(4) as MenuCommand };
  const v = picked.slice(2);
  if (v === 'unsure') return { kind: 'value', value: null };
  if (f.type === 'boolean') return { kind: 'value', value: v === 'yes' };
  return { kind: 'value', value: f.choices![Number(v)].value };
}

async function askNumber(f: FactDef, counter: string, s: Style, signal?: AbortSignal): Promise<Pick> {
  const unit = f.unit ? `number in ${f.unit}` : 'number';
  const raw = await input(
    {
      message: `${counter}${f.question.trim()} ${s.dim(`[${unit}; or: not sure, ${NUMBER_COMMANDS_HINT}]`)}`,
      validate: (text) => {
        const r = parseTypedAnswer(f, text);
        return r.kind === 'error' ? r.message : true;
      },
      theme: { validationFailureMode: 'clear' },
    },
    { signal },
  );
  const r = parseTypedAnswer(f, raw);
  if (r.kind === 'error') throw new Error(r.message); // validate() already refused these
  return r;
}

/** The first question, put on screen before the knowledge is loaded and the strategy has run. */
export interface EarlyQuestion {
  fact: string;
  opening: boolean;
  pick: Promise<Pick>;
  /** Take the prompt off the screen (it was not the question the strategy chose). */
  withdraw(): Promise<void>;
}

/**
 * A plain \`start\` (no session, no given facts, no site rules, fresh artefact) always opens with the same
 * question: the build works it out with the same decision code (scripts/bundle.mjs → walk-start.json) for
 * the artefact it was built from. Showing it at once, before loading the walk and the knowledge base and
 * ranking the questions, puts it on screen sooner; the walk still ranks them and keeps it only if it is the
 * one chosen. Resolves once the prompt is drawn.
 */
export async function quickStart(o: StartOptions, s: Style): Promise<EarlyQuestion | undefined> {
  if (o.session || o.answers.length || o.facts.length || o.evidence.length || siteRuleDirs(o.rules ?? []).length) return undefined;
  const hint = readWalkStart();
  if (!hint) return undefined;
  printHeader(s, hint.causes, hint.rules, o.platform);
  process.stdout.write('\n');
  const abort = new AbortController();
  const pick = askFact(hint.fact, hint.opening, s.dim('(1) '), s, abort.signal);
  // A rejection (Ctrl-C) before the walk awaits it must not count as unhandled; the walk still sees it.
  pick.catch(() => undefined);
  // The prompt renders one setImmediate after it is created: let it reach the screen before the heavy work.
  await new Promise((r) => setImmediate(r));
  return {
    fact: hint.fact.id,
    opening: hint.opening,
    pick,
    withdraw: async () => {
      abort.abort();
      await pick.catch(() => undefined);
    },
  };
}

export function printHeader(s: Style, causes: number, rules: number, platform: string): void {
  process.stdout.write(`${s.bold('backup-triage — guided walk to the root cause')}\n`);
  process.stdout.write(
    `${s.dim(`${causes} causes, ${rules} rules; help commands for ${platform}. Every question also offers Help, Why, Ranking, Evidence, Back and Quit.`)}\n`,
  );
}
