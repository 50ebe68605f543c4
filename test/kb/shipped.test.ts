/**
 * The shipped knowledge base: it compiles, covers the whole public cause catalogue, and every rule's own
 * examples pass through the real inference path (each example is its own test, named by rule and file:line).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSources } from '../../src/kb/load.js';
import { indexKnowledge } from '../../src/inference/knowledge.js';
import { checkExample } from '../../src/testing/rule-tester.js';
import { coverage } from '../../src/testing/coverage.js';
import { ROOT } from '../helpers.js';

const result = compileSources({ siteDirs: [] });
const errors = result.diagnostics.filter((d) => d.severity === 'error');
const k = result.kb ? indexKnowledge(result.kb) : undefined;

/** Ids of the public cause catalogue (shared/cause-catalog.md), pinned here so a rename fails CI. */
const CATALOGUE_IDS = [
  'ips-blocks-rpc', 'pbx-port-silently-dropped', 'cinder-coordination-missing', 'selinux-denial',
  'conntrack-helper-interference', 'wan-bandwidth-limit', 'tcp-window-too-small', 'ephemeral-port-exhaustion',
  'client-port-window-too-narrow', 'time-wait-saturation', 'close-wait-accumulation', 'socket-buffer-memory-exhausted',
  'connection-retry-storm', 'asymmetric-routing', 'required-port-blocked', 'service-not-listening', 'mtu-black-hole',
  'slow-name-resolution', 'firewall-idle-timeout',
];

describe('shipped knowledge base', () => {
  it('compiles without errors', () => {
    expect(errors.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`)).toEqual([]);
  });

  it('defines every cause id of the public catalogue', () => {
    const ids = new Set(k!.kb.causes.map((c) => c.id));
    expect(CATALOGUE_IDS.filter((id) => !ids.has(id))).toEqual([]);
    const catalogue = join(ROOT, '..', 'shared', 'cause-catalog.md');
    if (existsSync(catalogue)) {
      const listed = [...readFileSync(catalogue, 'utf8').matchAll(/^\| ([a-z0-9-]+) \|/gm)].map((m) => m[1]).filter((id) => id !== 'id');
      expect(listed.filter((id) => !ids.has(id))).toEqual([]);
    }
  });

  it('every cause is reachable by at least two positive examples and one near miss', () => {
    expect(coverage(k!).filter((r) => !r.ok).map((r) => `${r.cause}: ${r.positives} positives, ${r.nearMisses} near misses`)).toEqual([]);
  });

  describe('rule examples', () => {
    for (const rule of k?.kb.rules ?? []) {
      for (const [kind, list] of [['concludes', rule.concludes], ['near_miss', rule.near_misses]] as const) {
        list.forEach((ex) => {
          it(`${rule.id} ${kind} @ ${ex.pos.file}:${ex.pos.line}`, async () => {
            const r = await checkExample(k!, rule, kind, ex);
            expect(r.message ?? 'ok').toBe('ok');
          });
        });
      }
    }
  });
});
