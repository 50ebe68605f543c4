import { describe, expect, it } from 'vitest';
import { classifyLine, describeView, parseCommand } from '../../src/evidence/transcript.js';

const cmdOf = (line: string) => {
  const c = classifyLine(line);
  if (c.kind !== 'command') throw new Error(`not a command: ${line} (${c.kind})`);
  return c.cmd;
};

describe('transcript: commands are context, not output', () => {
  it.each([
    ['$ grep -E \'ERRNO=98|status 7638\' /usr/openv/netbackup/logs/bpbrm/log.112426', 'grep'],
    ['# ss -tan | wc -l', 'ss'],
    ['C:\\> netstat -ano | findstr 1556', 'netstat'],
    ['C:\\Program Files\\Veritas\\NetBackup\\bin>bpclntcmd -pn', 'bpclntcmd'],
    ['PS C:\\Users\\admin> Get-NetTCPConnection -State TimeWait | Measure-Object', 'get-nettcpconnection'],
    ['PS> Get-NetTCPConnection', 'get-nettcpconnection'],
    ['[root@media01 ~]# ss -tanp state close-wait', 'ss'],
    ['root@media01:~# sysctl net.ipv4.ip_local_port_range', 'sysctl'],
    ['sysadmin@dd01# net show connections', 'net'],
    ['bash-4.2# getenforce', 'getenforce'],
    ['media01:~ # lsmod | grep conntrack', 'lsmod'],
    ['fw01# show conn address 10.1.0.9', 'show'],
    ['netstat -an | grep 1556', 'netstat'],
    ['sudo tcpdump -ni eth0 port 1556', 'tcpdump'],
    ['time getent hosts client01', 'getent'],
    ['# /usr/sbin/ndd /dev/tcp tcp_smallest_anon_port', 'ndd'],
    ['getenforce', 'getenforce'],
    ['# ipadm show-prop -p smallest_anon_port,largest_anon_port tcp', 'ipadm'],
    ['# /usr/sbin/ndd /dev/tcp tcp_smallest_anon_port; /usr/sbin/ndd /dev/tcp tcp_largest_anon_port', 'ndd'],
    ['# echo "CLIENT_PORT_WINDOW = 0 0" | bpsetconfig', 'echo'],
  ])('%s', (line, name) => {
    expect(cmdOf(line).stages[0].name).toBe(name);
  });

  it.each([
    'tcp        0      1 10.1.0.7:41022          10.1.0.9:1556           SYN_SENT',
    '  TCP    10.1.0.7:49852         10.1.0.9:1556          SYN_SENT        4120',
    'PING dd02 (10.2.0.5) 56(84) bytes of data.',
    'traceroute to dd02 (10.2.0.5), 30 hops max, 60 byte packets',
    'iperf 3.9 (cJSON 1.7.13)',
    'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode',
    'Enforcing',
    '17:50:04.006 [12345] <2> logconnections: connect in progress: 1',
    'State      Recv-Q Send-Q Local Address:Port   Peer Address:Port',
    'ping: sendmsg: Operation not permitted',
  ])('output: %s', (line) => expect(classifyLine(line).kind).toBe('output'));

  it('reads what the pipeline does to the listing', () => {
    const a = cmdOf('[root@media01 ~]# ss -tan state time-wait | wc -l');
    expect(a.host).toBe('media01');
    expect(a.filters[0]).toMatchObject({ by: 'state', state: 'TIME_WAIT' });
    expect(a.counted).toBe('wc -l');
    const b = cmdOf('C:\\> netstat -ano | findstr 1556');
    expect(b.filters[0]).toMatchObject({ by: 'port', port: 1556 });
    expect(describeView(b)).toBe('filtered by findstr 1556');
    const c = cmdOf("$ netstat -ant | awk '{print $6}' | sort | uniq -c");
    expect(c.grouped).toContain('uniq -c');
    expect(c.projected).toContain('print $6');
    const d = cmdOf('$ netstat -an | head -50');
    expect(d.truncated).toBe('head -50');
    const e = cmdOf("$ netstat -an | grep -c TIME_WAIT");
    expect(e.filters[0]).toMatchObject({ by: 'state', state: 'TIME_WAIT' });
    expect(e.counted).toBeDefined();
    const f = cmdOf('PS C:\\> Get-NetTCPConnection -RemotePort 1556');
    expect(f.filters[0]).toMatchObject({ by: 'port', port: 1556 });
    const g = cmdOf('$ time ./bptestbpcd -client client01 -verbose');
    expect(g.timed).toBe(true);
    expect(g.stages[0].name).toBe('bptestbpcd');
    const h = cmdOf('$ netstat -an | tail -n +3');
    expect(h.truncated).toBeUndefined();
  });

  it('notes and marks', () => {
    expect(classifyLine('# job started 02:10')).toMatchObject({ kind: 'note', mark: { kind: 'job', phase: 'start' } });
    expect(classifyLine('--- replication job running ---')).toMatchObject({ kind: 'note', mark: { kind: 'job', phase: 'during' } });
    expect(classifyLine('# before the backup')).toMatchObject({ kind: 'note', mark: { kind: 'job', phase: 'before' } });
    expect(classifyLine('# ping works until the job starts')).toMatchObject({ kind: 'note' });
    expect(classifyLine('=== Tue Nov 24 02:10:01 UTC 2026 ===')).toMatchObject({ kind: 'note', mark: { kind: 'time' } });
    expect(classifyLine('Tue Nov 24 02:10:01 UTC 2026')).toMatchObject({ kind: 'mark', mark: { kind: 'time' } });
    // a loaded link (iperf, "under load") is a phase too; readers tell it from the job by the mark's words
    expect(classifyLine('# while iperf3 runs')).toMatchObject({ kind: 'note', mark: { kind: 'job', phase: 'during' } });
    expect(classifyLine('--- ping under load ---')).toMatchObject({ kind: 'note', mark: { kind: 'job', phase: 'during' } });
    expect(classifyLine('# load average is high')).toMatchObject({ kind: 'note', mark: { kind: 'note' } });
    // German ping's statistics caption looks like a cmdlet but is output
    expect(classifyLine('Ping-Statistik für 10.2.2.9:')).toEqual({ kind: 'output' });
    expect(classifyLine('Get-NetTCPConnection -State TimeWait')).toMatchObject({ kind: 'command' });
    // a Data Domain prompt before "net route trace" is a command, not output
    expect(classifyLine('dd01# net route trace 10.1.1.5')).toMatchObject({ kind: 'command', cmd: { host: 'dd01', stages: [{ name: 'net', args: ['route', 'trace', '10.1.1.5'] }] } });
    // any other note reaches the readers as a note mark, so they can see "# after opening the port"
    expect(classifyLine('# after opening 2049 on the firewall')).toMatchObject({ kind: 'note', mark: { kind: 'note', text: 'after opening 2049 on the firewall' } });
    expect(classifyLine('=== retest ===')).toMatchObject({ kind: 'note', mark: { kind: 'note', text: 'retest' } });
    expect(classifyLine('------')).toEqual({ kind: 'note' });
    const w = classifyLine('Every 1.0s: netstat -na | grep 1556       media01: Tue Nov 24 02:10:01 2026');
    expect(w).toMatchObject({ kind: 'command', cmd: { host: 'media01', filters: [{ by: 'port', port: 1556 }] }, mark: { kind: 'time' } });
  });

  it('an empty prompt ends the output of the command before it; a bare "#" may be a comment line', () => {
    for (const line of ['[root@suzuki ~]# ', '[root@suzuki ~]#', 'root@media01:~# ', 'C:\\>', 'PS C:\\Users\\admin> ', '$ ', '$', '% ', '# ']) {
      expect(classifyLine(line), line).toEqual({ kind: 'note', prompt: true });
    }
    expect(classifyLine('#')).toEqual({ kind: 'note' });
    expect(classifyLine('$ lsmod')).toMatchObject({ kind: 'command' });
  });

  it('a PowerShell count of a whole pipeline, (…).Count or @(…).Length, is a counted command', () => {
    const a = cmdOf('PS C:\\> (Get-NetTCPConnection -State TimeWait).Count');
    expect(a.stages[0].name).toBe('get-nettcpconnection');
    expect(a.filters[0]).toMatchObject({ by: 'state', state: 'TIME_WAIT' });
    expect(a.counted).toBe('.Count');
    expect(a.command).toBe('(Get-NetTCPConnection -State TimeWait).Count');
    const b = cmdOf('@(Get-NetTCPConnection -State CloseWait).Count');
    expect(b.filters[0]).toMatchObject({ by: 'state', state: 'CLOSE_WAIT' });
    expect(cmdOf('(Get-NetTCPConnection).Count').counted).toBe('.Count');
    expect(cmdOf('(netstat -an | findstr TIME_WAIT).Length').filters[0]).toMatchObject({ by: 'state', state: 'TIME_WAIT' });
    // parentheses that do not wrap the whole command, and prose, are not counts
    expect(classifyLine('(some text).Count').kind).toBe('output');
    expect(cmdOf('PS C:\\> (Get-Date) - (Get-Date).Count').counted).toBeUndefined();
  });

  it('parses one command written without a prompt (a part of a sequence)', () => {
    const c = parseCommand('ss -tanH state close-wait | sort');
    expect(c?.stages.map((s) => s.name)).toEqual(['ss', 'sort']);
    expect(c?.filters[0]).toMatchObject({ by: 'state', state: 'CLOSE_WAIT' });
    expect(parseCommand('   ')).toBeUndefined();
  });

  it("nslookup's three-star failures are output; star decorations stay notes", () => {
    expect(classifyLine("*** dc01.example.com can't find 10.0.1.9: Non-existent domain").kind).toBe('output');
    expect(classifyLine('*** Request to UnKnown timed-out').kind).toBe('output');
    expect(classifyLine('*** 10.0.1.9 wurde von dc01 nicht gefunden: Non-existent domain').kind).toBe('output');
    expect(classifyLine('*** job started 02:10 ***')).toMatchObject({ kind: 'note', mark: { kind: 'job', phase: 'start' } });
    expect(classifyLine('*** after the backup started').kind).toBe('note');
    expect(classifyLine('*** backup started: 02:10')).toMatchObject({ kind: 'note', mark: { kind: 'job', phase: 'start' } });
    expect(classifyLine('**********************').kind).toBe('note');
  });

  it("a PowerShell error record that starts with the cmdlet's name is output, not a command", () => {
    expect(classifyLine('Resolve-DnsName : 9.1.0.10.in-addr.arpa : DNS name does not exist').kind).toBe('output');
    expect(classifyLine('Resolve-DnsName 10.0.1.9').kind).toBe('command');
  });
});
