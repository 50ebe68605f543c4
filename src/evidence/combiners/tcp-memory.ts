/**
 * TCP memory against its limits when the two come from different files: the pages TCP holds by
 * /proc/net/sockstat (socket_summary.tcp_mem_pages) and the tcp_mem thresholds (socket_summary.tcp_mem_limits,
 * from `cat /proc/sys/net/ipv4/tcp_mem` or sysctl). Files that name different hosts are not compared; a file
 * holding both was judged by the reader itself.
 */
import type { CombinedObservation, CombinerDef } from './types.js';
import { describeTcpMem, tcpMemState, type TcpMemLimits } from '../parsers/socket-summary/kernel.js';

const isLimits = (d: unknown): d is TcpMemLimits =>
  typeof d === 'object' && d !== null && typeof (d as TcpMemLimits).low === 'number' && typeof (d as TcpMemLimits).pressure === 'number' && typeof (d as TcpMemLimits).high === 'number';

export const tcpMemory: CombinerDef = {
  id: 'tcp-memory',
  needs: ['socket_summary.tcp_mem_pages', 'socket_summary.tcp_mem_limits'],
  emits: {
    'socket_summary.tcp_mem_state': {
      type: 'string',
      values: ['below_low', 'low_to_pressure', 'pressure', 'over_high'],
      meaning: 'where the memory TCP holds stands against the tcp_mem thresholds',
    },
  },
  samples: [
    {
      name: 'sockstat in one file, tcp_mem in another, over the pressure threshold',
      input: [
        { key: 'socket_summary.tcp_mem_pages', value: 260000, file: 'sockstat.txt', line: 2 },
        { key: 'socket_summary.tcp_mem_limits', value: 250831, data: { low: 188121, pressure: 250831, high: 376242 }, file: 'sysctl.txt', line: 1 },
      ],
      yields: { 'socket_summary.tcp_mem_state': 'pressure' },
    },
    {
      name: 'well below the low threshold',
      input: [
        { key: 'socket_summary.tcp_mem_pages', value: 812, file: 'sockstat.txt', line: 2 },
        { key: 'socket_summary.tcp_mem_limits', value: 250831, data: { low: 188121, pressure: 250831, high: 376242 }, file: 'sysctl.txt', line: 1 },
      ],
      yields: { 'socket_summary.tcp_mem_state': 'below_low' },
    },
  ],
  combine(input, withhold) {
    if (input.all('socket_summary.tcp_mem_state').length) return [];
    const out: CombinedObservation[] = [];
    for (const pages of input.all('socket_summary.tcp_mem_pages')) {
      const lim = input.all('socket_summary.tcp_mem_limits').find((l) => l.file !== pages.file && isLimits(l.data));
      if (!lim || !isLimits(lim.data) || typeof pages.value !== 'number') continue;
      if (pages.host && lim.host && pages.host !== lim.host) {
        withhold('socket_summary.tcp_mem_state', `sockstat of ${pages.host} and tcp_mem of ${lim.host}: different hosts, not compared`);
        continue;
      }
      out.push({
        file: pages.file,
        key: 'socket_summary.tcp_mem_state',
        value: tcpMemState(pages.value, lim.data),
        line: pages.line,
        text: `${describeTcpMem(pages.value, lim.data)} (thresholds from ${lim.file})`,
        ...(pages.host ?? lim.host ? { host: pages.host ?? lim.host } : {}),
      });
      break;
    }
    return out;
  },
};
