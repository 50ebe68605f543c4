import { describe, expect, it } from 'vitest';
import { tcpTuningParser } from '../../../src/evidence/parsers/tcp-tuning.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { runParser } from '../helpers.js';

const withheld = (text: string) => readTextWith(tcpTuningParser, text).withheld.map((w) => `${w.about}: ${w.why}`).join('\n');

describe('tcp-tuning reader: Linux', () => {
  it('window scaling off limits the window whatever the buffers', () => {
    const o = runParser(tcpTuningParser, 'net.ipv4.tcp_window_scaling = 0\nnet.ipv4.tcp_rmem = 4096\t131072\t6291456\nnet.ipv4.tcp_wmem = 4096\t16384\t4194304');
    expect(o['tcp.window_scaling'].value).toBe(false);
    expect(o['tcp.small_buffers'].value).toBe(true);
  });
  it('large maxima are "not limited" only with scaling known to be on and both maxima read', () => {
    expect(runParser(tcpTuningParser, 'net.ipv4.tcp_rmem = 4096 87380 6291456\nnet.ipv4.tcp_wmem = 4096 16384 4194304')['tcp.small_buffers']).toBeUndefined();
    expect(runParser(tcpTuningParser, 'net.ipv4.tcp_window_scaling = 1\nnet.ipv4.tcp_rmem = 4096 87380 6291456')['tcp.small_buffers']).toBeUndefined();
    expect(runParser(tcpTuningParser, 'net.ipv4.tcp_window_scaling = 1\nnet.ipv4.tcp_rmem = 4096 87380 1048576\nnet.ipv4.tcp_wmem = 4096 16384 1048576')['tcp.small_buffers']).toBeUndefined(); // 1 MiB: neither
  });
  it('the 256 KiB boundary', () => {
    expect(runParser(tcpTuningParser, 'net.ipv4.tcp_rmem = 4096 87380 262144')['tcp.small_buffers'].value).toBe(true);
    expect(runParser(tcpTuningParser, 'net.ipv4.tcp_rmem = 4096 87380 262145')['tcp.small_buffers']).toBeUndefined();
  });
  it('net.core.rmem_max alone (208 KiB on every Linux) is not a limit on auto-tuned windows', () => {
    const o = runParser(tcpTuningParser, 'net.core.rmem_max = 212992\nnet.core.wmem_max = 212992');
    expect(o['tcp.core_rmem_max'].value).toBe(212992);
    expect(o['tcp.small_buffers']).toBeUndefined();
  });
  it('sysctl -n and /proc/sys read in command order', () => {
    const o = runParser(tcpTuningParser, '$ sysctl -n net.ipv4.tcp_keepalive_time net.ipv4.tcp_keepalive_intvl net.ipv4.tcp_keepalive_probes\n7200\n75\n9\n$ cat /proc/sys/net/ipv4/tcp_fin_timeout\n60\n$ ');
    expect(o['tcp.keepalive_time_s'].value).toBe(7200);
    expect(o['tcp.keepalive_intvl_s'].value).toBe(75);
    expect(o['tcp.keepalive_probes'].value).toBe(9);
    expect(o['tcp.fin_timeout_s'].value).toBe(60);
  });
  it('tw_reuse and max_tw_buckets from sysctl -a', () => {
    const o = runParser(tcpTuningParser, '# sysctl -a 2>/dev/null | grep tcp_\nnet.ipv4.tcp_max_tw_buckets = 262144\nnet.ipv4.tcp_tw_reuse = 2\n# ');
    expect(o['tcp.tw_reuse'].value).toBe(2);
    expect(o['tcp.max_tw_buckets'].value).toBe(262144);
  });
  it('a configuration file is not the running value', () => {
    const text = '# cat /etc/sysctl.conf\nnet.ipv4.tcp_window_scaling = 0\n# ';
    expect(runParser(tcpTuningParser, text)['tcp.window_scaling']).toBeUndefined();
    expect(withheld(text)).toMatch(/configuration file/);
  });
  it('values after a change, or disagreeing values, are withheld', () => {
    const change = '# sysctl -p\nnet.ipv4.tcp_rmem = 4096 87380 16777216\n# ';
    expect(runParser(tcpTuningParser, change)['tcp.rmem_max']).toBeUndefined();
    expect(withheld(change)).toMatch(/sysctl -p/);
    const two = 'net.ipv4.tcp_window_scaling = 1\nnet.ipv4.tcp_window_scaling = 0';
    expect(runParser(tcpTuningParser, two)['tcp.window_scaling']).toBeUndefined();
    expect(withheld(two)).toMatch(/different values/);
  });
  it('BSD sysctl with a colon', () => {
    const o = runParser(tcpTuningParser, 'net.inet.tcp.rfc1323: 0\nnet.inet.tcp.keepidle: 7200000');
    expect(o['tcp.small_buffers'].value).toBe(true);
    expect(o['tcp.keepalive_time_s'].value).toBe(7200);
  });
});

