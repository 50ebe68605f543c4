/**
 * Command dispatch. Each command lives in its own module and is imported only when used, so
 * `diagnose --format json` never loads the interactive prompts, and start-up stays small.
 */
import { EXIT, UserError } from '../errors.js';

const USAGE = `backup-triage — find the root cause of a backup connectivity failure

usage:
  backup-triage [start] [--session FILE] [--report FILE.md]   guided interactive walk (needs a terminal)
  backup-triage diagnose [--answers FILE.yaml] [--fact ID=VALUE ...] [--evidence FILE ...] [--format text|json|markdown]
  backup-triage evidence FILE ... [--format text|json]         what the evidence files say
  backup-triage list causes|facts|rules [--format text|json]
  backup-triage show CAUSE|FACT|RULE
  backup-triage validate [PATH ...] [--strict]                 check knowledge files
  backup-triage test [PATH ...] [--coverage]                    run every rule's examples
  backup-triage new rule|cause|fact [--id ID] [--out FILE]      scaffold a knowledge file
  backup-triage docs [--out FILE] [--check]                     write the KB reference (Markdown)
  backup-triage graph [--cause ID] [--format mermaid|dot]       draw facts → rules → causes

common options:
  --rules DIR        add a site's own knowledge directory (repeatable; also BACKUP_TRIAGE_RULES)
  --no-shipped       use only the --rules directories, not the shipped knowledge base
  --no-redact        show secrets found in evidence (redacted by default)
  -h, --help         this help

exit codes: 0 ran (diagnosed or inconclusive), 1 checks failed (validate/test), 2 bad usage or input,
            130 interrupted (session saved)`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./commands/start.js')).start,
  diagnose: async () => (await import('./commands/diagnose.js')).diagnoseCommand,
  evidence: async () => (await import('./commands/evidence.js')).evidenceCommand,
  list: async () => (await import('./commands/list.js')).listCommand,
  show: async () => (await import('./commands/show.js')).showCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  test: async () => (await import('./commands/test.js')).testCommand,
  new: async () => (await import('./commands/new.js')).newCommand,
  docs: async () => (await import('./commands/docs.js')).docsCommand,
  graph: async () => (await import('./commands/graph.js')).graphCommand,
};

export async function run(argv: string[]): Promise<number> {
  try {
    if (argv.includes('--no-shipped')) {
      process.env.BACKUP_TRIAGE_SHIPPED = '0';
      argv = argv.filter((a) => a !== '--no-shipped');
    }
    const [first, ...rest] = argv;
    if (first === '-h' || first === '--help' || first === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (first === '--version' || first === '-v') {
      process.stdout.write('backup-triage 0.1.0\n');
      return EXIT.ok;
    }
    const name = !first || first.startsWith('-') ? 'start' : first;
    const args = !first || first.startsWith('-') ? argv : rest;
    const load = COMMANDS[name];
    if (!load) throw new UserError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; see --help)`);
    if (!OWN_HELP.has(name) && wantsHelp(args)) {
      process.stdout.write(`${commandHelp(name)}\n`);
      return EXIT.ok;
    }
    return await (await load())(args);
  } catch (e) {
    return reportError(e);
  }
}

/** Commands that print a fuller help of their own. */
const OWN_HELP = new Set(['start', 'evidence']);

/** -h/--help among the arguments (before a `--`, after which everything is positional). */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help');
}

/** One command's help: its usage lines from USAGE, the common options and the exit codes. */
function commandHelp(name: string): string {
  const lines = USAGE.split('\n');
  const usage = lines.filter((l) => l.startsWith(`  backup-triage ${name} `) || l === `  backup-triage ${name}`);
  const common = lines.slice(lines.indexOf('common options:'));
  return [`usage:`, ...usage, '', ...common].join('\n');
}

/**
 * Error messages quote user input (paths, flag values), which may hold newlines or other control
 * characters; escape them so an error is always one line on stderr.
 */
// eslint-disable-next-line no-control-regex
const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function reportError(e: unknown): number {
  if (e instanceof UserError) {
    process.stderr.write(`backup-triage: ${oneLine(e.message)}\n`);
    return e.exitCode;
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EPIPE') return EXIT.ok;
  // An unexpected failure is still one line; set BACKUP_TRIAGE_DEBUG=1 for the stack.
  process.stderr.write(`backup-triage: internal error: ${oneLine(String(err?.message ?? e))} (please report it; BACKUP_TRIAGE_DEBUG=1 shows details)\n`);
  if (process.env.BACKUP_TRIAGE_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
  return 70;
}
