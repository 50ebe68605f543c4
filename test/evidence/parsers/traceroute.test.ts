import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tracerouteParser } from '../../../src/evidence/parsers/traceroute.js';
import type { TracePath } from '../../../src/evidence/path/trace.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { FIX, runParser } from '../helpers.js';

const fx = (n: string) => readFileSync(join(FIX, n), 'utf8');
const read = (lines: string[]) => runParser(tracerouteParser, lines.join('\n'));
const paths = (lines: string[]) => readTextWith(tracerouteParser, lines.join('\n')).observations.filter((o) => o.key === 'trace.path').map((o) => o.data as TracePath);
const withheld = (lines: string[]) => readTextWith(tracerouteParser, lines.join('\n')).withheld.map((w) => `${w.about}: ${w.why}`).join('\n');

const complete = (prompt: string) => [`${prompt} traceroute -I -n 10.2.2.9`, 'traceroute to 10.2.2.9 (10.2.2.9), 30 hops max, 60 byte packets', ' 1  10.1.1.1  0.4 ms  0.4 ms  0.4 ms', ' 2  172.16.0.1  2.6 ms  1.9 ms  2.1 ms', ' 3  10.2.2.1  3.2 ms  3.9 ms  3.8 ms', ' 4  10.2.2.9  4.2 ms  4.2 ms  4.1 ms'];
const dying = (prompt: string, method = '-I') => [`${prompt} traceroute ${method} -n 10.2.2.9`, 'traceroute to 10.2.2.9 (10.2.2.9), 30 hops max, 60 byte packets', ' 1  10.1.1.1  0.4 ms  0.4 ms  0.4 ms', ' 2  172.16.0.1  2.6 ms  1.9 ms  2.1 ms', ' 3  * * *', ' 4  * * *', ' 5  * * *'];

