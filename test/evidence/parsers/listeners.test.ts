import { describe, expect, it } from 'vitest';
import { listenersParser, splitAddress } from '../../../src/evidence/parsers/listeners.js';
import { readTextWith } from '../../../src/evidence/run-text.js';
import { runParser } from '../helpers.js';

const P = '[root@media01 ~]# ';
const withheld = (text: string) => readTextWith(listenersParser, text).withheld.map((w) => `${w.about}: ${w.why}`).join('\n');
const SS_HDR = 'State      Recv-Q Send-Q   Local Address:Port     Peer Address:Port  Process';

describe('listeners reader: addresses', () => {
  it.each([
    ['0.0.0.0:1556', '0.0.0.0', 1556],
    ['[::]:1556', '::', 1556],
    [':::1556', '::', 1556],
    ['*:1556', '*', 1556],
    ['*.1556', '*', 1556],
    ['127.0.0.1.631', '127.0.0.1', 631],
    ['127.0.0.53%lo:53', '127.0.0.53%lo', 53],
    ['*:amandaidx', '*', 10082],
    ['[::ffff:127.0.0.1]:13724', '::ffff:127.0.0.1', 13724],
  ])('%s', (token, addr, port) => {
    expect(splitAddress(token)).toEqual({ addr, port });
  });
});

