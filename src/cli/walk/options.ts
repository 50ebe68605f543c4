/** Options of `backup-triage start`, parsed before anything interactive is loaded. */
import { oneOf, parse } from '../args.js';

export const PLATFORMS = ['linux', 'windows', 'aix', 'solaris', 'hpux'] as const;
export type Platform = (typeof PLATFORMS)[number];

export function detectPlatform(p: NodeJS.Platform = process.platform): Platform {
  switch (p) {
    case 'win32':
      return 'windows';
    case 'aix':
      return 'aix';
    case 'sunos':
      return 'solaris';
    default:
      return 'linux';
  }
}

export const START_USAGE = `usage: backup-triage [start] [options]

Guided walk: one question at a time to the root cause (needs an interactive terminal;
without one use "backup-triage diagnose").

options:
  --session FILE        save answers after every answer; resume an earlier walk from FILE
  --fresh               with --session: start over (an existing FILE is kept as FILE.bak)
  --report FILE.md      write a Markdown report of the walk at the end
  --answers FILE        facts already known (YAML), never asked (repeatable)
  --fact ID=VALUE       a fact already known, never asked (repeatable)
  --evidence FILE       log/command output to read facts from (repeatable)
  --platform NAME       commands in help for linux|windows|aix|solaris|hpux (default: this machine)
  --rules DIR           add a site's own knowledge directory (repeatable)
  --no-redact           show secrets found in evidence

at every question: Help, Why this question, Ranking so far, Add evidence, Back (undo), Quit.
Ctrl-C saves the session and prints how to resume (exit 130).`;

export interface StartOptions {
  help: boolean;
  session?: string;
  fresh: boolean;
  report?: string;
  answers: string[];
  facts: string[];
  evidence: string[];
  platform: Platform;
  rules?: string[];
  redact: boolean;
}

const parseStartValues = (args: string[]) =>
  parse('start', args, {
    session: { type: 'string', short: 's' },
    fresh: { type: 'boolean' },
    report: { type: 'string' },
    answers: { type: 'string', short: 'a', multiple: true },
    fact: { type: 'string', short: 'f', multiple: true },
    evidence: { type: 'string', short: 'e', multiple: true },
    platform: { type: 'string' },
  }).values;

export function parseStartArgs(args: string[]): StartOptions {
  // A bare `start` (the usual walk) has nothing to parse; node:util's parseArgs costs ~0.7 ms on first use.
  const values: ReturnType<typeof parseStartValues> = args.length ? parseStartValues(args) : {};
  return {
    help: Boolean(values.help),
    session: values.session,
    fresh: Boolean(values.fresh),
    report: values.report,
    answers: values.answers ?? [],
    facts: values.fact ?? [],
    evidence: values.evidence ?? [],
    platform: oneOf('platform', values.platform?.toLowerCase(), PLATFORMS, detectPlatform()),
    rules: values.rules,
    redact: !values['no-redact'],
  };
}
