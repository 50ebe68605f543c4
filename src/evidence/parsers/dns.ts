/** dig / nslookup / host: how long name resolution takes, and whether it times out. */
import type { Observation, Parser, ParserDef } from './types.js';
import { withCommandsAsLines } from './types.js';

const DIG_TIME = /^;;\s*Query time:\s*(\d+)\s*msec/i;
const TIMEOUT = /connection timed out; no servers could be reached|DNS request timed out|communications error to .* timed out|;; communications error|timed out\.?\s*$/i;
const HDR = /^;\s*<<>>\s*DiG|^Server:\s+\S+|^Non-authoritative answer|^\*\*\* .*(?:can't find|timed out)|\bnslookup\b|\bdig\b/;
const REAL = /^\s*real\s+(?:(\d+)m)?([\d.]+)s/;

export const dnsParser: ParserDef = {
  kind: 'dns',
  label: 'dig / nslookup',
  aliases: ['dig', 'nslookup'],
  detect: [/^;\s*<<>>\s*DiG/, /^;;\s*Query time:/, /^Server:\s+\S+/, /DNS request timed out/],
  bigFileLiterals: ['Query time', 'timed out', 'DiG', 'nslookup'],
  emits: {
    'dns.lookup_ms': { type: 'number', unit: 'ms', meaning: 'the slowest lookup' },
    'dns.timed_out': { type: 'boolean', meaning: 'a lookup timed out' },
  },
  samples: [
    {
      name: 'dig with its query time',
      input: ['; <<>> DiG 9.18.24 <<>> media01.example.com', ';; Query time: 5004 msec'].join('\n'),
      yields: { 'dns.lookup_ms': 5004, 'dns.timed_out': false },
    },
  ],
  create(): Parser {
    let maxMs: { ms: number; line: number; text: string } | undefined;
    let timeout: { line: number; text: string } | undefined;
    let sawDns = false;
    return withCommandsAsLines({
      line(no, text) {
        if (HDR.test(text)) sawDns = true;
        let m = DIG_TIME.exec(text);
        if (m) {
          const ms = Number(m[1]);
          if (!maxMs || ms > maxMs.ms) maxMs = { ms, line: no, text };
          return;
        }
        if (sawDns && TIMEOUT.test(text)) {
          timeout ??= { line: no, text };
          return;
        }
        m = REAL.exec(text);
        if (m && sawDns) {
          const ms = Math.round((Number(m[1] ?? 0) * 60 + Number(m[2])) * 1000);
          if (!maxMs || ms > maxMs.ms) maxMs = { ms, line: no, text };
        }
      },
      finish() {
        const out: Observation[] = [];
        if (maxMs) out.push({ key: 'dns.lookup_ms', value: maxMs.ms, line: maxMs.line, text: maxMs.text });
        if (timeout) out.push({ key: 'dns.timed_out', value: true, ...timeout });
        else if (maxMs) out.push({ key: 'dns.timed_out', value: false, line: maxMs.line, text: maxMs.text });
        return out;
      },
    });
  },
};
