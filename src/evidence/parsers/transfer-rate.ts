/**
 * Bulk copies outside the backup software and the rate they reached: OpenSSH scp/sftp progress lines
 * ("big.iso 100% 1024MB 38.2KB/s 7:19:43"), PuTTY pscp ("big.iso | 1048576 kB | 38.2 kB/s | ETA: 00:00:00 | 100%"),
 * rsync's closing summary ("sent 1,234 bytes  received 35 bytes  1,234.56 bytes/sec", with -h suffixes and
 * either decimal mark) and its --progress / --info=progress2 lines, ftp clients ("1073741824 bytes received in
 * 27891.2 secs (37.6 kB/s)": netkit, inetutils, tnftp, lftp, Windows "ftp: … bytes received in …Seconds …"),
 * and robocopy's "Speed : N Bytes/sec." (English, German, French, Spanish).
 *
 * Concludes the rate of the largest copy (transfer.rate_mbps) and hands every copy, with its direction and
 * peer when the command line names them, to the combiners that compare it with a backup job's rate.
 * Copies under 1 MiB are left out: their rate is mostly start-up.
 */
import type { CommandLine } from '../transcript.js';
import { mbpsOfBytesPerSecond, prefixScale, readNumber } from '../vocab/units.js';
import type { Observation, Parser, ParserDef } from './types.js';
import { clip, round } from './types.js';

/** A copy and where its data went. */
export interface Transfer {
  tool: string;
  mbps: number;
  bytes?: number;
  /** out: from the host the command ran on to the peer; in: from the peer to it. */
  dir?: 'out' | 'in';
  peer?: string;
  localHost?: string;
  line: number;
  text: string;
}

const MIN_BYTES = 1024 * 1024;
const MAX_TRANSFERS = 100000;

interface CopyCommand {
  tool: string;
  dir?: 'out' | 'in';
  peer?: string;
  /** rsync -h once: suffixes in powers of 1000; -hh: 1024. */
  rsyncBase: 1000 | 1024;
}

/** "user@host:path", "host:path", "host::module" → host; not "C:\path" or "./a:b". */
function remoteHost(arg: string): string | undefined {
  if (arg.startsWith('-') || arg.startsWith('/') || arg.startsWith('.')) return undefined;
  if (arg.startsWith('rsync://')) return arg.slice(8).split(/[/:]/)[0].replace(/^[^@]*@/, '').toLowerCase() || undefined;
  const colon = arg.indexOf(':');
  if (colon <= 1) return undefined;
  const slash = arg.indexOf('/');
  if (slash >= 0 && slash < colon) return undefined;
  const host = arg.slice(0, colon).replace(/^[^@]*@/, '').replace(/^\[|\]$/g, '');
  return host ? host.toLowerCase() : undefined;
}

/** "\\media01\share\dir" → media01 */
function uncHost(arg: string): string | undefined {
  const m = /^\\\\([^\\]+)\\/.exec(arg);
  return m ? m[1].toLowerCase() : undefined;
}