describe('tcp-tuning reader: Windows, Solaris, AIX', () => {
  const netsh = (label: string, value: string) => `C:\\>netsh int tcp show global\n\n${label} : ${value}\n`;
  it.each([
    ['Receive Window Auto-Tuning Level', 'disabled', true],
    ['Receive Window Auto-Tuning Level', 'highlyrestricted', true],
    ['Receive Window Auto-Tuning Level', 'restricted', undefined],
    ['Receive Window Auto-Tuning Level', 'normal', false],
    ['Autom. Abstimmungsgrad Empfangsfenster', 'disabled', true],
    ['Niveau de paramétrage automatique de la fenêtre de réception', 'normal', false],
    ['Nivel de ajuste automático de ventana de recepción', 'disabled', true],
    ['Уровень автонастройки окна получения', 'disabled', true],
    ['受信ウィンドウ自動チューニング レベル', 'normal', false],
  ])('%s : %s', (label, value, small) => {
    const o = runParser(tcpTuningParser, netsh(label, value));
    expect(o['tcp.small_buffers']?.value).toBe(small);
  });
  it('other netsh lines are not the auto-tuning level', () => {
    const o = runParser(tcpTuningParser, 'C:\\>netsh int tcp show global\nReceive-Side Scaling State : disabled\nChimney Offload State : disabled\nRFC 1323 Timestamps : disabled\n');
    expect(o['tcp.autotuning_level']).toBeUndefined();
    expect(runParser(tcpTuningParser, 'C:\\>netsh int tcp show heuristics\nWindow Scaling heuristics : disabled\n')['tcp.autotuning_level']).toBeUndefined();
  });
  it('netsh set global in the paste', () => {
    const text = 'C:\\>netsh int tcp set global autotuninglevel=normal\nOk.\n\nC:\\>netsh int tcp show global\nReceive Window Auto-Tuning Level    : normal\n';
    expect(runParser(tcpTuningParser, text)['tcp.small_buffers']).toBeUndefined();
  });
  it('Solaris ndd and AIX no', () => {
    const sol = runParser(tcpTuningParser, '# ndd -get /dev/tcp tcp_recv_hiwat\n49152\n# ndd /dev/tcp tcp_keepalive_interval\n7200000\n# ');
    expect(sol['tcp.default_rcvbuf'].value).toBe(49152);
    expect(sol['tcp.keepalive_time_s'].value).toBe(7200);
    expect(sol['tcp.small_buffers']).toBeUndefined();
    const aix = '# no -a | egrep "rfc1323|use_isno|tcp_keepidle"\n                 rfc1323 = 0\n                use_isno = 1\n            tcp_keepidle = 14400\n# ';
    expect(runParser(tcpTuningParser, aix)['tcp.small_buffers']).toBeUndefined();
    expect(withheld(aix)).toMatch(/use_isno/);
    expect(runParser(tcpTuningParser, aix)['tcp.keepalive_time_s'].value).toBe(7200);
    expect(runParser(tcpTuningParser, aix.replace('use_isno = 1', 'use_isno = 0'))['tcp.small_buffers'].value).toBe(true);
  });
  it('reg query values are hexadecimal; unknown values are ignored', () => {
    const o = runParser(tcpTuningParser, '    TcpTimedWaitDelay    REG_DWORD    0x3c\n    DisableTaskOffload    REG_DWORD    0x1\n');
    expect(o['tcp.time_wait_s'].value).toBe(60);
  });
});

describe('tcp-tuning reader: hostile input', () => {
  it('16 K lines of padding, colons and equals signs', () => {
    const lines = [`net.ipv4.tcp_rmem = ${'1 '.repeat(8000)}`, `${'a'.repeat(16000)} : disabled`, `${'window auto '.repeat(1300)} : disabled`, `${'='.repeat(16000)}`];
    const o = runParser(tcpTuningParser, lines.join('\n'));
    expect(o['tcp.rmem_max']).toBeUndefined();
    expect(o['tcp.autotuning_level'].value).toBe('disabled');
  });
});

describe('tcp-tuning reader: several commands on one line', () => {
  it('sysctl -n a; cat /proc/sys/b; ndd c print bare values in order', () => {
    const o = runParser(tcpTuningParser, '# sysctl -n net.ipv4.tcp_window_scaling; cat /proc/sys/net/ipv4/tcp_keepalive_time\n0\n600\n# ');
    expect(o['tcp.window_scaling'].value).toBe(false);
    expect(o['tcp.keepalive_time_s'].value).toBe(600);
  });
  it('a change anywhere on the line taints what follows', () => {
    expect(runParser(tcpTuningParser, '# sysctl -w net.ipv4.tcp_window_scaling=1; sysctl net.ipv4.tcp_window_scaling\nnet.ipv4.tcp_window_scaling = 1\nnet.ipv4.tcp_window_scaling = 1\n# ')['tcp.window_scaling']).toBeUndefined();
  });
});
