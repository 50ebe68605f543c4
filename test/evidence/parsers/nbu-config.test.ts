import { describe, expect, it } from 'vitest';
import { familyOf, nbuConfigParser } from '../../../src/evidence/parsers/nbu-config.js';
import { runParser } from '../helpers.js';

describe('nbu-config reader', () => {
  it('CLIENT_PORT_WINDOW default and custom', () => {
    expect(runParser(nbuConfigParser, 'CLIENT_PORT_WINDOW = 0 0')['nbu.client_port_window_default'].value).toBe(true);
    const c = runParser(nbuConfigParser, 'CLIENT_PORT_WINDOW = 40000 40300');
    expect(c['nbu.client_port_window_default'].value).toBe(false);
    expect(c['nbu.client_port_window_size'].value).toBe(301);
  });
  it('a value set in the same paste is not the one the failure ran under', () => {
    const o = runParser(nbuConfigParser, '# echo "CLIENT_PORT_WINDOW = 0 0" | bpsetconfig\n# bpgetconfig CLIENT_PORT_WINDOW\nCLIENT_PORT_WINDOW = 0 0\n# ');
    expect(o['nbu.client_port_window_default']).toBeUndefined();
  });
  it.each([
    ['6.5.6', 'up_to_8_0'],
    ['7.7.3', 'up_to_8_0'],
    ['8.0', 'up_to_8_0'],
    ['8.1.2', 'v8_1'],
    ['8.2', 'v8_2_or_later'],
    ['9.1.0.1', 'v8_2_or_later'],
    ['10.4', 'v8_2_or_later'],
  ])('release %s', (v, family) => {
    expect(familyOf(v)).toBe(family);
  });
  it('version lines', () => {
    expect(runParser(nbuConfigParser, 'NetBackup-Solaris10 7.7.3')['nbu.version'].value).toBe('up_to_8_0');
    expect(runParser(nbuConfigParser, 'HARDWARE LINUX_RH_X86\nVERSION NetBackup 8.2\nRELEASEDATE Thu Jun 13 00:00:00 CDT 2019')['nbu.version'].value).toBe('v8_2_or_later');
    expect(runParser(nbuConfigParser, '# bpgetconfig -g client01 -L\nClient/Master = Client\nNetBackup Client Platform = Linux, RedHat2.6.32\nProduct = NetBackup\nVersion Name = 8.1.2\nVersion Number = 810200\n# ')['nbu.version'].value).toBe('v8_1');
    // "Version Name" outside bpgetconfig belongs to something else
    expect(runParser(nbuConfigParser, 'Version Name = 8.1.2')['nbu.version']).toBeUndefined();
  });
  it('two hosts of different releases give nothing', () => {
    expect(runParser(nbuConfigParser, 'NetBackup-RedHat2.6.32 8.1.2\nNetBackup-RedHat2.6.32 8.2')['nbu.version']).toBeUndefined();
  });
});

describe('nbu-config reader: hostile input', () => {
  it('16 K lines', () => {
    const o = runParser(nbuConfigParser, [`CLIENT_PORT_WINDOW = ${'0 '.repeat(8000)}`, `NetBackup-${'x'.repeat(16000)} 8.1`, `VERSION NetBackup ${'x.'.repeat(8000)}`].join('\n'));
    expect(o['nbu.client_port_window_default']).toBeUndefined();
    expect(o['nbu.version'].value).toBe('v8_1');
  });
});
