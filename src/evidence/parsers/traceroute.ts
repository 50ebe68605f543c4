/**
 * traceroute and its kin: Linux/BSD traceroute (UDP, ICMP -I, TCP -T, `-n`, `!H !N !X !F-1400`
 * annotations, several routers answering one TTL), traceroute6, Data Domain `net route trace`, Windows
 * `tracert` in English, French, German, Korean, Spanish, Portuguese, Italian, Japanese and Chinese, and
 * `pathping` (its first, hop-listing part).
 *
 * It reads each trace's hops and whether it reached its destination, and concludes how far the path gets
 * during the job: a trace taken during the job (by the admin's marks, or the later of two unmarked traces)
 * that dies at the destination's edge or earlier where a complete trace from the same host, to the same
 * destination, by the same method reached. Traces of one source at different times are never compared as
 * forward and reverse; that is the route-symmetry combiner's job, over the hop lists emitted here.
 */
import type { Observation, Parser, ParserDef, ReaderContext } from './types.js';
import type { CommandLine, Mark } from '../transcript.js';
import { Timeline } from '../path/timeline.js';
import { commandTarget, isAddress, isDest, methodOf, traceObservations, type Hop, type Trace } from '../path/trace.js';

const LINUX_HDR = /^\s*traceroute6?\s+to\s+(\S+)\s+\(([^()\s]*)\)/;
/** tracert and pathping headers; the Korean one names the destination first. */
const WIN_PREFIXES = ['Tracing route to ', "Détermination de l'itinéraire vers ", 'Détermination de l’itinéraire vers ', 'Routenverfolgung zu ', 'Traza a la dirección ', 'Rastreando a rota para ', 'Rilevazione instradamento verso ', '到 '];
/** Headers that name the destination first: Korean "… (으)로 가는 경로 추적:", Japanese "… へのルートをトレースしています". */
const DEST_FIRST: [suffix: string, cut: string][] = [['경로 추적:', '(으)로'], ['へのルートをトレースしています', 'へのルート']];
const END_WORDS = ['Trace complete', 'Itinéraire déterminé', 'Ablaufverfolgung beendet', '추적을 완료했습니다', 'Traza completa', 'Rastreamento concluído', 'Rilevazione completata', 'トレースを完了しました', '跟踪完成'];
/** Windows "10.1.1.1  reports: Destination host unreachable." and its translations. */
const REPORTS_WORDS = ['reports:', 'signale', 'meldet:', '보고', 'informa:'];
const TRACE_VALUE_OPTS = new Set(['m', 'q', 'w', 'p', 'f', 'g', 'i', 's', 't', 'z', 'N', 'M', 'P', 'h', 'j', 'S']);
const MAX_TRACES = 500;

type Header = { dest: string[]; windows: boolean };

function header(text: string): Header | undefined {
  const m = LINUX_HDR.exec(text);
  if (m) return { dest: [...new Set([m[1], m[2]].filter(Boolean).map((s) => s.toLowerCase()))], windows: false };
  const t = text.trim();
  let rest: string | undefined;
  for (const p of WIN_PREFIXES) if (t.startsWith(p) && (p !== '到 ' || t.endsWith('的路由:'))) rest = t.slice(p.length);
  for (const [suffix, cut] of DEST_FIRST) {
    if (rest !== undefined || !t.endsWith(suffix)) continue;
    const at = t.indexOf(cut);
    rest = at > 0 ? t.slice(0, at) : undefined;
  }
  if (rest === undefined) return undefined;
  const toks = rest.trim().split(/\s+/).slice(0, 2);
  const dest = [toks[0], toks[1]?.startsWith('[') ? toks[1] : undefined].filter((x): x is string => !!x).map((x) => x.replace(/^\[|\]:?$|:$/g, '').toLowerCase());
  return dest.length && dest[0] ? { dest: [...new Set(dest)], windows: true } : undefined;
}

/** Is an address token in brackets an AS number ("[AS15169]") rather than an address? */
const AS_TOKEN = /^AS(?:\d+|\*|\?+)(?:\/AS\d+)*$/i;

