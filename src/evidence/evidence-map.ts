/**
 * Parser observations → fact ids. Data, not code: a row names an observation key (a trailing ".*"
 * matches any suffix, e.g. one per port) and the fact it sets, with either the value as is (optionally
 * scaled), a lookup table of values, or ordered ranges. A row whose fact is not in the loaded KB is
 * ignored (reported by `backup-triage evidence`), so the map can run ahead of kb/facts.
 */
import type { FactValue } from '../kb/types.js';

export interface Range {
  ge?: number;
  gt?: number;
  lt?: number;
  le?: number;
  value: FactValue;
}

export interface MapRow {
  observation: string;
  fact: string;
  /** Multiply a number before use (ms → s). */
  scale?: number;
  /** Translate the observed value (as a string key: "true", "false", "42", "x"). */
  values?: Record<string, FactValue>;
  /** First matching range decides; no match → the fact stays unknown. */
  ranges?: Range[];
  note?: string;
}

export const EVIDENCE_MAP: readonly MapRow[] = [
  // NetBackup debug logs
  { observation: 'nbu.connect_attempt_gap_s', fact: 'connect_retry_gap_s', note: 'largest gap between successive "connect in progress" attempts of one thread' },
  { observation: 'nbu.client_port_window_default', fact: 'client_port_window', values: { true: 'default_0_0', false: 'custom' } },
  // socket tables
  { observation: 'sockets.share.TIME_WAIT', fact: 'time_wait_pct' },
  { observation: 'sockets.count.CLOSE_WAIT', fact: 'close_wait_count' },
  { observation: 'sockets.sendq_stuck.*', fact: 'sendq_stuck', ranges: [{ ge: 1, value: true }], note: 'ESTABLISHED/FIN_WAIT1 sockets whose Send-Q is above zero' },
  { observation: 'sockets.ephemeral_in_use_pct', fact: 'ephemeral_ports_in_use_pct' },
  // configured ranges
  { observation: 'ports.ephemeral_range_size', fact: 'ephemeral_range_size' },
  // path
  { observation: 'trace.verdict', fact: 'traceroute_during_job' },
  { observation: 'ping.large_df', fact: 'large_df_ping' },
  { observation: 'ping.rtt_avg_ms', fact: 'rtt_ms' },
  // throughput
  { observation: 'iperf.window_gain_pct', fact: 'iperf_window_effect', ranges: [{ ge: 50, value: 'improves_markedly' }, { lt: 20, value: 'little_or_none' }] },
  // name resolution
  { observation: 'dns.lookup_ms', fact: 'name_lookup_seconds', scale: 0.001 },
  // Amanda: a daemon started by xinetd that exits within a few seconds (seed 003: amindexd, ~1 s)
  { observation: 'amanda.daemon_lifetime_s', fact: 'daemon_exits_quickly', ranges: [{ le: 3, value: true }, { gt: 30, value: false }] },
  // OpenStack
  { observation: 'openstack.volume_create_hosts', fact: 'same_volume_created_by_several_hosts', ranges: [{ ge: 2, value: true }, { lt: 2, value: false }] },
  { observation: 'openstack.volume_create_hosts', fact: 'multiple_cinder_volume_active', ranges: [{ ge: 2, value: true }] },
  { observation: 'openstack.cross_host_revert', fact: 'revert_deleted_volume', values: { true: true } },
];

function matches(pattern: string, key: string): boolean {
  return pattern.endsWith('.*') ? key.startsWith(pattern.slice(0, -1)) : pattern === key;
}

/** The fact values an observation yields under the map (unknown facts included; the caller filters). */
export function mapObservation(key: string, value: FactValue): { fact: string; value: FactValue; row: MapRow }[] {
  const out: { fact: string; value: FactValue; row: MapRow }[] = [];
  for (const row of EVIDENCE_MAP) {
    if (!matches(row.observation, key)) continue;
    let v: FactValue | undefined = value;
    if (row.values) v = row.values[String(value)];
    else if (row.ranges) {
      v = undefined;
      if (typeof value === 'number') {
        for (const r of row.ranges) {
          if ((r.ge === undefined || value >= r.ge) && (r.gt === undefined || value > r.gt) && (r.lt === undefined || value < r.lt) && (r.le === undefined || value <= r.le)) {
            v = r.value;
            break;
          }
        }
      }
    } else if (row.scale !== undefined && typeof value === 'number') v = Math.round(value * row.scale * 1000) / 1000;
    if (v !== undefined) out.push({ fact: row.fact, value: v, row });
  }
  return out;
}