describe('listeners reader: a listener on the peer\'s address', () => {
  it('ss -ltn | grep :1556 with rows, and with nothing printed', () => {
    const yes = runParser(listenersParser, `${P}ss -ltn | grep :1556\nLISTEN 0      4096         0.0.0.0:1556       0.0.0.0:*\n${P}`);
    expect(yes['listeners.port.1556'].value).toBe(true);
    expect(yes['listeners.service_port'].value).toBe(true);
    const no = runParser(listenersParser, `${P}ss -ltn | grep :1556\n${P}`);
    expect(no['listeners.service_port'].value).toBe(false);
  });
  it('the end of the file is not the end of the output', () => {
    const text = `${P}ss -ltn | grep :1556\n`;
    expect(runParser(listenersParser, text)['listeners.service_port']).toBeUndefined();
    expect(withheld(text)).toMatch(/paste ends/);
  });
  it('ss sport filter prints only the header', () => {
    const o = runParser(listenersParser, `${P}ss -ltn '( sport = :1556 )'\n${SS_HDR}\n${P}`);
    expect(o['listeners.service_port'].value).toBe(false);
    // ports outside the filter are not concluded
    expect(o['listeners.port.13724']).toBeUndefined();
  });
  it('a loopback-only listener does not serve remote peers', () => {
    const o = runParser(listenersParser, `${P}ss -lntp | grep 10082\nLISTEN 0 64 127.0.0.1:10082 0.0.0.0:* users:(("xinetd",pid=1999,fd=5))\n${P}`);
    expect(o['listeners.port.10082'].value).toBe(false);
    expect(o['listeners.loopback_only.10082'].value).toBe(true);
    expect(o['listeners.service_port'].value).toBe(false);
  });
  it('a loopback row shown through an address filter proves nothing about other addresses', () => {
    const text = `${P}netstat -ltn | grep 127.0.0.1\ntcp 0 0 127.0.0.1:10082 0.0.0.0:* LISTEN\n${P}`;
    expect(runParser(listenersParser, text)['listeners.port.10082']).toBeUndefined();
  });
  it('a complete listing gives per-port answers but no summary (which port fails is not known)', () => {
    const text = [`${P}ss -lntu`, 'Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port', 'udp   UNCONN 0      0            0.0.0.0:10080      0.0.0.0:*', 'tcp   LISTEN 0      128          0.0.0.0:22         0.0.0.0:*', 'tcp   LISTEN 0      64              [::]:10082           [::]:*', P].join('\n');
    const o = runParser(listenersParser, text);
    expect(o['listeners.port.10080'].value).toBe(true);
    expect(o['listeners.port.10082'].value).toBe(true);
    expect(o['listeners.port.10083'].value).toBe(false);
    expect(o['listeners.port.1556'].value).toBe(false);
    expect(o['listeners.service_port']).toBeUndefined();
  });
  it('a TCP-only listing says nothing about UDP 10080', () => {
    const o = runParser(listenersParser, `${P}ss -ltn\n${SS_HDR}\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n${P}`);
    expect(o['listeners.port.10080']).toBeUndefined();
    expect(o['listeners.port.1556'].value).toBe(false);
  });
  it('without -l or -a there are no listeners in the listing', () => {
    const text = `${P}ss -tn | grep :1556\n${P}`;
    expect(runParser(listenersParser, text)['listeners.service_port']).toBeUndefined();
    expect(withheld(text)).toMatch(/without -l or -a/);
    expect(runParser(listenersParser, `${P}netstat -tn | grep 1556\n${P}`)['listeners.service_port']).toBeUndefined();
  });
  it('a cut or projected listing gives no absence', () => {
    expect(runParser(listenersParser, `${P}ss -ltn | head -3\n${SS_HDR}\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n${P}`)['listeners.port.1556']).toBeUndefined();
    expect(runParser(listenersParser, `${P}netstat -ltn | awk '{print $4}'\n0.0.0.0:22\n${P}`)['listeners.port.1556']).toBeUndefined();
  });
  it('a listing filtered for another port or a process says nothing about 1556', () => {
    expect(runParser(listenersParser, `${P}ss -ltn | grep :22\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n${P}`)['listeners.port.1556']).toBeUndefined();
    expect(runParser(listenersParser, `${P}ss -ltnp | grep pbx\n${P}`)['listeners.port.1556']).toBeUndefined();
  });
  it('the source host of a connection to 1556 is not the destination', () => {
    const text = `${P}netstat -an | grep 1556\ntcp        0      1 10.1.0.7:41022          10.1.0.9:1556           SYN_SENT\n${P}`;
    expect(runParser(listenersParser, text)['listeners.service_port']).toBeUndefined();
    expect(withheld(text)).toMatch(/as a client/);
  });
  it('a media server listening on 1556 itself while it connects to a client\'s 1556 says nothing about the client', () => {
    const text = `${P}netstat -an | grep 1556\ntcp        0      0 0.0.0.0:1556            0.0.0.0:*               LISTEN\ntcp        0      1 10.1.0.7:41022          10.1.0.9:1556           SYN_SENT\n${P}`;
    const o = runParser(listenersParser, text);
    expect(o['listeners.port.1556'].value).toBe(true);
    expect(o['listeners.service_port']).toBeUndefined();
    expect(withheld(text)).toMatch(/source of the connection/);
  });
  it('netstat -an | grep 1556 on the destination: rows in other states, no LISTEN row', () => {
    const o = runParser(listenersParser, `${P}netstat -an | grep 1556\ntcp        0      0 10.1.0.9:1556           10.1.0.7:41022          TIME_WAIT\n${P}`);
    expect(o['listeners.service_port'].value).toBe(false);
  });
  it('AIX/Solaris dotted ports, and an empty grep with a ":" pattern that would miss them', () => {
    const aix = runParser(listenersParser, `# netstat -an | grep LISTEN\ntcp4       0      0  *.1556                *.*                    LISTEN\ntcp4       0      0  *.22                  *.*                    LISTEN\n# `);
    expect(aix['listeners.port.1556'].value).toBe(true);
    const text = `# netstat -an | grep :1556\n# `;
    expect(runParser(listenersParser, text)['listeners.service_port']).toBeUndefined();
    const sol = ['# netstat -an -P tcp -f inet', '', 'TCP: IPv4', '   Local Address        Remote Address    Swind Send-Q Rwind Recv-Q    State', '-------------------- -------------------- ----- ------ ----- ------ -----------', '      *.13782              *.*                0      0 128000      0 LISTEN', '# '].join('\n');
    expect(runParser(listenersParser, sol)['listeners.port.13782'].value).toBe(true);
  });
  it('Windows: localised state, and an empty result after findstr LISTENING', () => {
    const de = runParser(listenersParser, 'C:\\>netstat -ano | findstr 1556\n  TCP    0.0.0.0:1556           0.0.0.0:0              ABHÖREN         2456\nC:\\>');
    expect(de['listeners.service_port'].value).toBe(true);
    const it_ = runParser(listenersParser, 'C:\\>netstat -an\n  TCP    0.0.0.0:13724          0.0.0.0:0              IN ASCOLTO\nC:\\>');
    expect(it_['listeners.port.13724'].value).toBe(true);
    const empty = 'C:\\>netstat -ano | findstr LISTENING | findstr 1556\nC:\\>';
    expect(runParser(listenersParser, empty)['listeners.service_port']).toBeUndefined();
    expect(withheld(empty)).toMatch(/another language/);
    expect(runParser(listenersParser, 'C:\\>netstat -ano | findstr :1556\nC:\\>')['listeners.service_port'].value).toBe(false);
  });
  it('PowerShell Get-NetTCPConnection -LocalPort', () => {
    const text = ['PS C:\\> Get-NetTCPConnection -LocalPort 1556 -ErrorAction SilentlyContinue', '', 'LocalAddress                        LocalPort RemoteAddress                       RemotePort State       AppliedSetting OwningProcess', '------------                        --------- -------------                       ---------- -----       -------------- -------------', '127.0.0.1                           1556      0.0.0.0                             0          Listen                     2456', '', 'PS C:\\> '].join('\n');
    expect(runParser(listenersParser, text)['listeners.service_port'].value).toBe(false);
  });
  it('lsof -i :1556 as root, and as a user (who sees only their own sockets)', () => {
    const root = runParser(listenersParser, `${P}lsof -nP -i :1556\nCOMMAND    PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\npbx_excha 2211 root    5u  IPv4  24680      0t0  TCP *:1556 (LISTEN)\n${P}`);
    expect(root['listeners.service_port'].value).toBe(true);
    const user = '[backup@media01 ~]$ lsof -i :1556\n[backup@media01 ~]$ ';
    expect(runParser(listenersParser, user)['listeners.service_port']).toBeUndefined();
    expect(withheld(user)).toMatch(/without root/);
    expect(runParser(listenersParser, `${P}lsof -i :1556\n${P}`)['listeners.service_port'].value).toBe(false);
  });
  it('rows without a command give positives only', () => {
    const o = runParser(listenersParser, 'tcp        0      0 0.0.0.0:13724           0.0.0.0:*               LISTEN\ntcp        0      0 10.1.0.9:1556           10.1.0.7:41022          ESTABLISHED');
    expect(o['listeners.port.13724'].value).toBe(true);
    expect(o['listeners.port.1556']).toBeUndefined();
    expect(o['listeners.port.13782']).toBeUndefined();
  });
});

