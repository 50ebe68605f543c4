/**
 * The guided walk: one question at a time, chosen by the shared decision loop (session/walk-core.ts),
 * with help, why, ranking, evidence, back and quit at every question. All state is the session's ordered
 * entry list; it is saved atomically after every change when --session is given.
 */
import { confirm, input, select } from '@inquirer/prompts';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, UserError } from '../../errors.js';
import type { FactDef } from '../../kb/types.js';
import { formatValue, type FactRecord } from '../../inference/facts.js';
import type { Knowledge } from '../../inference/knowledge.js';
import type { QuestionChoice } from '../../strategy/next-question.js';
import { loadKnowledge } from '../context.js';
import { gatherFacts } from '../facts-input.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderText } from '../render/text.js';
import { style, type Style } from '../render/style.js';
import { addEntry, answer, answeredCount, factStateOf, newSession, reconcile, trailingUnsure, undo, withBase, type Session, type SessionFact } from '../../session/state.js';
import { defaultSessionPath, loadSession, moveAside, saveSession } from '../../session/store.js';
import { conclude, decide, outcomeOf } from '../../session/walk-core.js';
import type { StartOptions } from './options.js';
import { askFact, printHeader, type EarlyQuestion, type Pick } from './prompts.js';
import { renderHelp, renderRanking, renderWhy, transcriptOf } from './present.js';

/** Thrown by our own line reader on Ctrl-C, handled like inquirer's ExitPromptError. */
class Interrupted extends Error {
  override name = 'ExitPromptError';
}

/**
 * After this many "not sure" answers in a row, the walk points at the ways to get answers: a pasted log
 * or command output answers several questions at once, and Help gives the commands that check each one.
 */
const UNSURE_HINT = 5;
const UNSURE_HINT_TEXT =
  '  Five "not sure" answers in a row. Pasting a log or command output (Add evidence) can answer several questions at once; Help shows the commands that check each one; Quit saves the walk so you can come back with the answers.';

const isInterrupt = (e: unknown) => (e as Error | undefined)?.name === 'ExitPromptError' || e instanceof Interrupted;

class Walk {
  private readonly s: Style = style(process.stdout);
  private sessionPath?: string;
  private saveWarned = false;

  constructor(
    private readonly k: Knowledge,
    private readonly o: StartOptions,
    public session: Session,
  ) {
    this.sessionPath = o.session;
  }

  print(text = ''): void {
    process.stdout.write(`${text}\n`);
  }

  /** Persist after every change; a failing disk is a warning, not the end of the walk. */
  save(): void {
    if (!this.sessionPath) return;
    try {
      saveSession(this.sessionPath, this.session);
    } catch (e) {
      if (!this.saveWarned) this.print(this.s.yellow(`warning: could not save the session to ${this.sessionPath}: ${(e as Error).message}`));
      this.saveWarned = true;
    }
  }

  /** Ctrl-C or Quit: save where the user can find it and say how to come back. */
  interrupted(how: string): number {
    if (!this.sessionPath && this.session.entries.length) this.sessionPath = defaultSessionPath();
    this.print();
    if (this.sessionPath) {
      this.saveWarned = false;
      this.save();
      const n = answeredCount(this.session);
      const ev = this.session.entries.length - n;
      this.print(`${how}. ${n} answer${n === 1 ? '' : 's'}${ev ? ` and ${ev} evidence paste${ev === 1 ? '' : 's'}` : ''} saved in ${this.sessionPath}`);
      this.print(`Resume with: backup-triage start --session ${quote(this.sessionPath)}${this.o.rules?.length ? this.o.rules.map((r) => ` --rules ${quote(r)}`).join('') : ''}`);
    } else {
      this.print(`${how}. Nothing was answered yet, so there is nothing to save.`);
    }
    return EXIT.interrupted;
  }

