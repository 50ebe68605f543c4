/**
 * Whether the service listens on the port that fails: a test the destination runs against its own name
 * (connect.self_test.PORT, from nc/telnet/curl on that host) joined to the port that fails from the client
 * (connect.failed_port or capture.failing_port), usually in another file. A self-test of some other port
 * says nothing about the failing one.
 */
import type { CombinedObservation, CombinerDef } from './types.js';

export const failingPortListener: CombinerDef = {
  id: 'failing-port-listener',
  needs: ['connect.self_test.*'],
  emits: {
    'listener.failing_port': { type: 'boolean', meaning: 'the destination reaches its own failing port on its own name (true) or is refused there (false)' },
  },
  samples: [
    {
      name: 'the client times out on 2049; the NFS server reaches its own 2049',
      input: [
        { key: 'connect.failed_port', value: 2049, file: 'client.txt', line: 4 },
        { key: 'connect.self_test.2049', value: 'connects', file: 'server.txt', line: 2, text: 'nfs01 tests its own port 2049' },
        { key: 'connect.self_test.22', value: 'refused', file: 'server.txt', line: 5 },
      ],
      yields: { 'listener.failing_port': true },
    },
  ],
  combine(input, withhold) {
    const failing = new Set([...input.all('connect.failed_port'), ...input.all('capture.failing_port')].map((o) => Number(o.value)));
    if (failing.size !== 1) {
      if (failing.size > 1) withhold('listener.failing_port', `several failing ports (${[...failing].join(', ')}): which self-test applies is not clear`);
      return [];
    }
    const port = [...failing][0];
    const tests = input.all(`connect.self_test.${port}`).filter((o) => o.key === `connect.self_test.${port}`);
    const values = new Set(tests.map((o) => o.value));
    if (values.size !== 1) {
      if (values.size > 1) withhold('listener.failing_port', `the host's own tests of port ${port} disagree`);
      return [];
    }
    const t = tests[0];
    const out: CombinedObservation[] = [{ file: t.file, key: 'listener.failing_port', value: t.value === 'connects', line: t.line, text: t.text, host: t.host }];
    return out;
  },
};
