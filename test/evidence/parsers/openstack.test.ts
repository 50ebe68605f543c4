import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openstackParser } from '../../../src/evidence/parsers/openstack.js';
import { FIX, runParser } from '../helpers.js';

const fx = (n: string) => readFileSync(join(FIX, n), 'utf8');

describe('OpenStack parser', () => {
  it('same volume created by three pods and a cross-host revert (seed 002)', () => {
    const o = runParser(openstackParser, fx('cinder.log'));
    expect(o['openstack.volume_create_hosts'].value).toBe(3);
    expect(o['openstack.cross_host_revert'].value).toBe(true);
  });
  it('one host only', () => {
    const o = runParser(openstackParser, 'May  3 02:31:45 ctl1 cinder-volume[77]: INFO cinder.volume.manager Volume d96acb68-5312-4dc8-8f13-660de3317285: being created as snap');
    expect(o['openstack.volume_create_hosts'].value).toBe(1);
  });
});
