/**
 * Which way a measurement ran relative to a backup job, from the host names both name. A backup's data goes
 * from its client to its server; a measurement's from `from` to `to`. Names match on their first label
 * ("media01" = "media01.example.com"); addresses only match themselves.
 */

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function short(h: string): string {
  const l = h.toLowerCase().replace(/\.$/, '');
  return IPV4.test(l) || l.includes(':') ? l : l.split('.')[0];
}

export function sameHost(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && short(a) === short(b);
}

const isIp = (h: string) => IPV4.test(h) || h.includes(':');

/** Hosts of a measurement whose direction is unknown against a job's hosts: shared, another path, or cannot tell. */
export function touches(hosts: (string | undefined)[], job: (string | undefined)[]): 'unknown' | 'unrelated' {
  if (hosts.some((a) => job.some((b) => sameHost(a, b)))) return 'unknown';
  return hosts.some((a) => a && job.some((b) => b && isIp(a) === isIp(b))) ? 'unrelated' : 'unknown';
}

export type Relation = 'same' | 'opposite' | 'unrelated' | 'unknown';

/**
 * How a measurement from → to relates to a job client → server: the same direction, the opposite one,
 * hosts that have nothing in common (another path), or not enough names to tell.
 */
export function relate(from: string | undefined, to: string | undefined, client: string | undefined, server: string | undefined): Relation {
  if (sameHost(from, client) || sameHost(to, server)) return sameHost(from, server) || sameHost(to, client) ? 'unknown' : 'same';
  if (sameHost(from, server) || sameHost(to, client)) return 'opposite';
  // names (or addresses) on both sides that could have matched and did not: another path
  return touches([from, to], [client, server]);
}
