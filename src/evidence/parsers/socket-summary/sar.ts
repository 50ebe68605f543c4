/**
 * sysstat's `sar -n SOCK` (totsck tcpsck udpsck rawsck ip-frag tcp-tw) and `sar -n TCP` (active/s
 * passive/s iseg/s oseg/s), read by their header: a table starts with a time and the column names, its
 * rows with a time (12- or 24-hour clock) and one number per column. "Average:" (or its translation) and
 * any row without a time is a summary, never a sample. Several tables (`sar -n SOCK,TCP`, a header repeated
 * after a restart) are told apart by their columns.
 */
import { readStamp, secondsBetween, type Stamp } from '../../time.js';

export interface SockSample {
  line: number;
  text: string;
  /** Time of day the sample was taken. */
  at: Stamp;
  /** Seconds since the first sample (across midnight when the times wrap). */
  elapsed: number;
  tcpsck: number;
  tw: number;
}

export interface SarReading {
  sock: SockSample[];
  /** Highest active opens per second of `sar -n TCP`, with its row. */
  activePeak?: { value: number; line: number; text: string };
}

type Table = { kind: 'sock' | 'tcp' | 'other'; cols: string[] };

/** Most samples kept; a month of 10-minute samples is far below it. */
const MAX_SAMPLES = 200_000;

/** A sar number: "12", "3.50", "3,50" (locales with a decimal comma). */
function sarNumber(t: string): number | undefined {
  return /^\d{1,12}(?:[.,]\d{1,4})?$/.test(t) ? Number(t.replace(',', '.')) : undefined;
}

export function createSarReader(): { line(no: number, text: string): boolean; result(): SarReading } {
  let table: Table | undefined;
  const sock: SockSample[] = [];
  let activePeak: SarReading['activePeak'];
  let first: Stamp | undefined;
  let prev: Stamp | undefined;
  let elapsed = 0;
  return {
    /** True when the line belongs to a sar table (header or row). */
    line(no, text) {
      const st = readStamp(text, 0);
      if (!st || st.dated) {
        // "Average:" and blank lines end nothing: the same table may go on after a restart line
        return table !== undefined && /^\S+:\s/.test(text.trimStart()) && text.trim().split(/\s+/).slice(1).every((t) => sarNumber(t) !== undefined);
      }
      const rest = text.slice(st.end).trim().split(/\s+/);
      if (rest.some((t) => t === 'totsck' || t === 'tcp-tw')) {
        table = { kind: 'sock', cols: rest };
        return true;
      }
      if (rest.includes('active/s') && rest.includes('passive/s')) {
        table = { kind: 'tcp', cols: rest };
        return true;
      }
      if (rest.length > 2 && rest.every((t) => /^[%a-z][\w/%-]*$/i.test(t)) && rest.some((t) => t.includes('/s') || t.startsWith('%'))) {
        // another sar table (ETCP, DEV, CPU…): its rows are not ours
        table = { kind: 'other', cols: rest };
        return true;
      }
      if (!table) return false;
      const values = rest.map(sarNumber);
      if (values.length !== table.cols.length || values.some((v) => v === undefined)) return false;
      const v = (name: string) => values[table!.cols.indexOf(name)];
      if (table.kind === 'sock') {
        const tcpsck = v('tcpsck');
        const tw = v('tcp-tw');
        if (tcpsck === undefined || tw === undefined) return true;
        if (first && prev) elapsed += secondsBetween(prev, st);
        first ??= st;
        prev = st;
        if (sock.length < MAX_SAMPLES) sock.push({ line: no, text: text.trim(), at: st, elapsed, tcpsck, tw });
      } else if (table.kind === 'tcp') {
        const active = v('active/s');
        if (active !== undefined && (!activePeak || active > activePeak.value)) activePeak = { value: active, line: no, text: text.trim() };
      }
      return true;
    },
    result: () => ({ sock, ...(activePeak ? { activePeak } : {}) }),
  };
}

export type Trend = 'rising' | 'falling' | 'steady' | 'peaked';

export interface TwTrend {
  trend: Trend;
  start: number;
  end: number;
  peak: SockSample;
  hours: number;
}

/** Median of a short list. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Smallest change in TIME_WAIT sockets that is a trend and not noise. */
const MIN_TREND_CHANGE = 500;

/**
 * How TIME_WAIT moved over the samples: the median of the first quarter against that of the last quarter
 * (rising or falling when one is at least twice the other and they differ by 500 sockets or more), or
 * a peak in between twice as high as both ends. Four samples at least.
 */
export function twTrend(samples: readonly SockSample[]): TwTrend | undefined {
  if (samples.length < 4) return undefined;
  const q = Math.max(1, Math.floor(samples.length / 4));
  const start = median(samples.slice(0, q).map((s) => s.tw));
  const end = median(samples.slice(-q).map((s) => s.tw));
  const peak = samples.reduce((a, b) => (b.tw > a.tw ? b : a));
  const hours = Math.round((samples[samples.length - 1].elapsed / 3600) * 10) / 10;
  let trend: Trend = 'steady';
  if (end >= 2 * start && end - start >= MIN_TREND_CHANGE) trend = 'rising';
  else if (start >= 2 * end && start - end >= MIN_TREND_CHANGE) trend = 'falling';
  else if (peak.tw >= 2 * Math.max(start, end) && peak.tw - Math.max(start, end) >= MIN_TREND_CHANGE) trend = 'peaked';
  return { trend, start, end, peak, hours };
}
