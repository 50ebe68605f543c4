/**
 * Time stamps as command output and logs print them, read by a small scanner (no regex over the line):
 * ISO 8601 and its log variants (`2026-11-24 02:10:01,123`), `2026/11/24`, US `11/24/2026 2:10:01 PM`,
 * date(1) in the C, French and Korean locales, syslog `Nov 24 02:10:01`, a bare time of day
 * (`02:10:01.123456`, tcpdump), PowerShell's `Tuesday, November 24, 2026 2:10:01 AM` and an epoch in
 * brackets (`[1700000000.123456]`, ping -D). Durations between two stamps are what readers need.
 */

export interface Stamp {
  /** Seconds since the epoch (UTC, zone ignored) when the stamp has a date; else seconds since midnight. */
  t: number;
  dated: boolean;
  /** Offset just past the stamp in the text it was read from. */
  end: number;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  // French (abbreviated with or without the dot, full)
  janv: 1, 'févr': 2, fevr: 2, 'fév': 2, fev: 2, mars: 3, avr: 4, mai: 5, juin: 6, juil: 7, 'août': 8, aout: 8, sept: 9, 'déc': 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
  janvier: 1, 'février': 2, fevrier: 2, avril: 4, juillet: 7, septembre: 9, octobre: 10, novembre: 11, 'décembre': 12, decembre: 12,
};
const DAY_NAMES = new Set([
  'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'lun', 'mar', 'mer', 'jeu', 'ven', 'sam', 'dim', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche',
]);

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0;

/** Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

class Cursor {
  constructor(
    readonly s: string,
    public i: number,
  ) {}
  peek(k = 0): number {
    return this.i + k < this.s.length ? this.s.charCodeAt(this.i + k) : -1;
  }
  /** Digits at the cursor (at most `max`), or -1. */
  num(max = 10): number {
    let v = 0;
    let n = 0;
    while (n < max && isDigit(this.peek())) {
      v = v * 10 + (this.peek() - 48);
      this.i++;
      n++;
    }
    return n ? v : -1;
  }
  digitsCount(): number {
    let n = 0;
    while (isDigit(this.peek(n))) n++;
    return n;
  }
  word(): string {
    const start = this.i;
    while (isLetter(this.peek())) this.i++;
    return this.s.slice(start, this.i);
  }
  skip(chars: string): void {
    while (this.i < this.s.length && chars.includes(this.s[this.i])) this.i++;
  }
  eat(ch: string): boolean {
    if (this.s[this.i] === ch) {
      this.i++;
      return true;
    }
    return false;
  }
}

/** HH:MM[:SS][.frac] [AM|PM] at the cursor, as seconds since midnight; the cursor moves past it. */
function timeOfDay(c: Cursor): number | undefined {
  const save = c.i;
  const h = c.num(2);
  if (h < 0 || h > 23 || !c.eat(':')) return ((c.i = save), undefined);
  const m = c.num(2);
  if (m < 0 || m > 59) return ((c.i = save), undefined);
  let sec = 0;
  if (c.peek() === 58 && isDigit(c.peek(1))) {
    c.i++;
    sec = c.num(2);
    if (sec > 60) return ((c.i = save), undefined);
    if ((c.peek() === 46 || c.peek() === 44) && isDigit(c.peek(1))) {
      c.i++;
      const start = c.i;
      const f = c.num(9);
      sec += f / 10 ** (c.i - start);
    }
  }
  let hour = h;
  const afterTime = c.i;
  c.skip(' ');
  const ap = c.s.slice(c.i, c.i + 2).toUpperCase();
  if ((ap === 'AM' || ap === 'PM') && !isLetter(c.peek(2))) {
    c.i += 2;
    if (hour === 12) hour = ap === 'AM' ? 0 : 12;
    else if (ap === 'PM') hour += 12;
  } else c.i = afterTime;
  return hour * 3600 + m * 60 + sec;
}