describe('traceroute reader', () => {
  it('seed 000: the later trace dies at the destination edge where the earlier one reached', () => {
    const o = runParser(tracerouteParser, fx('traceroute-seed000.txt'));
    expect(o['trace.verdict'].value).toBe('stops_at_destination_edge');
    expect(o['trace.last_answering_hop'].value).toBe(13);
    expect(o['trace.intermittent'].value).toBe(true);
  });

  it('Windows tracert that dies after hop 2, with nothing to compare', () => {
    const o = runParser(tracerouteParser, fx('tracert.txt'));
    expect(o['trace.reached'].value).toBe(false);
    expect(o['trace.last_answering_hop'].value).toBe(2);
    expect(o['trace.verdict']).toBeUndefined();
  });

  it('with job marks, the trace during the job is the one judged: reaches', () => {
    const o = read(['# before the job', ...dying('$'), '# replication job running', ...complete('$')]);
    expect(o['trace.verdict'].value).toBe('reaches_destination');
  });

  it('with job marks, a trace that died before the job is not "during the job"', () => {
    const lines = [...complete('$'), ...dying('$'), '# the job was started after these traces'];
    expect(read(lines)['trace.verdict']).toBeUndefined();
    expect(withheld(lines)).toMatch(/no trace .* during the job/);
  });

  it('unmarked: a trace that died before one that reached is not read as "during the job"', () => {
    const lines = [...dying('$'), ...complete('$')];
    const o = read(lines);
    expect(o['trace.verdict']).toBeUndefined();
    expect(o['trace.intermittent'].value).toBe(true);
    expect(withheld(lines)).toMatch(/came before the one that reached/);
  });

  it('stops earlier: the trace during the job dies well before the destination edge', () => {
    const o = read([...complete('$'), '# job started', '$ traceroute -I -n 10.2.2.9', 'traceroute to 10.2.2.9 (10.2.2.9), 30 hops max, 60 byte packets', ' 1  10.1.1.1  0.4 ms  0.4 ms  0.4 ms', ' 2  * * *', ' 3  * * *', ' 4  * * *', ' 5  * * *', ' 6  * * *']);
    expect(o['trace.verdict'].value).toBe('stops_earlier');
  });

  it('compares like with like: a TCP trace to port 111 is not judged against an ICMP one', () => {
    const lines = [...complete('$'), '# job started', ...dying('$', '-T -p 111')];
    expect(read(lines)['trace.verdict']).toBeUndefined();
  });

  it('traces from two hosts are not compared as before/during (that is forward/reverse)', () => {
    const o = read([...complete('[root@avamar ~]#'), '# job started', ...dying('[root@media01 ~]#')]);
    expect(o['trace.verdict']).toBeUndefined();
    expect(o['trace.intermittent']).toBeUndefined();
  });

  it('reads annotations, several routers on one hop, and the AS column', () => {
    const p = paths(['$ traceroute -A dd02', 'traceroute to dd02 (10.2.0.5), 30 hops max, 60 byte packets', ' 1  gw (10.1.1.1) [AS64500]  0.5 ms  0.4 ms  0.4 ms', ' 2  r1a (10.0.5.1) [AS64500]  3.1 ms r1b (10.0.6.1) [AS64500]  3.4 ms  3.3 ms', ' 3  dd02 (10.2.0.5) [AS64501]  4.0 ms !H  4.1 ms !H  4.0 ms !H']);
    expect(p[0].hops).toEqual([['10.1.1.1'], ['10.0.5.1', '10.0.6.1'], ['10.2.0.5']]);
    expect(p[0].reached).toBe(true);
    const o = read(['$ traceroute -n dd02', 'traceroute to dd02 (10.2.0.5), 30 hops max, 60 byte packets', ' 1  10.1.1.1  0.5 ms  0.4 ms  0.4 ms', ' 2  10.9.0.1  1.1 ms !N  *  1.0 ms !N']);
    expect(o['trace.annotation'].value).toBe('net_unreachable');
  });

  it('a router answering !F-1400 names the path MTU', () => {
    const o = read(['$ traceroute --mtu dd02', 'traceroute to dd02 (10.2.0.5), 30 hops max, 65000 byte packets', ' 1  10.1.1.1  0.5 ms F=1500  0.4 ms  0.4 ms', ' 2  10.9.0.1  1.1 ms !F-1400  1.0 ms !F-1400  1.2 ms !F-1400']);
    expect(o['trace.frag_needed_mtu'].value).toBe(1400);
  });

  it('localised tracert (German, Korean) and pathping with its source as hop 0', () => {
    const de = read(['C:\\>tracert dd01', '', 'Routenverfolgung zu dd01 [10.2.2.9]', 'über maximal 30 Hops:', '', '  1    <1 ms    <1 ms    <1 ms  10.1.1.1', '  2     *        *        *     Zeitüberschreitung der Anforderung.', '  3     4 ms     4 ms     4 ms  dd01 [10.2.2.9]', '', 'Ablaufverfolgung beendet.']);
    expect(de['trace.reached'].value).toBe(true);
    const ko = read(['C:\\>tracert -d 10.2.2.9', '', '최대 30홉 이상의', '10.2.2.9(으)로 가는 경로 추적:', '', '  1     1 ms     1 ms     1 ms  10.1.1.1', '  2     *        *        *     요청 시간이 만료되었습니다.', '  3     *        *        *     요청 시간이 만료되었습니다.', '', '추적을 완료했습니다.']);
    expect(ko['trace.reached'].value).toBe(false);
    expect(ko['trace.silent_hops'].value).toBe(2);
    const pp = paths(['C:\\>pathping -n 10.2.2.9', '', 'Tracing route to 10.2.2.9 over a maximum of 30 hops', '', '  0  10.1.1.5', '  1  10.1.1.1', '  2  10.2.2.9', '', 'Computing statistics for 50 seconds...', '            Source to Here   This Node/Link', 'Hop  RTT    Lost/Sent = Pct  Lost/Sent = Pct  Address', '  0                                           10.1.1.5', '                                0/ 100 =  0%   |', '  1    0ms     0/ 100 =  0%     0/ 100 =  0%  10.1.1.1', '  2    1ms     0/ 100 =  0%     0/ 100 =  0%  10.2.2.9', '', 'Trace complete.']);
    expect(pp).toHaveLength(1);
    expect(pp[0]).toMatchObject({ tool: 'pathping', srcAddr: '10.1.1.5', reached: true, hops: [['10.1.1.1'], ['10.2.2.9']] });
  });

  it('Japanese and Chinese tracert headers name the destination', () => {
    const ja = paths(['C:\\>tracert dd01', '', 'dd01 [10.2.2.9] へのルートをトレースしています', '経由するホップ数は最大 30 です:', '', '  1    <1 ms    <1 ms    <1 ms  10.1.1.1', '  2     3 ms     3 ms     3 ms  dd01 [10.2.2.9]', '', 'トレースを完了しました。']);
    expect(ja[0]).toMatchObject({ tool: 'tracert', dest: ['dd01', '10.2.2.9'], reached: true });
    const zh = paths(['C:\\>tracert -d 10.2.2.9', '', '通过最多 30 个跃点跟踪', '到 10.2.2.9 的路由:', '', '  1    <1 ms    <1 ms    <1 ms  10.1.1.1', '  2     *        *        *     请求超时。', '', '跟踪完成。']);
    expect(zh[0]).toMatchObject({ dest: ['10.2.2.9'], reached: false, hops: [['10.1.1.1'], []] });
  });

  it('Data Domain net route trace: the prompt names the source', () => {
    const p = paths(['sysadmin@dd01# net route trace 10.1.1.5', 'traceroute to 10.1.1.5 (10.1.1.5), 30 hops max, 40 byte packets', ' 1  10.2.2.1 (10.2.2.1)  0.3 ms  0.3 ms  0.2 ms', ' 2  10.1.1.5 (10.1.1.5)  4.1 ms  4.0 ms  4.2 ms']);
    expect(p[0]).toMatchObject({ tool: 'net route trace', src: 'dd01', reached: true });
  });

  it('timeout words and prose are never taken for routers; other output ends the trace', () => {
    const o = read(['C:\\>tracert -d 10.2.2.9', 'Tracing route to 10.2.2.9 over a maximum of 30 hops', '  1     *        *        *     Request timed out.', '  2     *        *        *     Request timed out.', 'C:\\>netstat -an', '  1  Something else entirely here', '  9     5 ms     5 ms     5 ms  10.2.2.9']);
    expect(o['trace.reached'].value).toBe(false);
    expect(o['trace.last_answering_hop']).toBeUndefined();
  });

  it('hostile input: a 16 K hop line is read in linear time', () => {
    const o = read(['traceroute to dd02 (10.2.0.5), 30 hops max', ` 1  ${'( '.repeat(4000)}${'* '.repeat(2000)}${'1.0 '.repeat(1500)}`]);
    expect(o['trace.count'].value).toBe(1);
  });
});
