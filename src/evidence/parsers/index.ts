/** The structured parsers, in detection order. Add a module here to support a new format. */
import { amandaDebugParser } from './amanda-debug.js';
import { captureParser } from './capture.js';
import { connectTestParser } from './connect-test.js';
import { dnsParser } from './dns.js';
import { iperfParser } from './iperf.js';
import { listenersParser } from './listeners.js';
import { mtrParser } from './mtr.js';
import { nbuConfigParser } from './nbu-config.js';
import { jobRateParser } from './job-rate.js';
import { linkSpeedParser } from './link-speed.js';
import { nbuDebugParser } from './nbu-debug.js';
import { netfilterParser } from './netfilter.js';
import { openstackParser } from './openstack.js';
import { pingParser } from './ping.js';
import { portRangeParser } from './port-range.js';
import { selinuxParser } from './selinux.js';
import { tcpTuningParser } from './tcp-tuning.js';
import { socketSummaryParser } from './socket-summary.js';
import { socketsParser } from './sockets.js';
import { tracepathParser } from './tracepath.js';
import { tracerouteParser } from './traceroute.js';
import { transferRateParser } from './transfer-rate.js';
import type { ParserDef } from './types.js';

export const PARSERS: readonly ParserDef[] = [
  socketsParser,
  socketSummaryParser,
  portRangeParser,
  tracerouteParser,
  tracepathParser,
  mtrParser,
  pingParser,
  iperfParser,
  dnsParser,
  nbuDebugParser,
  openstackParser,
  amandaDebugParser,
  selinuxParser,
  listenersParser,
  netfilterParser,
  tcpTuningParser,
  nbuConfigParser,
  transferRateParser,
  jobRateParser,
  linkSpeedParser,
  captureParser,
  connectTestParser,
];