/** A zone or year after a date(1) time: "UTC 2026", "2026", "CET", "+0100". Moves past what it reads. */
function trailingYear(c: Cursor): number | undefined {
  const save = c.i;
  c.skip(' ');
  if (c.peek() === 43 || c.peek() === 45) {
    const z = c.i;
    c.i++;
    if (c.digitsCount() === 4) {
      c.num(4);
      c.skip(' ');
    } else c.i = z;
  } else if (isLetter(c.peek())) {
    const w = c.word();
    if (w.length < 2 || w.length > 5 || w.toUpperCase() !== w) {
      c.i = save;
      return undefined;
    }
    c.skip(' ');
  }
  if (c.digitsCount() === 4) return c.num(4);
  c.i = save;
  return undefined;
}

function dated(y: number, mo: number, d: number, tod: number, end: number): Stamp | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1970 || y > 2200) return undefined;
  return { t: daysFromCivil(y, mo, d) * 86400 + tod, dated: true, end };
}

/** The time stamp starting at `from` (leading blanks skipped), or undefined. */
export function readStamp(s: string, from = 0): Stamp | undefined {
  const c = new Cursor(s, from);
  c.skip(' \t');
  const start = c.i;
  // [1700000000.123456] — ping -D
  if (c.peek() === 91 && c.digitsCount() === 0) {
    c.i++;
    if (c.digitsCount() >= 9 && c.digitsCount() <= 10) {
      const whole = c.num(10);
      let frac = 0;
      if (c.eat('.')) {
        const fs = c.i;
        const f = c.num(9);
        frac = f < 0 ? 0 : f / 10 ** (c.i - fs);
      }
      if (c.eat(']')) return { t: whole + frac, dated: true, end: c.i };
    }
    c.i = start;
    return undefined;
  }
  const lead = c.digitsCount();
  if (lead === 4) {
    // 2026-11-24[T ]02:10:01 or 2026/11/24 02:10:01 or 2026. 11. 24. (화) 02:10:01
    const y = c.num(4);
    const sep = c.s[c.i];
    if (sep !== '-' && sep !== '/' && sep !== '.') return undefined;
    c.i++;
    c.skip(' ');
    const mo = c.num(2);
    if (!c.eat(sep)) return undefined;
    c.skip(' ');
    const d = c.num(2);
    if (sep === '.') {
      c.eat('.');
      c.skip(' ');
      // (화) — a Korean weekday in parentheses
      if (c.peek() === 40) {
        const close = s.indexOf(')', c.i);
        if (close < 0 || close - c.i > 6) return undefined;
        c.i = close + 1;
      }
      c.skip(' ');
      // 오전/오후 (AM/PM) before the time
      const w = s.slice(c.i, c.i + 2);
      const pm = w === '오후';
      if (w === '오전' || pm) c.i += 2;
      c.skip(' ');
      const tod = timeOfDay(c);
      if (tod === undefined) return undefined;
      return dated(y, mo, d, pm && tod < 12 * 3600 ? tod + 12 * 3600 : tod, c.i);
    }
    if (c.peek() !== 84 && c.peek() !== 32 && c.peek() !== 95) return dated(y, mo, d, 0, c.i);
    c.i++;
    c.skip(' ');
    const tod = timeOfDay(c);
    if (tod === undefined) return undefined;
    // zone: Z, +01:00, +0100
    if (c.peek() === 90) c.i++;
    else if ((c.peek() === 43 || c.peek() === 45) && isDigit(c.peek(1))) {
      c.i++;
      c.num(2);
      c.eat(':');
      c.num(2);
    }
    return dated(y, mo, d, tod, c.i);
  }
  if (lead === 1 || lead === 2) {
    // 11/24/2026 02:10:01 [PM] (US order; 24/11/2026 when the first number cannot be a month)
    const save = c.i;
    const a = c.num(2);
    if (c.peek() === 47 || (c.peek() === 46 && isDigit(c.peek(1)) && c.s[c.i + 3] === '.')) {
      const sep = c.s[c.i];
      c.i++;
      const b = c.num(2);
      if (!c.eat(sep)) return undefined;
      const y = c.digitsCount() === 4 ? c.num(4) : c.digitsCount() === 2 ? 2000 + c.num(2) : -1;
      if (y < 0) return undefined;
      const [mo, d] = sep === '.' || a > 12 ? [b, a] : [a, b];
      c.skip(' ');
      c.eat(',');
      c.skip(' ');
      const tod = timeOfDay(c);
      return dated(y, mo, d, tod ?? 0, c.i);
    }
    c.i = save;
    // "24 Nov 2026 02:10:01" (date(1) in some locales, after the weekday was skipped)
    const day = c.num(2);
    if (c.peek() === 32 && isLetter(c.peek(1))) {
      c.i++;
      const mw = c.word().toLowerCase();
      const mo = MONTHS[mw];
      if (mo) {
        c.eat('.');
        c.skip(' ');
        if (c.digitsCount() === 4) {
          const y = c.num(4);
          c.skip(' ');
          const tod = timeOfDay(c);
          if (tod === undefined) return dated(y, mo, day, 0, c.i);
          trailingYear(c);
          return dated(y, mo, day, tod, c.i);
        }
      }
    }
    c.i = save;
    const tod = timeOfDay(c);
    return tod === undefined ? undefined : { t: tod, dated: false, end: c.i };
  }
  if (lead === 0 && isLetter(c.peek())) {
    // [Weekday[,.]] Month Day [Year] Time … | Weekday Day Month Year Time
    let w = c.word();
    if (DAY_NAMES.has(w.toLowerCase())) {
      c.eat('.');
      c.eat(',');
      c.skip(' ');
      if (isDigit(c.peek())) return readStamp(s, c.i);
      w = c.word();
    }
    const mo = MONTHS[w.toLowerCase()];
    if (!mo) return undefined;
    c.eat('.');
    c.skip(' ');
    const d = c.num(2);
    if (d < 1) return undefined;
    c.eat(',');
    c.skip(' ');
    let y: number | undefined;
    if (c.digitsCount() === 4) {
      y = c.num(4);
      c.skip(' ');
    }
    const tod = timeOfDay(c);
    if (tod === undefined) return y ? dated(y, mo, d, 0, c.i) : undefined;
    y ??= trailingYear(c);
    if (y) return dated(y, mo, d, tod, c.i);
    // syslog: no year — a day of the year is enough to order stamps within a paste
    return { t: (daysFromCivil(2001, mo, d) - daysFromCivil(2001, 1, 1)) * 86400 + tod, dated: false, end: c.i };
  }
  return undefined;
}