/** One hop line ("12  10.9.0.1 (10.9.0.1)  1.9 ms  2.0 ms !X *", "  3     *        *        *     Request timed out."). */
function readHop(text: string): (Omit<Hop, 'line' | 'text'> & { ttlTo?: number; probes: number }) | undefined {
  const toks = text.trim().split(/\s+/);
  if (!/^\d{1,3}$/.test(toks[0] ?? '')) return undefined;
  const ttl = Number(toks[0]);
  let i = 1;
  let ttlTo: number | undefined;
  if (toks[1] === '~' && /^\d{1,3}$/.test(toks[2] ?? '')) {
    ttlTo = Number(toks[2]);
    i = 3;
  }
  const addrs: string[] = [];
  const notes: string[] = [];
  let probes = 0;
  let pendingName = false;
  for (; i < toks.length; i++) {
    const tok = toks[i];
    if (tok === '*') {
      probes++;
      pendingName = false;
    } else if (/^<?\d+(?:[.,]\d+)?$/.test(tok) && toks[i + 1]?.toLowerCase() === 'ms') {
      probes++;
      i++;
      pendingName = false;
    } else if (/^<?\d+(?:[.,]\d+)?ms$/i.test(tok)) {
      probes++;
      pendingName = false;
    } else if (tok.startsWith('!')) notes.push(tok);
    else if ((tok.startsWith('(') && tok.endsWith(')')) || (tok.startsWith('[') && (tok.endsWith(']') || tok.endsWith(']:')))) {
      const inner = tok.replace(/^[([]|[)\]]:?$/g, '');
      if (AS_TOKEN.test(inner) || !inner) continue;
      if (pendingName) addrs[addrs.length - 1] = inner;
      else addrs.push(inner);
      pendingName = false;
    } else if (isAddress(tok)) {
      addrs.push(tok);
      pendingName = false;
    } else if (/^[A-Za-z0-9_][\w.-]*$/.test(tok) && !tok.endsWith('.') && (/[._]/.test(tok) || /^[([]/.test(toks[i + 1] ?? ''))) {
      addrs.push(tok);
      pendingName = true;
    } else if (REPORTS_WORDS.includes(tok) || tok.endsWith('보고')) notes.push('unreachable');
  }
  if (!probes && !addrs.length) return undefined;
  return { ttl, ttlTo, addrs: [...new Set(addrs)], notes, probes };
}

export const tracerouteParser: ParserDef = {
  kind: 'traceroute',
  label: 'traceroute / tracert / pathping / net route trace',
  aliases: ['tracert', 'pathping', 'net-route-trace', 'traceroute6'],
  detect: [LINUX_HDR, /^\s*(?:Tracing route to|Détermination de l.itinéraire vers|Routenverfolgung zu|Traza a la dirección|Rilevazione instradamento verso)\s/, /경로 추적:\s*$|へのルートをトレースしています\s*$/],
  bigFileLiterals: ['traceroute to', ' ms ', 'Tracing route'],
  emits: {
    'trace.count': { type: 'number', meaning: 'traces read' },
    'trace.reached': { type: 'boolean', meaning: 'the trace reported (the first that did not reach, else the last) reached its destination' },
    'trace.last_answering_hop': { type: 'number', meaning: 'the last hop that answered in the trace reported' },
    'trace.silent_hops': { type: 'number', meaning: 'hops without an answer after the last one that answered' },
    'trace.annotation': { type: 'string', values: ['host_unreachable', 'net_unreachable', 'prohibited', 'protocol_unreachable', 'frag_needed', 'source_route_failed', 'unreachable'], meaning: 'what the last answering hop of a trace that did not reach reported (!H, !N, !X …)' },
    'trace.frag_needed_mtu': { type: 'number', unit: 'bytes', meaning: 'the MTU a router named in a fragmentation-needed answer (!F-1400)' },
    'trace.verdict': { type: 'string', values: ['reaches_destination', 'stops_at_destination_edge', 'stops_earlier'], meaning: 'how far the path gets during the job, against a complete trace from the same host by the same method' },
    'trace.intermittent': { type: 'boolean', meaning: 'traces from one host to one destination by one method: some reached it, some died on the way' },
    'trace.path': { type: 'data', meaning: 'one trace: source, destination, method and the addresses answering at each hop' },
  },
  samples: [
    {
      name: 'Linux traceroute -I before and after the "job started" mark: dies at the destination edge',
      input: [
        '[root@avamar ~]# traceroute -I -n 10.2.2.9',
        'traceroute to 10.2.2.9 (10.2.2.9), 30 hops max, 60 byte packets',
        ' 1  10.1.1.1  0.412 ms  0.388 ms  0.371 ms',
        ' 2  172.16.0.1  2.632 ms  1.908 ms  2.154 ms',
        ' 3  172.16.9.2  3.283 ms  3.983 ms  3.874 ms',
        ' 4  10.2.2.1  4.242 ms  4.426 ms  4.318 ms',
        ' 5  10.2.2.9  4.260 ms  4.238 ms  4.178 ms',
        '# replication job started',
        '[root@avamar ~]# traceroute -I -n 10.2.2.9',
        'traceroute to 10.2.2.9 (10.2.2.9), 30 hops max, 60 byte packets',
        ' 1  10.1.1.1  0.401 ms  0.379 ms  0.362 ms',
        ' 2  172.16.0.1  2.511 ms  1.844 ms  2.071 ms',
        ' 3  172.16.9.2  3.190 ms  3.904 ms  3.801 ms',
        ' 4  * * *',
        ' 5  * * *',
        ' 6  * * *',
      ].join('\n'),
      yields: { 'trace.verdict': 'stops_at_destination_edge', 'trace.last_answering_hop': 3, 'trace.intermittent': true, 'trace.reached': false },
    },
    {
      name: 'French tracert that dies after hop 2, with nothing to compare it with',
      input: [
        'C:\\>tracert -d 10.2.2.9',
        '',
        "Détermination de l'itinéraire vers 10.2.2.9 avec un maximum de 30 sauts.",
        '',
        '  1    <1 ms    <1 ms    <1 ms  10.1.1.1',
        '  2     1 ms     1 ms     1 ms  10.9.0.1',
        "  3     *        *        *     Délai d'attente de la demande dépassé.",
        "  4     *        *        *     Délai d'attente de la demande dépassé.",
        '',
        'Itinéraire déterminé.',
      ].join('\n'),
      yields: { 'trace.reached': false, 'trace.last_answering_hop': 2, 'trace.silent_hops': 2 },
      never: ['trace.verdict', 'trace.intermittent'],
    },
    {
      name: 'Korean tracert that reaches its destination',
      input: ['C:\\Users\\admin>tracert dd01', '', '최대 30홉 이상의', 'dd01 [10.2.2.9](으)로 가는 경로 추적:', '', '  1     1 ms     1 ms     1 ms  10.1.1.1', '  2     3 ms     2 ms     2 ms  dd01 [10.2.2.9]', '', '추적을 완료했습니다.'].join('\n'),
      yields: { 'trace.reached': true, 'trace.count': 1 },
      never: ['trace.verdict', 'trace.silent_hops'],
    },
    {
      name: 'Linux traceroute -T -p 111 stopped by !X (administratively prohibited)',
      input: ['$ traceroute -T -p 111 dd02', 'traceroute to dd02 (10.2.0.5), 30 hops max, 60 byte packets', ' 1  gw (10.1.1.1)  0.5 ms  0.4 ms  0.4 ms', ' 2  fw01 (10.9.0.1)  1.1 ms !X  1.0 ms !X  1.2 ms !X'].join('\n'),
      yields: { 'trace.reached': false, 'trace.annotation': 'prohibited' },
    },
  ],
  create(ctx: ReaderContext): Parser {
    const traces: Trace[] = [];
    const timeline = new Timeline();
    let cmd: CommandLine | undefined;
    let host: string | undefined;
    let cur: Trace | undefined;
    let hopsStarted = false;

    const close = () => {
      cur = undefined;
      hopsStarted = false;
    };
    const addHop = (t: Trace, h: NonNullable<ReturnType<typeof readHop>>, no: number, text: string) => {
      const last = t.hops[t.hops.length - 1];
      if (last && h.ttl <= last.ttl) return;
      if (h.ttl === 0) {
        // pathping lists the source itself as hop 0
        t.tool = t.tool === 'tracert' ? 'pathping' : t.tool;
        t.srcAddr = h.addrs.find(isAddress) ?? h.addrs[0];
        return;
      }
      const to = Math.min(h.ttlTo ?? h.ttl, 255);
      for (let ttl = h.ttl; ttl <= to; ttl++) t.hops.push({ ttl, addrs: ttl === h.ttl ? h.addrs : [], notes: ttl === h.ttl ? h.notes : [], line: no, text });
      t.lastLine = no;
      if (isDest(t, h.addrs)) t.reached = true;
    };

    return {
      command(_no, c) {
        if (c.host) host = c.host;
        cmd = c;
        close();
      },
      mark(no: number, mark: Mark) {
        timeline.add(no, mark);
      },
      line(no, text) {
        const h = header(text);
        if (h) {
          if (traces.length >= MAX_TRACES) return;
          const name = cmd?.stages[0]?.name;
          const tool: Trace['tool'] = h.windows ? (name === 'pathping' ? 'pathping' : 'tracert') : name === 'net' ? 'net route trace' : 'traceroute';
          const named = cmd ? commandTarget(cmd, TRACE_VALUE_OPTS) : undefined;
          cur = { tool, dest: [...new Set([...h.dest, ...(named ? [named] : [])])], src: host, method: methodOf(cmd, tool), line: no, text, hops: [], reached: false, lastLine: no };
          if (/\busing ICMP\b/.test(text)) cur.method = 'icmp';
          traces.push(cur);
          hopsStarted = false;
          return;
        }
        const t = cur;
        if (!t) return;
        const trimmed = text.trim();
        if (!trimmed) return;
        if (END_WORDS.some((w) => trimmed.startsWith(w))) {
          close();
          return;
        }
        const hop = readHop(text);
        if (hop) {
          hopsStarted = true;
          addHop(t, hop, no, text);
          return;
        }
        // BSD/macOS print further routers answering the same TTL on their own indented lines
        const last = t.hops[t.hops.length - 1];
        if (last && /^\s/.test(text) && /\bms\b/.test(text)) {
          const extra = readHop(`${last.ttl} ${trimmed}`);
          if (extra?.addrs.length) {
            last.addrs = [...new Set([...last.addrs, ...extra.addrs])];
            if (isDest(t, extra.addrs)) t.reached = true;
            return;
          }
        }
        if (hopsStarted) close();
      },
      finish(): Observation[] {
        return traceObservations(traces, timeline, ctx);
      },
    };
  },
};