describe('listeners reader: service units', () => {
  const unit = (active: string, loaded = 'loaded (/usr/lib/systemd/system/xinetd.service; enabled; vendor preset: enabled)') =>
    `${P}systemctl status xinetd\n● xinetd.service - Xinetd A Powerful Replacement For Inetd\n   Loaded: ${loaded}\n   Active: ${active}\n Main PID: 1999 (xinetd)\n${P}`;
  it('failed, and enabled but dead: not serving', () => {
    expect(runParser(listenersParser, unit('failed (Result: exit-code) since Tue 2026-11-24 02:10:01 CET; 3min ago'))['listeners.service_port'].value).toBe(false);
    expect(runParser(listenersParser, unit('inactive (dead) since Tue 2026-11-24 02:10:01 CET; 3min ago'))['listeners.service_port'].value).toBe(false);
    expect(runParser(listenersParser, unit('activating (auto-restart) (Result: exit-code) since Tue 2026-11-24 02:10:01 CET; 2s ago'))['listeners.service_port'].value).toBe(false);
  });
  it('running says nothing about the port; disabled and dead may be served otherwise', () => {
    const run = runParser(listenersParser, unit('active (running) since Tue 2026-11-24 02:10:01 CET; 3h ago'));
    expect(run['listeners.unit_state.xinetd'].value).toBe('running');
    expect(run['listeners.service_port']).toBeUndefined();
    const off = unit('inactive (dead)', 'loaded (/usr/lib/systemd/system/xinetd.service; disabled; vendor preset: disabled)');
    expect(runParser(listenersParser, off)['listeners.service_port']).toBeUndefined();
    expect(withheld(off)).toMatch(/not enabled/);
  });
  it('a socket unit lists its ports', () => {
    const text = `${P}systemctl status amanda.socket\n● amanda.socket - Amanda Activation Socket\n   Loaded: loaded (/usr/lib/systemd/system/amanda.socket; enabled; vendor preset: disabled)\n   Active: active (listening) since Tue 2026-11-24 01:00:00 CET; 1h ago\n   Listen: [::]:10080 (Stream)\n${P}`;
    const o = runParser(listenersParser, text);
    expect(o['listeners.unit_state.amanda'].value).toBe('listening');
    expect(o['listeners.port.10080'].value).toBe(true);
  });
  it('SysV service status, and a unit that is not a backup service', () => {
    expect(runParser(listenersParser, `${P}service xinetd status\nxinetd dead but pid file exists\n${P}`)['listeners.service_port'].value).toBe(false);
    expect(runParser(listenersParser, `${P}service xinetd status\nxinetd (pid  2211) is running...\n${P}`)['listeners.unit_state.xinetd'].value).toBe('running');
    const cups = `${P}systemctl status cups\n● cups.service - CUPS Scheduler\n   Loaded: loaded (/usr/lib/systemd/system/cups.service; enabled; vendor preset: enabled)\n   Active: failed (Result: exit-code)\n${P}`;
    expect(runParser(listenersParser, cups)['listeners.service_port']).toBeUndefined();
  });
  it('checks that disagree give no summary', () => {
    const text = `${P}ss -ltn | grep :1556\nLISTEN 0 4096 0.0.0.0:1556 0.0.0.0:*\n${P}systemctl status vxpbx_exchanged\n● vxpbx_exchanged.service - Veritas Private Branch Exchange\n   Loaded: loaded (/etc/systemd/system/vxpbx_exchanged.service; enabled)\n   Active: failed (Result: exit-code)\n${P}`;
    expect(runParser(listenersParser, text)['listeners.service_port']).toBeUndefined();
  });
  it('a 16 K hostile line is read quickly', () => {
    const hostile = `LISTEN ${'0 '.repeat(8000)}`;
    // no header and no row: nothing printed that a host would print, so no absence either
    expect(runParser(listenersParser, `${P}ss -ltn\n${hostile}\n${':'.repeat(16000)}\n${P}`)['listeners.port.1556']).toBeUndefined();
    expect(runParser(listenersParser, `${P}ss -ltn\n${SS_HDR}\n${hostile}\n${'[::]:'.repeat(3000)}\n${P}`)['listeners.port.1556'].value).toBe(false);
  });
});

describe('listeners reader: several commands on one line', () => {
  it('systemctl status xinetd; ls /etc/xinetd.d/ (the fact\'s own check)', () => {
    const text = `${P}systemctl status xinetd; ls /etc/xinetd.d/\n● xinetd.service - Xinetd A Powerful Replacement For Inetd\n   Loaded: loaded (/usr/lib/systemd/system/xinetd.service; enabled; vendor preset: enabled)\n   Active: failed (Result: exit-code) since Mon 2026-11-24 02:09:58 CET; 4min ago\namanda  amandaidx  amidxtape  chargen-dgram  chargen-stream\n${P}`;
    expect(runParser(listenersParser, text)['listeners.service_port'].value).toBe(false);
  });
  it('a listing sharing its output with another command gives positives only', () => {
    const o = runParser(listenersParser, `${P}date; ss -ltn | grep :1556\nMon Nov 24 02:10:01 CET 2026\n${P}`);
    expect(o['listeners.service_port']).toBeUndefined();
  });
});
