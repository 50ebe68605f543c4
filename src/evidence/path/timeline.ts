/**
 * Where the job stands at each line of a paste. Admins' marks ("# job started", "--- during the backup ---",
 * "# while iperf runs") split a transcript into before / during / after; a time named in a start mark
 * ("# job started 15:06:10", or a `date` line next to it) splits timed samples by the clock instead.
 * Two scopes: "job" (the backup or replication itself, for reachability) and "load" (the job or any other
 * transfer such as iperf, for round-trip times under load).
 */
import type { Mark } from '../transcript.js';
import { readStamp, secondsBetween, type Stamp } from '../time.js';

export type Phase = 'before' | 'during' | 'after' | 'unknown';
export type Scope = 'job' | 'load';

/** A time with what it is measured against: UTC (ping -D epochs, `date -u`) or the host's local clock. */
export interface Clock {
  stamp: Stamp;
  utc: boolean;
}

interface PhaseMark {
  line: number;
  phase: 'before' | 'start' | 'during' | 'end';
  /** The mark names the job itself (not only a load such as iperf). */
  job: boolean;
}

const MAX_MARKS = 10_000;
const JOB_WORDS = /\b(?:job|backup|replication|restore|duplication|transfer|replicate|sync)s?\b/i;
const UTC_WORDS = /\b(?:UTC|GMT|Z)\b|[+-]00:?00\b/;

/** A stamp with a time of day somewhere in a note ("job started at 15:06:10"), read token by token. */
export function stampIn(text: string): Clock | undefined {
  const limit = Math.min(text.length, 200);
  for (let i = 0; i < limit; i++) {
    if (i > 0 && text[i - 1] !== ' ' && text[i - 1] !== '(' && text[i - 1] !== '[' && text[i - 1] !== '@') continue;
    const st = readStamp(text, i);
    if (st && text.slice(i, st.end).includes(':')) return { stamp: st, utc: UTC_WORDS.test(text) };
  }
  return undefined;
}

/** Is the clock of `a` comparable with that of `b` (both UTC or both local)? */
export function comparable(a: Clock, b: Clock): boolean {
  return a.utc === b.utc;
}

export class Timeline {
  private readonly marks: PhaseMark[] = [];
  private readonly times: { line: number; clock: Clock }[] = [];
  /** When the job started, if a start mark (or a time line beside it) says so. */
  jobStart?: Clock & { line: number };
  private startLineWithoutTime?: number;

  add(no: number, mark: Mark): void {
    if (mark.kind === 'time') {
      if (this.times.length < MAX_MARKS) this.times.push({ line: no, clock: { stamp: mark.stamp, utc: UTC_WORDS.test(mark.text) } });
      // "# job started" followed (or preceded) by a `date` line: that is when it started
      if (!this.jobStart && this.startLineWithoutTime !== undefined && no - this.startLineWithoutTime <= 2) this.jobStart = { ...this.times[this.times.length - 1].clock, line: no };
      return;
    }
    // a note with no time and no job phase says nothing about when a probe ran
    if (mark.kind !== 'job' || this.marks.length >= MAX_MARKS) return;
    const job = JOB_WORDS.test(mark.text);
    this.marks.push({ line: no, phase: mark.phase, job });
    if (job && mark.phase === 'start' && !this.jobStart) {
      const at = stampIn(mark.text);
      if (at) this.jobStart = { ...at, line: no };
      else {
        const prev = this.times[this.times.length - 1];
        if (prev && no - prev.line <= 2) this.jobStart = { ...prev.clock, line: no };
        else this.startLineWithoutTime = no;
      }
    }
  }

  /** Were there marks of this scope at all? */
  hasMarks(scope: Scope): boolean {
    return this.marks.some((m) => scope === 'load' || m.job);
  }

  /** The phase of output line `line` by the marks around it. */
  phaseAt(line: number, scope: Scope): Phase {
    let last: PhaseMark | undefined;
    let laterStart = false;
    for (const m of this.marks) {
      if (scope === 'job' && !m.job) continue;
      if (m.line < line) last = m;
      else if (m.phase === 'start' || m.phase === 'during') {
        laterStart = true;
        break;
      }
    }
    if (last) return last.phase === 'before' ? 'before' : last.phase === 'end' ? 'after' : 'during';
    return laterStart ? 'before' : 'unknown';
  }

  /** The phase of a timed sample by the job's start time, when both clocks compare. */
  phaseAtTime(at: Clock): Phase | undefined {
    if (!this.jobStart || !comparable(this.jobStart, at)) return undefined;
    return secondsBetween(this.jobStart.stamp, at.stamp) < 0 ? 'before' : 'during';
  }

  /** A time line (`date` output) at most `within` lines before `line`. */
  timeBefore(line: number, within: number): Clock | undefined {
    for (let i = this.times.length - 1; i >= 0; i--) {
      const t = this.times[i];
      if (t.line >= line) continue;
      return line - t.line <= within ? t.clock : undefined;
    }
    return undefined;
  }
}
