import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

describe('site rule directories on top of the shipped KB', () => {
  const facts = ['--fact', 'site_vpn_rekey_drop=yes', '--fact', 'product=netbackup', '--format', 'json'];

  it('a --rules directory changes the diagnosis', () => {
    const without = cli(['diagnose', '--fact', 'product=netbackup', '--format', 'json']);
    expect(JSON.parse(without.stdout).status).toBe('inconclusive');
    const r = cli(['diagnose', '--rules', 'test/fixtures/site-rules/vpn', ...facts]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).diagnoses[0].cause).toBe('site-vpn-rekey');
  });

  it('BACKUP_TRIAGE_RULES does the same', () => {
    const r = cli(['diagnose', ...facts], { env: { BACKUP_TRIAGE_RULES: 'test/fixtures/site-rules/vpn' } });
    expect(JSON.parse(r.stdout).diagnoses[0].cause).toBe('site-vpn-rekey');
  });

  it('site rules are validated and their examples tested like shipped ones', () => {
    const v = cli(['validate', 'test/fixtures/site-rules/vpn']);
    expect(v.status).toBe(0);
    const t = cli(['test', '--rules', 'test/fixtures/site-rules/vpn', '--rule', 'site-vpn-rekey-failures']);
    expect(t.stdout).toMatch(/rule examples: 2 passed, 0 failed/);
  });

  it('an id clash with the shipped KB is an error naming both files', () => {
    const r = cli(['validate', 'test/fixtures/site-rules/clash']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/test\/fixtures\/site-rules\/clash\/clash\.yaml:2:5: error: duplicate fact id "product" \(first defined at kb\/facts\/[a-z-]+\.yaml:\d+:\d+\)/);
    const d = cli(['diagnose', '--rules', 'test/fixtures/site-rules/clash', '--fact', 'product=netbackup']);
    expect(d.status).toBe(2);
    expect(d.stderr).toMatch(/duplicate fact id "product"/);
  });
});
