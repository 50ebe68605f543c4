/** Forward and reverse traces through the file scanner: pairs by prompt host or first hop, never by time. */
import { describe, expect, it } from 'vitest';
import { readEvidenceFiles } from '../../src/evidence/read.js';
import { declaredObservations } from '../../src/evidence/catalog.js';
import { indexKnowledge } from '../../src/inference/knowledge.js';
import { compileSources } from '../../src/kb/load.js';
import { tmpFile } from './helpers.js';

const k = indexKnowledge(compileSources({ observations: declaredObservations() }).kb!);
const trace = (prompt: string, dest: string, hops: string[]) => [`${prompt} traceroute -I -n ${dest}`, `traceroute to ${dest} (${dest}), 30 hops max, 60 byte packets`, ...hops.map((h, i) => ` ${i + 1}  ${h}  1.0 ms  1.1 ms  1.0 ms`)].join('\n');

async function facts(...texts: string[]) {
  const files = texts.map((t, i) => tmpFile(`t${i}.txt`, `${t}\n`));
  const r = await readEvidenceFiles(k, files, { redact: false });
  return { facts: Object.fromEntries([...r.facts].map(([id, f]) => [id, f.value])), notes: r.findings.flatMap((f) => f.withheld.map((w) => w.why)).join('\n') };
}

describe('route symmetry', () => {
  it('a file per host, hop counts differ: asymmetric', async () => {
    const r = await facts(trace('[root@avamar ~]#', '10.2.2.9', ['10.1.1.1', '172.16.0.1', '10.2.2.1', '10.2.2.9']), trace('sysadmin@dd01#', '10.1.1.5', ['10.2.2.1', '172.16.8.1', '172.16.9.1', '10.1.1.1', '10.1.1.5']));
    expect(r.facts.asymmetric_route).toBe(true);
  });

  it('one paste with two prompts: the same hop count and other addresses prove nothing', async () => {
    const r = await facts(`${trace('[root@avamar ~]#', '10.2.2.9', ['10.1.1.1', '172.16.0.1', '10.2.2.1', '10.2.2.9'])}\n${trace('sysadmin@dd01#', '10.1.1.5', ['10.2.2.1', '172.16.0.2', '10.1.1.1', '10.1.1.5'])}`);
    expect(r.facts.asymmetric_route).toBeUndefined();
    expect(r.notes).toMatch(/interface facing the prober/);
  });

  it('the same host twice is not a forward/reverse pair', async () => {
    const r = await facts(trace('[root@avamar ~]#', '10.2.2.9', ['10.1.1.1', '172.16.0.1', '10.2.2.9']), trace('[root@avamar ~]#', '10.2.2.9', ['10.1.1.1', '172.16.5.1', '172.16.6.1', '10.2.2.9']));
    expect(r.facts.asymmetric_route).toBeUndefined();
  });

  it('traces from an unknown host to both ends are not a pair either', async () => {
    const r = await facts(trace('$', '10.2.2.9', ['10.5.5.1', '172.16.0.1', '10.2.2.9']), trace('$', '10.1.1.5', ['10.5.5.1', '172.16.7.1', '172.16.8.1', '10.1.1.5']));
    expect(r.facts.asymmetric_route).toBeUndefined();
  });
});
