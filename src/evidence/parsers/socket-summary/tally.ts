/**
 * What the socket-summary reader found in one file, kept as it goes and turned into observations at the
 * end: the largest host-wide count of each state, counts of partial views apart, the TIME_WAIT share of
 * the worst moment, counted totals paired with the state counts beside them, and single verdicts.
 */
import type { Observation } from '../types.js';
import { round } from '../types.js';
import type { Scope } from './views.js';

/** A share of a handful of sockets says little; shares are reported from this many TCP sockets on. */
export const MIN_SOCKETS_FOR_SHARE = 20;
/** Counted results this many places apart or fewer may be paired (a state count and the total beside it). */
const PAIR_DISTANCE = 2;

interface Counted {
  kind: 'state' | 'total';
  /** The command line and loop turn that printed it: counts of one turn are paired first. */
  batch: string;
  state?: string;
  scope: Scope;
  n: number;
  line: number;
  text: string;
  host?: string;
}

interface Where {
  line: number;
  text: string;
  host?: string;
}

export class Tally {
  private readonly counts = new Map<string, { n: number } & Where>();
  private readonly shown = new Map<string, { n: number } & Where>();
  private share?: { tw: number; total: number; pct: number; how: string } & Where;
  private readonly counted: Counted[] = [];
  private readonly single = new Map<string, Observation>();

  /** A host-wide count of sockets in a state. */
  count(state: string, n: number, w: Where): void {
    const e = this.counts.get(state);
    if (!e || n > e.n) this.counts.set(state, { n, ...w });
  }

  /** A count of the sockets in a state that a filtered or cut view shows. */
  shownCount(state: string, n: number, w: Where): void {
    const e = this.shown.get(state);
    if (!e || n > e.n) this.shown.set(state, { n, ...w });
  }

  /** A TIME_WAIT share candidate: `tw` of `total` TCP sockets, `how` saying how the total was reckoned. */
  timeWait(tw: number, total: number, how: string, w: Where): boolean {
    if (total < MIN_SOCKETS_FOR_SHARE || tw > total) return false;
    const pct = (100 * tw) / total;
    if (!this.share || pct > this.share.pct) this.share = { tw, total, pct, how, ...w };
    return true;
  }

  /** A count printed by a counted command, kept in order for pairing. */
  addCounted(c: Counted): void {
    if (this.counted.length < 200_000) this.counted.push(c);
  }

  /** An observation that is one verdict per file; a `true` (the worse reading) is kept over a `false`. */
  set(o: Observation): void {
    const e = this.single.get(o.key);
    if (!e || (e.value === false && o.value === true)) this.single.set(o.key, o);
  }

  /**
   * Pairs each counted TIME_WAIT figure with the nearest counted total of the same kind of listing (TCP of
   * the same families, same host) and offers the share; says why when the only total beside it is mixed.
   */
  pairCounts(withhold: (about: string, why: string, line?: number) => void): void {
    this.counted.forEach((c, i) => {
      if (c.kind !== 'state' || c.state !== 'TIME_WAIT') return;
      let best: { t: Counted; rank: number } | undefined;
      let mixed: Counted | undefined;
      for (let j = Math.max(0, i - PAIR_DISTANCE); j <= Math.min(this.counted.length - 1, i + PAIR_DISTANCE); j++) {
        const t = this.counted[j];
        if (t.kind !== 'total' || (t.host && c.host && t.host !== c.host)) continue;
        if (t.scope === 'mixed') mixed ??= t;
        else if (t.scope === c.scope) {
          // same command line and turn first, then the nearer
          const rank = (t.batch === c.batch ? 0 : 10) + Math.abs(j - i);
          if (!best || rank < best.rank) best = { t, rank };
        }
      }
      if (best) {
        const t = best.t;
        if (!this.timeWait(c.n, t.n, `counted: ${c.text}; all TCP sockets: ${t.text}`, { line: c.line, text: `${c.text}; ${t.text}`, host: c.host })) {
          withhold('socket_summary.time_wait_pct', `${c.n} TIME_WAIT against a total of ${t.n}: too few sockets for a share, or counts that do not fit`, c.line);
        }
      } else if (mixed) {
        withhold('socket_summary.time_wait_pct', `the total beside it (${mixed.text}) also counts sockets of other protocols (udp, unix) and header lines: no TIME_WAIT share from it`, mixed.line);
      }
    });
  }

  observations(): Observation[] {
    const out: Observation[] = [];
    if (this.share) {
      const s = this.share;
      out.push({ key: 'socket_summary.time_wait_pct', value: round(s.pct), line: s.line, text: `${s.tw} of ${s.total} TCP sockets (${round(s.pct)}%) in TIME_WAIT; ${s.how}`, host: s.host });
      out.push({ key: 'socket_summary.tcp_total', value: s.total, line: s.line, text: s.text, host: s.host });
    }
    for (const [st, e] of this.counts) out.push({ key: `socket_summary.count.${st}`, value: e.n, line: e.line, text: e.text, host: e.host });
    for (const [st, e] of this.shown) if (!this.counts.has(st)) out.push({ key: `socket_summary.shown.${st}`, value: e.n, line: e.line, text: e.text, host: e.host });
    out.push(...this.single.values());
    return out;
  }
}
