/**
 * OpenStack cinder-volume / nova-compute logs, possibly several services or pods pasted together: the same
 * volume id created by more than one host, and a revert/delete of a volume another host had created.
 * The host of a line comes from a kubectl --prefix tag "[pod/NAME/...]", a "NAME | " compose prefix, a
 * syslog host field, or "host NAME" / "host=NAME@backend" in the message.
 */
import type { Observation, Parser, ParserDef } from './types.js';

const UUID = /\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/i;
const HOST_PATTERNS = [
  /^\s*\[pod\/([\w.-]+)/,
  /^\s*([\w.-]+)\s+\|\s/,
  /^\s*[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\s+([\w.-]+)\s+(?:cinder|nova)/,
  /\bhost[=: ]+['"]?([\w.-]+)(?:@|['"\s,)])/i,
];
const CREATE = /(?:being created|create(?:_volume| volume)\b.*from snapshot|creat(?:e|ing) volume .*snapshot|Volume .* created successfully|Created volume successfully|created successfully)/i;
const CREATED_OK = /created successfully|Created volume successfully/i;
const REVERT = /revert(?:ing|ed)?|transitioned into state 'REVERT|delete(?:d|_volume| volume)/i;

export const openstackParser: ParserDef = {
  kind: 'openstack',
  label: 'OpenStack cinder-volume / nova-compute log',
  aliases: ['cinder', 'nova', 'cinder-volume', 'nova-compute'],
  detect: [/\bcinder\.volume\b|\bcinder-volume\b|\bnova\.compute\b|\bnova-compute\b/],
  literals: ['olume'],
  emits: {
    'openstack.volume_create_hosts': { type: 'number', meaning: 'the most cinder-volume hosts seen creating one volume id' },
    'openstack.cross_host_revert': { type: 'boolean', meaning: 'a host reverted or deleted a volume another host had created' },
  },
  samples: [
    {
      name: 'two cinder-volume pods creating the same volume (seed 002)',
      input: [
        '[pod/cinder-volume-a/cinder-volume] 2024-05-03 02:31:45.101 7 INFO cinder.volume.flows.manager.create_volume [req-1] Volume d96acb68-5312-4dc8-8f13-660de3317285: being created as snap',
        '[pod/cinder-volume-b/cinder-volume] 2024-05-03 02:32:12.554 7 INFO cinder.volume.flows.manager.create_volume [req-1] Volume d96acb68-5312-4dc8-8f13-660de3317285: being created as snap',
      ].join('\n'),
      yields: { 'openstack.volume_create_hosts': 2, 'openstack.cross_host_revert': false },
    },
  ],
  create(): Parser {
    const creators = new Map<string, Map<string, { line: number; text: string }>>();
    const createdOk = new Map<string, string>();
    let multi: { n: number; line: number; text: string } | undefined;
    let crossRevert: { line: number; text: string } | undefined;
    return {
      line(no, text) {
        const u = UUID.exec(text);
        if (!u) return;
        const vol = u[1].toLowerCase();
        let host: string | undefined;
        for (const p of HOST_PATTERNS) {
          const m = p.exec(text);
          if (m) {
            host = m[1].toLowerCase();
            break;
          }
        }
        if (!host) return;
        if (CREATE.test(text) && !REVERT.test(text)) {
          const hosts = creators.get(vol) ?? new Map();
          if (!hosts.has(host)) hosts.set(host, { line: no, text });
          creators.set(vol, hosts);
          if (CREATED_OK.test(text)) createdOk.set(vol, host);
          if (hosts.size >= 2 && (!multi || hosts.size > multi.n)) multi = { n: hosts.size, line: no, text };
        } else if (REVERT.test(text)) {
          const owner = createdOk.get(vol);
          const hosts = creators.get(vol);
          if (((owner && owner !== host) || (hosts && [...hosts.keys()].some((h) => h !== host))) && !crossRevert) crossRevert = { line: no, text };
        }
      },
      finish() {
        const out: Observation[] = [];
        const most = Math.max(0, ...[...creators.values()].map((h) => h.size));
        if (creators.size) out.push({ key: 'openstack.volume_create_hosts', value: most, ...(multi ?? {}) });
        if (creators.size) out.push({ key: 'openstack.cross_host_revert', value: !!crossRevert, ...(crossRevert ?? {}) });
        return out;
      },
    };
  },
};
