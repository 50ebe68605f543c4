import { describe, it, expect } from 'vitest';
import { redact } from '../../src/evidence/redact.js';

describe('redaction of secrets in evidence lines', () => {
  const cases: [string, string][] = [
    ['./ddpconnchk -s dd01 -u ddboost -p P@SsW0rd', 'P@SsW0rd'],
    ['mtcli -password hunter2 -host x', 'hunter2'],
    ['tool --password=s3cret --user a', 's3cret'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc', 'eyJhbGci'],
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA'],
    ['PASSWORD=topsecret', 'topsecret'],
    ['db_password: "quoted secret"', 'quoted secret'],
    ['X-Auth-Token: gAAAAABkZ0123456789abcdefghijklmnop', 'gAAAAABk'],
    ['api_key=AKIAABCDEFGHIJKLMNOP', 'AKIAABCDEFGHIJKLMNOP'],
    ['token: ghp_abcdefghijklmnopqrstuvwxyz0123', 'ghp_abc'],
    ['connection = mysql+pymysql://cinder:dbpass123@db/cinder', 'dbpass123'],
    ['-----BEGIN RSA PRIVATE KEY-----', 'BEGIN RSA PRIVATE KEY----- '],
    ['MIIEowIBAAKCAQEA7vbqajDw4o6gJy8UtmIbkcpnkO3Kwc4qsEnSZp/TR+fQi62F', 'MIIEow'],
  ];
  for (const [line, secret] of cases) {
    it(`masks: ${line.slice(0, 40)}`, () => {
      const out = redact(line);
      if (secret.endsWith('----- ')) expect(out).toContain('****');
      else expect(out).not.toContain(secret);
      expect(out).toContain('****');
    });
  }
  it('leaves ordinary evidence alone', () => {
    for (const l of [
      'tcp        0     60 10.1.1.5:44537     10.2.2.9:111        ESTABLISHED',
      '17:50:04.006 [5592.5372] <2> vnet_async_connect: ... 0: connect in progress: 2 0x00000002',
      'DDLOG: WARN: [1B50:9B0EA0] Port lookup for program 100003 failed. Retry number: 1',
      'ping -M do -s 1472 dd01',
    ]) expect(redact(l)).toBe(l);
  });
});