function readCommand(cmd: CommandLine): CopyCommand | undefined {
  const st = cmd.stages[0];
  if (!st) return undefined;
  const name = st.name;
  const args = st.args;
  const plain = args.filter((a) => !a.startsWith('-'));
  if (name === 'scp' || name === 'pscp' || name === 'rsync') {
    // the last plain argument is the destination; earlier ones are sources
    const dst = plain[plain.length - 1];
    const srcs = plain.slice(0, -1);
    const hDst = dst ? remoteHost(dst) : undefined;
    const hSrc = srcs.map(remoteHost).find(Boolean);
    const hs = args.filter((a) => /^-[a-zA-Z]*h[a-zA-Z]*$/.test(a) && !a.startsWith('--')).reduce((n, a) => n + (a.match(/h/g)?.length ?? 0), 0) + args.filter((a) => a === '--human-readable').length;
    return {
      tool: name,
      dir: hDst && !hSrc ? 'out' : hSrc && !hDst ? 'in' : undefined,
      peer: hDst ?? hSrc,
      rsyncBase: hs === 1 ? 1000 : 1024,
    };
  }
  if (name === 'sftp' || name === 'ftp' || name === 'lftp' || name === 'tnftp') {
    const target = plain[0];
    const host = target ? (remoteHost(target) ?? target.replace(/^[^@]*@/, '').replace(/^\w+:\/\//, '').split(/[/:]/)[0].toLowerCase()) : undefined;
    return { tool: name, peer: host || undefined, rsyncBase: 1024 };
  }
  if (name === 'robocopy') {
    const [src, dst] = plain;
    const hSrc = src ? uncHost(src) : undefined;
    const hDst = dst ? uncHost(dst) : undefined;
    return { tool: name, dir: hDst && !hSrc ? 'out' : hSrc && !hDst ? 'in' : undefined, peer: hDst ?? hSrc, rsyncBase: 1024 };
  }
  return undefined;
}

/** OpenSSH scp/sftp: "name 100% 1024MB 38.2KB/s 7:19:43" (units in powers of 1024). */
function scpProgress(t: string): { bytes: number; bps: number } | undefined {
  const w = t.split(/\s+/);
  let i = w.length - 1;
  if (w[i] === 'ETA') i--;
  if (!/^(?:\d+:)?\d+:\d\d$|^--:--$/.test(w[i] ?? '')) return undefined;
  const rate = /^(\d+(?:\.\d+)?)([KMGT]?)B\/s$/.exec(w[i - 1] ?? '');
  const size = /^(\d+(?:\.\d+)?)([KMGT]?)B$/.exec(w[i - 2] ?? '');
  const pct = /^(\d{1,3})%$/.exec(w[i - 3] ?? '');
  if (!rate || !size || !pct || i - 3 < 1 || pct[1] !== '100') return undefined;
  const bs = prefixScale(rate[2], 1024);
  const ss = prefixScale(size[2], 1024);
  return bs && ss ? { bytes: Number(size[1]) * ss, bps: Number(rate[1]) * bs } : undefined;
}

/** PuTTY pscp: "big.iso | 1048576 kB | 38.2 kB/s | ETA: 00:00:00 | 100%" */
function pscpProgress(t: string): { bytes: number; bps: number } | undefined {
  const parts = t.split('|').map((p) => p.trim());
  if (parts.length !== 5 || parts[4] !== '100%') return undefined;
  const size = /^(\d+) kB$/.exec(parts[1]);
  const rate = /^(\d+(?:\.\d+)?) kB\/s$/.exec(parts[2]);
  return size && rate ? { bytes: Number(size[1]) * 1024, bps: Number(rate[1]) * 1024 } : undefined;
}

/** rsync: "sent 1,234 bytes  received 35 bytes  1,234.56 bytes/sec" (or "1.23M bytes", "123.45K bytes/sec"). */
function rsyncSummary(t: string, base: 1000 | 1024): { sent: number; received: number; bps: number } | undefined {
  const w = t.split(/\s+/);
  if (w[0] !== 'sent' || w[2] !== 'bytes' || w[3] !== 'received' || w[5] !== 'bytes' || w[7] !== 'bytes/sec') return undefined;
  const num = (s: string) => {
    const m = /^(\d[\d.,]*?)([KMGT]?)$/.exec(s);
    if (!m) return undefined;
    const n = readNumber(m[1]);
    const sc = prefixScale(m[2], base);
    return n === undefined || sc === undefined ? undefined : n * sc;
  };
  const sent = num(w[1]);
  const received = num(w[4]);
  const bps = num(w[6]);
  return sent === undefined || received === undefined || bps === undefined ? undefined : { sent, received, bps };
}

/** rsync --progress at 100%: "1,073,741,824 100%   38.21kB/s    7:26:43 (xfr#1, to-chk=0/1)" */
function rsyncProgress(t: string): { bytes: number; bps: number } | undefined {
  const w = t.split(/\s+/);
  if (w.length < 4 || w[1] !== '100%') return undefined;
  const bytes = readNumber(w[0]);
  const rate = /^(\d+(?:[.,]\d+)?)([kMGT]?)B\/s$/.exec(w[2]);
  if (bytes === undefined || !rate || !/^\d+:\d\d:\d\d$/.test(w[3])) return undefined;
  const sc = prefixScale(rate[2], 1024);
  const r = readNumber(rate[1], 'decimal');
  return sc === undefined || r === undefined ? undefined : { bytes, bps: r * sc };
}

/** ftp clients: "N bytes received|sent|transferred in S secs|seconds|h:mm:ss …", Windows "ftp: N bytes received in 27.23Seconds 38.51Kbytes/sec." */
function ftpLine(t: string): { bytes: number; secs: number; dir?: 'in' | 'out' } | undefined {
  const w = t.split(/\s+/);
  const k = w.indexOf('bytes');
  if (k < 1 || w[k + 2] !== 'in') return undefined;
  const bytes = readNumber(w[k - 1]);
  const verb = w[k + 1];
  if (bytes === undefined || (verb !== 'received' && verb !== 'sent' && verb !== 'transferred')) return undefined;
  const tok = w[k + 3] ?? '';
  let secs: number | undefined;
  const glued = /^(\d+(?:[.,]\d+)?)Seconds$/i.exec(tok);
  const clock = /^(?:(\d+):)?(\d+):(\d\d(?:\.\d+)?)$/.exec(tok);
  if (glued) secs = readNumber(glued[1], 'decimal');
  else if (clock) secs = Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  else if (/^(?:secs?|seconds?)$/i.test(w[k + 4] ?? '')) secs = readNumber(tok, 'decimal');
  if (secs === undefined || !(secs >= 0)) return undefined;
  return { bytes, secs, dir: verb === 'received' ? 'in' : verb === 'sent' ? 'out' : undefined };
}

/** robocopy: "Speed :  123456 Bytes/sec." (de "Geschwindigkeit:", fr "Vitesse :", es "Velocidad:") */
function robocopySpeed(t: string): number | undefined {
  const colon = t.indexOf(':');
  if (colon < 4 || colon > 24) return undefined;
  const key = t.slice(0, colon).trim().toLowerCase();
  if (!['speed', 'geschwindigkeit', 'vitesse', 'velocidad', 'velocità', 'snelheid'].includes(key)) return undefined;
  const w = t.slice(colon + 1).trim().split(/\s+/);
  if (w.length !== 2 || !/^(?:bytes|octets)\/(?:sec|s|sek|seg|seconde)\.?$/i.test(w[1])) return undefined;
  return readNumber(w[0]);
}

export const transferRateParser: ParserDef = {
  kind: 'transfer-rate',
  label: 'scp / sftp / rsync / ftp / robocopy transfer rates',
  aliases: ['scp', 'rsync', 'ftp', 'robocopy'],
  detect: [/^sent \S+ bytes\s+received \S+ bytes\s+\S+ bytes\/sec/, /^(?:ftp: )?\d+ bytes (?:received|sent) in /, /^\s*Speed\s*:\s*\d+ Bytes\/sec\./, /\s100%\s+\S+B\s+\S+B\/s\s+\d+:\d\d/],
  bigFileLiterals: ['bytes/sec', 'B/s', 'bytes received', 'bytes sent', 'bytes transferred', 'Bytes/s', 'Octets/s', '100%'],
  emits: {
    'transfer.rate_mbps': { type: 'number', unit: 'Mbit/s', meaning: 'the rate of the largest file copy read (scp, sftp, rsync, ftp, robocopy)' },
    'transfer.runs': { type: 'data', meaning: 'each copy with its rate, size, direction and peer, for the combiners' },
  },
  samples: [
    {
      name: 'OpenSSH scp of 1 GB through a DSL uplink',
      input: ['[root@suzuki ~]# scp /srv/big.iso triumph:/tmp/', 'big.iso                                       100% 1024MB  38.2KB/s   7:37:29'].join('\n'),
      yields: { 'transfer.rate_mbps': 0.313 },
    },
    {
      name: 'rsync 3.2 summary with thousands commas',
      input: ['$ rsync -av big.iso media01:/tmp/', 'sending incremental file list', 'big.iso', '', 'sent 1,073,872,966 bytes  received 35 bytes  39,155.74 bytes/sec', 'total size is 1,073,741,824  speedup is 1.00'].join('\n'),
      yields: { 'transfer.rate_mbps': 0.313 },
    },
    {
      name: 'Windows ftp get, rate from bytes and seconds',
      input: ['C:\\Temp>ftp media01', 'ftp> get big.iso', '226 Transfer complete.', 'ftp: 104857600 bytes received in 2684.35Seconds 39.06Kbytes/sec.'].join('\r\n'),
      yields: { 'transfer.rate_mbps': 0.3125 },
    },
    {
      name: 'a directory listing over ftp is too small to rate',
      input: ['ftp> ls', '226 Transfer complete.', '2041 bytes received in 0.01 secs (198.7 kB/s)'].join('\n'),
      yields: {},
      never: ['transfer.rate_mbps'],
    },
  ],
  create(ctx): Parser {
    const transfers: Transfer[] = [];
    let cmd: CopyCommand | undefined;
    let host: string | undefined;
    let sftpDir: 'in' | 'out' | undefined;
    let ftpPeer: string | undefined;
    let smallSaid = false;
    const add = (tool: string, bps: number, bytes: number | undefined, dir: 'in' | 'out' | undefined, no: number, text: string) => {
      if (bytes !== undefined && bytes < MIN_BYTES) {
        if (!smallSaid) ctx.withhold('transfer rate', `a copy of ${Math.round(bytes / 1024)} KB is too small to rate a path`, no);
        smallSaid = true;
        return;
      }
      if (transfers.length >= MAX_TRANSFERS || !(bps > 0)) return;
      transfers.push({ tool, mbps: mbpsOfBytesPerSecond(bps), bytes, dir, peer: cmd?.peer ?? ftpPeer, localHost: host, line: no, text: clip(text) });
    };
    return {
      command(_no, c) {
        // "ftp> get big.iso" reads as a device prompt: it is a command inside the ftp session
        if (/^s?ftp>/.test(c.prompt)) {
          const verb = c.stages[0]?.name;
          sftpDir = verb === 'put' || verb === 'reput' || verb === 'mput' ? 'out' : verb === 'get' || verb === 'reget' || verb === 'mget' ? 'in' : sftpDir;
          return;
        }
        if (c.host) host = c.host.toLowerCase();
        cmd = readCommand(c);
        sftpDir = undefined;
        ftpPeer = undefined;
      },
      line(no, text) {
        const t = text.trim();
        if (!t) return;
        // sftp and ftp prompts are not shell prompts: their commands arrive as output
        const sub = /^(?:sftp|ftp)>\s*(\S+)/.exec(t);
        if (sub) {
          const verb = sub[1].toLowerCase();
          sftpDir = verb === 'put' || verb === 'reput' || verb === 'mput' ? 'out' : verb === 'get' || verb === 'reget' || verb === 'mget' ? 'in' : sftpDir;
          return;
        }
        const conn = /^Connected to ([\w.-]+?)\.?(?:\s|$)/.exec(t);
        if (conn) {
          ftpPeer ??= conn[1].toLowerCase();
          return;
        }
        let r: { bytes: number; bps: number } | undefined;
        if ((r = scpProgress(t))) return add(cmd?.tool === 'sftp' || sftpDir ? 'sftp' : 'scp', r.bps, r.bytes, cmd?.dir ?? sftpDir, no, t);
        if ((r = pscpProgress(t))) return add('pscp', r.bps, r.bytes, cmd?.dir, no, t);
        const rs = rsyncSummary(t, cmd?.rsyncBase ?? 1024);
        if (rs) {
          // the summary rates the whole run: it replaces the per-file progress lines of the same command
          for (let i = transfers.length - 1; i >= 0 && transfers[i].tool === 'rsync' && transfers[i].text.includes('%'); i--) transfers.pop();
          const dir = rs.sent > rs.received * 10 ? 'out' : rs.received > rs.sent * 10 ? 'in' : undefined;
          return add('rsync', rs.bps, Math.max(rs.sent, rs.received), cmd?.dir ?? dir, no, t);
        }
        if ((r = rsyncProgress(t))) return add('rsync', r.bps, r.bytes, cmd?.dir, no, t);
        const f = ftpLine(t.replace(/^ftp:\s*/, ''));
        if (f) return add(cmd?.tool ?? 'ftp', f.secs > 0 ? f.bytes / f.secs : 0, f.bytes, f.dir ?? sftpDir, no, t);
        const speed = robocopySpeed(t);
        if (speed !== undefined) return add('robocopy', speed, undefined, cmd?.dir, no, t);
      },
      finish() {
        const out: Observation[] = [];
        if (!transfers.length) return out;
        const largest = transfers.reduce((a, b) => ((b.bytes ?? 0) >= (a.bytes ?? 0) ? b : a));
        out.push({ key: 'transfer.rate_mbps', value: round(largest.mbps, 4), line: largest.line, text: largest.text });
        out.push({ key: 'transfer.runs', value: transfers.length, data: transfers });
        return out;
      },
    };
  },
};