  /**
   * `early`: the first question, already on screen (see quickStart) before the knowledge was loaded. It is
   * kept only when it is the question the strategy chooses now; otherwise it is withdrawn and the chosen
   * question asked instead.
   */
  async run(early?: EarlyQuestion): Promise<number> {
    for (;;) {
      const state = factStateOf(this.session);
      const decision = await decide(this.k, state);
      const first = early;
      early = undefined;
      const keep = first && decision.next?.fact === first.fact && decision.opening === first.opening && !decision.leading;
      if (first && !keep) await first.withdraw();
      if (!decision.next) break;
      // A cause is diagnosed but some answers could still overturn it: the user may stop here.
      if (decision.leading && this.offeredFor !== decision.leading.cause) {
        this.offeredFor = decision.leading.cause;
        if (await this.offerResult(decision.leading, decision.ranked.length)) break;
      }
      const q = decision.next;
      const f = this.k.facts.get(q.fact)!;
      const pick = await this.ask(f, q, decision.opening, keep ? first.pick : undefined);
      if (pick.kind === 'value') {
        this.session = answer(this.session, f.id, pick.value, f.question);
        this.save();
        if (pick.value === null && trailingUnsure(this.session) === UNSURE_HINT) this.print(this.s.dim(UNSURE_HINT_TEXT));
        continue;
      }
      switch (pick.command) {
        case 'back': {
          const prev = undo(this.session);
          if (!prev) {
            this.print(this.s.dim('  Nothing to undo: no answer given in this walk yet.'));
          } else {
            const last = this.session.entries[this.session.entries.length - 1];
            this.session = prev;
            this.save();
            this.print(this.s.dim(`  Undone: ${last.facts.map((x) => `${x.fact} = ${formatValue(this.k.facts.get(x.fact), x.value)}`).join(', ')}`));
          }
          break;
        }
        case 'evidence':
          await this.evidence();
          break;
        case 'quit':
          return this.interrupted('Stopped');
      }
    }
    return this.finish();
  }

  private offeredFor?: string;

  /** True when the user takes the diagnosis now rather than answering the questions that could overturn it. */
  async offerResult(lead: { cause: string; confidence: number }, left: number): Promise<boolean> {
    const title = this.k.causes.get(lead.cause)?.title ?? lead.cause;
    this.print(this.s.green(`Diagnosed: ${title} (${lead.cause}), confidence ${Math.round(lead.confidence * 100)}%.`));
    const pick = await select<string>({
      message: `${left} more question${left === 1 ? '' : 's'} could still change this. Show the result now?`,
      choices: [
        { name: 'Show the result now', value: 'stop' },
        { name: 'Keep answering, to rule out the alternatives', value: 'go' },
      ],
    });
    return pick === 'stop';
  }

  /** Ask one question until it gets an answer or a command that changes the walk (`shown`: its prompt, already up). */
  async ask(f: FactDef, q: QuestionChoice, opening: boolean, shown?: Promise<Pick>): Promise<Pick> {
    for (;;) {
      const pick = shown ? await shown : await askFact(f, opening, this.counter(), this.s);
      shown = undefined;
      if (pick.kind === 'value') return pick;
      switch (pick.command) {
        case 'help':
          this.print(renderHelp(f, this.o.platform, this.s));
          this.print();
          continue;
        case 'why':
          this.print(renderWhy(this.k, q, this.s));
          this.print();
          continue;
        case 'rank':
          this.print(renderRanking(this.k, await conclude(this.k, factStateOf(this.session)), this.s));
          this.print();
          continue;
        default:
          return pick;
      }
    }
  }

  private counter(): string {
    return this.s.dim(`(${answeredCount(this.session) + 1}) `);
  }

