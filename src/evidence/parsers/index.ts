/** The structured parsers, in detection order. Add a module here to support a new format. */
import { amandaDebugParser } from './amanda-debug.js';
import { captureParser } from './capture.js';
import { connectTestParser } from './connect-test.js';
import { dnsParser } from './dns.js';
import { iperfParser } from './iperf.js';
import { nbuDebugParser } from './nbu-debug.js';
import { openstackParser } from './openstack.js';
import { pingParser } from './ping.js';
import { portRangeParser } from './port-range.js';
import { socketsParser } from './sockets.js';
import { tracerouteParser } from './traceroute.js';
import type { ParserDef } from './types.js';

export const PARSERS: readonly ParserDef[] = [
  socketsParser,
  portRangeParser,
  tracerouteParser,
  pingParser,
  iperfParser,
  dnsParser,
  nbuDebugParser,
  openstackParser,
  amandaDebugParser,
  captureParser,
  connectTestParser,
];
