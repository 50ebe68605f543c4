/**
 * Configured ephemeral port ranges and NetBackup's CLIENT_PORT_WINDOW:
 * `sysctl net.ipv4.ip_local_port_range`, `cat /proc/sys/net/ipv4/ip_local_port_range`,
 * Windows `netsh int ipv4 show dynamicport tcp`, Solaris/HP-UX `ndd` smallest/largest anon port,
 * AIX `no -a | grep ephemeral`, `nbgetconfig CLIENT_PORT_WINDOW`.
 */
import type { Observation, Parser, ParserDef } from './types.js';
import { withCommandsAsLines } from './types.js';

const SYSCTL = /net\.ipv4\.ip_local_port_range\s*[=:]\s*(\d+)\s+(\d+)/;
const PROC_CMD = /ip_local_port_range\s*$/;
const TWO_NUMS = /^\s*(\d{1,5})\s+(\d{1,5})\s*$/;
const ONE_NUM = /^\s*(\d{1,5})\s*$/;
const NETSH_HDR = /Protocol\s+tcp\s+Dynamic\s+Port\s+Range|Protokoll\s+tcp|Plage de ports dynamique|protocolo\s+tcp/i;
const NETSH_START = /^\s*(?:Start Port|Startport|Port de d[ée]part|Puerto inicial)[^:]*:\s*(\d+)/i;
const NETSH_COUNT = /^\s*(?:Number of Ports|Anzahl der Ports|Nombre de ports|N[úu]mero de puertos)[^:]*:\s*(\d+)/i;
const AIX = /^\s*tcp_ephemeral_(low|high)\s*=\s*(\d+)/;
const NDD = /tcp_(smallest|largest)_anon_port\s*$/;
const CPW = /CLIENT_PORT_WINDOW\s*=\s*(\d+)\s+(\d+)/;

export const portRangeParser: ParserDef = {
  kind: 'port-range',
  label: 'ephemeral port range / CLIENT_PORT_WINDOW',
  aliases: ['sysctl', 'netsh', 'nbgetconfig'],
  detect: [SYSCTL, NETSH_HDR, CPW, AIX, NDD, PROC_CMD],
  bigFileLiterals: ['ip_local_port_range', 'CLIENT_PORT_WINDOW'],
  emits: {
    'ports.ephemeral_low': { type: 'number', meaning: 'the lowest port of the configured ephemeral range' },
    'ports.ephemeral_high': { type: 'number', meaning: 'the highest port of the configured ephemeral range' },
    'ports.ephemeral_range_size': { type: 'number', unit: 'ports', meaning: 'ports in the configured ephemeral range' },
    'nbu.client_port_window_default': { type: 'boolean', meaning: 'CLIENT_PORT_WINDOW is the default "0 0"' },
    'nbu.client_port_window_size': { type: 'number', unit: 'ports', meaning: 'ports in a custom CLIENT_PORT_WINDOW' },
  },
  samples: [
    { name: 'sysctl on Linux', input: 'net.ipv4.ip_local_port_range = 32768\t60999', yields: { 'ports.ephemeral_low': 32768, 'ports.ephemeral_range_size': 28232 } },
  ],
  create(): Parser {
    let lo: number | undefined;
    let hi: number | undefined;
    let where: { line: number; text: string } | undefined;
    let expect: 'pair' | 'smallest' | 'largest' | undefined;
    let netshStart: number | undefined;
    let inNetsh = false;
    const out: Observation[] = [];
    const setRange = (a: number, b: number, line: number, text: string) => {
      if (a > 0 && b >= a && b <= 65535) {
        lo = a;
        hi = b;
        where = { line, text };
      }
    };
    return withCommandsAsLines({
      line(no, text) {
        let m = SYSCTL.exec(text);
        if (m) return setRange(Number(m[1]), Number(m[2]), no, text);
        if (PROC_CMD.test(text)) {
          expect = 'pair';
          return;
        }
        m = NDD.exec(text);
        if (m) {
          expect = m[1] === 'smallest' ? 'smallest' : 'largest';
          return;
        }
        if (expect === 'pair' && (m = TWO_NUMS.exec(text))) {
          expect = undefined;
          return setRange(Number(m[1]), Number(m[2]), no, text);
        }
        if ((expect === 'smallest' || expect === 'largest') && (m = ONE_NUM.exec(text))) {
          if (expect === 'smallest') lo = Number(m[1]);
          else hi = Number(m[1]);
          where = { line: no, text };
          expect = undefined;
          return;
        }
        if (NETSH_HDR.test(text)) {
          inNetsh = true;
          return;
        }
        if (inNetsh && (m = NETSH_START.exec(text))) {
          netshStart = Number(m[1]);
          return;
        }
        if (inNetsh && netshStart !== undefined && (m = NETSH_COUNT.exec(text))) {
          inNetsh = false;
          return setRange(netshStart, netshStart + Number(m[1]) - 1, no, text);
        }
        m = AIX.exec(text);
        if (m) {
          if (m[1] === 'low') lo = Number(m[2]);
          else hi = Number(m[2]);
          where = { line: no, text };
          return;
        }
        m = CPW.exec(text);
        if (m) {
          const a = Number(m[1]);
          const b = Number(m[2]);
          const isDefault = a === 0 && b === 0;
          out.push({ key: 'nbu.client_port_window_default', value: isDefault, line: no, text });
          if (!isDefault && b >= a) out.push({ key: 'nbu.client_port_window_size', value: b - a + 1, line: no, text });
        }
      },
      finish() {
        if (lo !== undefined && hi !== undefined && hi >= lo && where) {
          out.push({ key: 'ports.ephemeral_low', value: lo, ...where });
          out.push({ key: 'ports.ephemeral_high', value: hi, ...where });
          out.push({ key: 'ports.ephemeral_range_size', value: hi - lo + 1, ...where });
        }
        return out;
      },
    });
  },
};
