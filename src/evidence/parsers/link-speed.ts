/**
 * The nominal speed of a host's network links: Linux `ethtool IFACE` ("Settings for eth0:", "Speed: 1000Mb/s",
 * "Speed: Unknown!" when the link is down) and PowerShell `Get-NetAdapter` tables (the LinkSpeed at the end of
 * each row whose Status is Up, such as "10 Gbps"). Concludes the fastest link that is up (link.speed_mbps), which the
 * iperf-link-share combiner sets against iperf in the same paste.
 */
import type { Observation, Parser, ParserDef } from './types.js';

const ETHTOOL_SPEED = /^Speed:\s*(\d+)Mb\/s$/;
const PS_SPEED = /^(\d+(?:\.\d+)?)\s+([KMG])bps$/;
const SCALE: Record<string, number> = { K: 0.001, M: 1, G: 1000 };

export const linkSpeedParser: ParserDef = {
  kind: 'link-speed',
  label: 'ethtool / Get-NetAdapter link speed',
  aliases: ['ethtool'],
  detect: [/^Settings for \S+:$/, /^\s*Speed:\s*\d+Mb\/s$/],
  bigFileLiterals: ['Speed:', 'Settings for', 'LinkSpeed', 'bps'],
  emits: {
    'link.speed_mbps': { type: 'number', unit: 'Mbit/s', meaning: 'the nominal speed of the fastest link that is up (ethtool Speed, Get-NetAdapter LinkSpeed)' },
  },
  samples: [
    {
      name: 'ethtool on RHEL 8',
      input: ['[root@media01 ~]# ethtool ens192', 'Settings for ens192:', '\tSupported ports: [ TP ]', '\tSpeed: 10000Mb/s', '\tDuplex: Full', '\tLink detected: yes'].join('\n'),
      yields: { 'link.speed_mbps': 10000 },
    },
    {
      name: 'Get-NetAdapter on Windows Server 2019',
      input: ['PS C:\\> Get-NetAdapter', '', 'Name       InterfaceDescription                 ifIndex Status       MacAddress             LinkSpeed', '----       --------------------                 ------- ------       ----------             ---------', 'Ethernet0  vmxnet3 Ethernet Adapter                   4 Up           00-50-56-A1-2B-3C        10 Gbps', 'Ethernet1  vmxnet3 Ethernet Adapter #2                7 Disconnected 00-50-56-A1-2B-3D          0 bps'].join('\r\n'),
      yields: { 'link.speed_mbps': 10000 },
    },
  ],
  create(): Parser {
    let best: { mbps: number; line: number; text: string } | undefined;
    let inEthtool = false;
    let psTable = false;
    const offer = (s: { mbps: number; line: number; text: string } | undefined) => {
      if (s && s.mbps > 0 && (!best || s.mbps > best.mbps)) best = s;
    };
    return {
      command(_no, cmd) {
        // `ethtool eth0 | grep Speed` prints no "Settings for" line
        inEthtool = cmd.stages[0]?.name === 'ethtool';
        psTable = /^get-netadapter$/.test(cmd.stages[0]?.name ?? '');
      },
      line(no, text) {
        const t = text.trim();
        if (/^Settings for \S+:$/.test(t)) {
          inEthtool = true;
          return;
        }
        let m: RegExpExecArray | null;
        // a number means the link is up: ethtool prints "Speed: Unknown!" for a link that is down
        if (inEthtool && (m = ETHTOOL_SPEED.exec(t))) {
          offer({ mbps: Number(m[1]), line: no, text: t });
          return;
        }
        if (psTable) {
          // a Get-NetAdapter row: "… Up … 10 Gbps" (the Status column says whether it is up)
          const w = t.split(/\s+/);
          const sp = PS_SPEED.exec(w.slice(-2).join(' '));
          if (sp && w.includes('Up')) offer({ mbps: Number(sp[1]) * SCALE[sp[2]], line: no, text: t });
        }
      },
      finish() {
        const out: Observation[] = [];
        if (best) out.push({ key: 'link.speed_mbps', value: best.mbps, line: best.line, text: best.text });
        return out;
      },
    };
  },
};
