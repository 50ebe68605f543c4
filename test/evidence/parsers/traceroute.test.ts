import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tracerouteParser } from '../../../src/evidence/parsers/traceroute.js';
import { FIX, runParser } from '../helpers.js';

const fx = (n: string) => readFileSync(join(FIX, n), 'utf8');

describe('traceroute parser', () => {
  const seed = fx('traceroute-seed000.txt');
  it('seed 000: path dies at the destination edge while a full trace reached', () => {
    const o = runParser(tracerouteParser, seed);
    expect(o['trace.verdict'].value).toBe('stops_at_destination_edge');
    expect(o['trace.last_answering_hop'].value).toBe(13);
  });
  it('Windows tracert that dies after hop 2', () => {
    const o = runParser(tracerouteParser, fx('tracert.txt'));
    expect(o['trace.reached'].value).toBe(false);
    expect(o['trace.last_answering_hop'].value).toBe(2);
    expect(o['trace.verdict']).toBeUndefined();
  });
  it('a trace that reaches its destination', () => {
    const o = runParser(tracerouteParser, 'traceroute to dd01 (10.2.2.9), 30 hops max, 60 byte packets\n 1  gw (10.1.1.1)  0.5 ms  0.4 ms  0.4 ms\n 2  dd01 (10.2.2.9)  1.1 ms  1.0 ms  1.2 ms');
    expect(o['trace.verdict'].value).toBe('reaches_destination');
  });
});