/** Seconds from `a` to `b`; across midnight when only times of day are known. */
export function secondsBetween(a: Stamp, b: Stamp): number {
  if (a.dated === b.dated && (a.dated || a.t >= 86400 || b.t >= 86400)) return b.t - a.t;
  const d = (b.t % 86400) - (a.t % 86400);
  return d < -43200 ? d + 86400 : d;
}

/** A line that is a time stamp and nothing else but decoration ("=== Tue Nov 24 02:10:01 UTC 2026 ==="). */
export function stampLine(text: string): Stamp | undefined {
  let i = 0;
  while (i < text.length && ' \t=-*#[(<>:|'.includes(text[i])) i++;
  // "sample 3 at", "snapshot at", "time:", "date:" before the stamp
  const lower = text.slice(i, i + 24).toLowerCase();
  for (const lead of ['sample', 'snapshot', 'time', 'date', 'at']) {
    if (lower.startsWith(lead)) {
      i += lead.length;
      while (i < text.length && (' \t:#'.includes(text[i]) || isDigit(text.charCodeAt(i)))) {
        if (isDigit(text.charCodeAt(i)) && readStamp(text, i)) break;
        i++;
      }
      if (text.slice(i, i + 3).toLowerCase() === 'at ') i += 3;
    }
  }
  const st = readStamp(text, i);
  if (!st) return undefined;
  let j = st.end;
  while (j < text.length && ' \t=-*#])>:|'.includes(text[j])) j++;
  // a zone name left after a stamp read without it ("KST", "CET")
  if (j < text.length) {
    const rest = text.slice(j).trim();
    if (!/^[A-Z]{2,5}(?:\s+[=\-*#\])>]*)?$/.test(rest)) return undefined;
  }
  return st;
}
