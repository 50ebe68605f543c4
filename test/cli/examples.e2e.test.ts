import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

/** The answers files the README points to diagnose what they say. */
describe('examples/ answers files', () => {
  const cases: [string, string][] = [
    ['examples/seed-000-ips-blocks-rpc.yaml', 'ips-blocks-rpc'],
    ['examples/seed-001-pbx-silently-dropped.yaml', 'pbx-port-silently-dropped'],
    ['examples/seed-004-eaddrinuse.yaml', 'ephemeral-port-exhaustion'],
  ];
  for (const [file, cause] of cases) {
    it(`${file} → ${cause}`, () => {
      const r = cli(['diagnose', '--answers', file, '--format', 'json']);
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.status).toBe('diagnosed');
      expect(out.diagnoses[0].cause).toBe(cause);
      expect(out.diagnoses[0].remediation.length).toBeGreaterThan(0);
      expect(out.diagnoses[0].verification.length).toBeGreaterThan(0);
    });
  }
});

describe('the CONTRIBUTING worked example (examples/site-rules)', () => {
  it('validates, passes its examples and changes the diagnosis', () => {
    expect(cli(['validate', 'examples/site-rules']).status).toBe(0);
    const t = cli(['test', '--rules', 'examples/site-rules', '--rule', 'tls-inspection-cert-mismatch']);
    expect(t.stdout).toMatch(/rule examples: 2 passed, 0 failed/);
    const d = cli(['diagnose', '--rules', 'examples/site-rules', '--fact', 'product=netbackup', '--fact', 'tls_inspection_on_path=yes', '--fact', 'cert_verify_fails=yes', '--format', 'json']);
    expect(JSON.parse(d.stdout).diagnoses[0].cause).toBe('tls-inspection-breaks-secure-comms');
  });
});