  /** Read pasted log lines (or file paths) until an empty line, and add what they show. */
  async evidence(): Promise<void> {
    this.print('Paste log lines or command output, or type file paths (one per line). Finish with an empty line.');
    const lines = await readLines();
    const text = lines.join('\n').trim();
    if (!text) {
      this.print(this.s.dim('  Nothing pasted.'));
      return;
    }
    const given = lines.map((l) => l.trim()).filter(Boolean);
    const areFiles = given.every((p) => existsSync(p) && statSync(p).isFile());
    let dir: string | undefined;
    let specs = given;
    let label = given.join(', ');
    if (!areFiles) {
      dir = mkdtempSync(join(tmpdir(), 'backup-triage-paste-'));
      const file = join(dir, 'pasted.txt');
      writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
      specs = [file];
      label = 'pasted text';
    }
    let found: Map<string, FactRecord>;
    try {
      const { readEvidenceFiles } = await import('../../evidence/read.js');
      const ev = await readEvidenceFiles(this.k, specs, { redact: this.o.redact });
      for (const w of ev.warnings) this.print(this.s.yellow(`warning: ${dir ? w.split(dir).join('') : w}`));
      found = ev.facts;
    } catch (e) {
      if (e instanceof UserError) {
        this.print(this.s.yellow(`  ${e.message}`));
        return;
      }
      throw e;
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
    const state = factStateOf(this.session);
    const facts: SessionFact[] = [];
    for (const [id, rec] of found) {
      const source = dir && rec.source.file?.startsWith(dir) ? { ...rec.source, file: 'pasted text' } : rec.source;
      const prev = state.get(id);
      const def = this.k.facts.get(id);
      if (prev && prev.value !== null && prev.source.origin !== 'evidence') {
        if (rec.value !== null && rec.value !== prev.value) {
          this.print(this.s.yellow(`  conflict on ${id}: you answered ${formatValue(def, prev.value)}, the evidence says ${formatValue(def, rec.value)}; keeping your answer (use Back to change it)`));
        }
        continue;
      }
      if (rec.value === null || (prev && prev.value === rec.value)) continue;
      facts.push({ fact: id, value: rec.value, source });
    }
    if (!facts.length) {
      this.print(this.s.dim('  Nothing new found in it.'));
      return;
    }
    this.session = addEntry(this.session, { kind: 'evidence', label, facts });
    this.save();
    for (const x of facts) {
      const where = x.source.text ? ` — "${x.source.text.trim().slice(0, 100)}"` : '';
      this.print(`  ${this.s.green('found')} ${x.fact} = ${formatValue(this.k.facts.get(x.fact), x.value)}${where}`);
    }
  }

  async finish(): Promise<number> {
    const state = factStateOf(this.session);
    const d = await conclude(this.k, state);
    const n = answeredCount(this.session);
    this.session = { ...this.session, finished: { status: d.status, ...(d.status === 'diagnosed' ? { cause: outcomeOf(d) } : {}) } };
    this.save();
    this.print();
    this.print(renderText(this.k, d, this.s));
    this.print();
    this.print(this.s.dim(`(${n} question${n === 1 ? '' : 's'} answered${this.sessionPath ? `; session in ${this.sessionPath}` : ''})`));
    let report = this.o.report;
    if (!report) {
      const want = await confirm({ message: 'Save a Markdown report of this walk (for a ticket)?', default: false });
      if (want) report = (await input({ message: 'Report file:', default: 'backup-triage-report.md', required: true })).trim();
    }
    if (report) {
      try {
        writeFileSync(report, renderMarkdown(this.k, d, transcriptOf(this.k, this.session)));
        this.print(`Report written to ${report}`);
      } catch (e) {
        this.print(this.s.red(`could not write the report to ${report}: ${(e as Error).message}`));
      }
    }
    return EXIT.ok;
  }
}

function quote(p: string): string {
  return /^[\w./:@%+=-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

/** Lines until an empty line or end of input; Ctrl-C interrupts like at a prompt. */
function readLines(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true, prompt: '> ' });
    const lines: string[] = [];
    let settled = false;
    const end = (err?: Error) => {
      if (settled) return;
      settled = true;
      rl.close();
      if (err) reject(err);
      else resolve(lines);
    };
    rl.on('line', (line) => {
      if (!line.trim() && lines.length) return end();
      if (!line.trim()) return end();
      lines.push(line);
      rl.prompt();
    });
    rl.on('SIGINT', () => end(new Interrupted('interrupted')));
    rl.on('close', () => end());
    rl.prompt();
  });
}

/** `early`: the first question, when quickStart (prompts.ts) has already put it on screen. */
export async function runWalk(o: StartOptions, early?: EarlyQuestion): Promise<number> {
  const s = style(process.stdout);
  const k = await loadKnowledge(o.rules);
  const gathered = await gatherFacts(k, { answers: o.answers, facts: o.facts, evidence: o.evidence, redact: o.redact });
  for (const w of gathered.warnings) process.stdout.write(`${s.yellow(`warning: ${w}`)}\n`);
  for (const c of gathered.conflicts) process.stdout.write(`${s.yellow(`warning: ${c.message}`)}\n`);

  let session: Session | undefined;
  let resumed = false;
  if (o.session && o.fresh) {
    const bak = moveAside(o.session);
    if (bak) process.stdout.write(`${s.dim(`Starting fresh; the old session was kept as ${bak}`)}\n`);
  } else if (o.session) {
    session = loadSession(o.session);
    resumed = Boolean(session);
  }
  if (session) {
    const r = reconcile(k, session);
    session = withBase(r.session, gathered.state);
    for (const w of r.warnings) process.stdout.write(`${s.yellow(`warning: ${w}`)}\n`);
  } else {
    session = newSession(gathered.state);
  }

  const walk = new Walk(k, o, session);
  if (!early) printHeader(s, k.kb.causes.length, k.kb.rules.length, o.platform);
  if (resumed) {
    const n = answeredCount(session);
    walk.print(`Resumed ${o.session}: ${n} answer${n === 1 ? '' : 's'} so far.`);
  } else if (o.session) {
    walk.print(s.dim(`Answers are saved to ${o.session} after each one.`));
    walk.save();
  }
  const given = session.base.length;
  if (given) walk.print(s.dim(`${given} fact${given === 1 ? '' : 's'} already given (--answers/--fact/--evidence); those are not asked.`));
  if (!early) walk.print();

  // Ctrl-C between prompts (while thinking) arrives as a signal: save and leave the same way.
  const onSigint = () => process.exit(walk.interrupted('Interrupted'));
  process.on('SIGINT', onSigint);
  try {
    return await walk.run(early);
  } catch (e) {
    if (isInterrupt(e)) return walk.interrupted('Interrupted');
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
