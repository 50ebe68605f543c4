/**
 * No code from data: commands in the knowledge base are text to show, never run, and YAML tags that
 * would build functions or objects are refused before anything reads the value.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHelp } from '../../src/cli/walk/present.js';
import { indexKnowledge } from '../../src/inference/knowledge.js';
import { cli, compileFiles, ROOT } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bt-nocode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const marker = (name: string) => join(dir, `pwned-${name}`);
const mini = readFileSync(join(ROOT, 'test/fixtures/mini-kb/kb.yaml'), 'utf8');

/** The mini KB with shell payloads in a fact's checks and a cause's remediation commands. */
function payloadKb(): string {
  const sub = `$(touch ${marker('subshell')})`;
  const tick = `\`touch ${marker('backtick')}\``;
  const chain = `true; touch ${marker('chain')} && rm -rf "${join(dir, 'victim')}"`;
  let t = mini.replace(
    '    help: ps -ef | grep daemon\n',
    `    help: ps -ef | grep daemon ${sub}\n    checks:\n      - { platform: any, run: ${JSON.stringify(sub)} }\n      - { platform: linux, run: ${JSON.stringify(tick)} }\n      - { platform: any, run: ${JSON.stringify(chain)} }\n`,
  );
  t = t.replace('    remediation: [{ step: Start the daemon. }]', `    remediation:\n      - step: Start the daemon ${sub}.\n        commands:\n          - { platform: any, run: ${JSON.stringify(sub)} }\n          - { platform: linux, run: ${JSON.stringify(chain)} }`);
  expect(t).toContain('checks:');
  expect(t).toContain('commands:');
  return t;
}

describe('no code from data', () => {
  const kbDir = join(dir, 'kb');
  mkdirSync(kbDir);
  mkdirSync(join(dir, 'victim'));
  writeFileSync(join(kbDir, 'kb.yaml'), payloadKb());
  const rules = ['--no-shipped', '--rules', kbDir];
  const noMarkers = () => {
    for (const m of ['subshell', 'backtick', 'chain', 'js']) expect(existsSync(marker(m)), m).toBe(false);
    expect(existsSync(join(dir, 'victim'))).toBe(true);
  };

  it('shell text in checks and remediation is printed by validate, show, diagnose, docs and help — never run', () => {
    expect(cli(['validate', kbDir]).status).toBe(0);
    const show = cli(['show', 'daemon_running', ...rules]);
    expect(show.status).toBe(0);
    expect(show.stdout).toContain(`$(touch ${marker('subshell')})`);
    const diag = cli(['diagnose', ...rules, '--fact', 'conn_outcome=refused', '--fact', 'daemon_running=no', '--format', 'markdown']);
    expect(diag.status).toBe(0);
    expect(diag.stdout).toContain(`touch ${marker('subshell')}`);
    for (const args of [['diagnose', ...rules, '--fact', 'conn_outcome=refused'], ['diagnose', ...rules, '--fact', 'conn_outcome=refused', '--format', 'json'], ['show', 'not-listening', ...rules], ['docs', ...rules, '--out', join(dir, 'docs.md')], ['test', kbDir, ...rules]]) {
      cli(args);
    }
    const k = compileFiles({ 'kb.yaml': payloadKb() });
    expect(renderHelp(indexKnowledge(k.kb!).facts.get('daemon_running')!, 'linux')).toContain(`\`touch ${marker('backtick')}\``);
    noMarkers();
  });

  const fn = `!!js/function "function () { require('fs').writeFileSync('${marker('js')}', 'x') }"`;
  it('a KB with !!js/function (or other code/object tags) is refused with file:line, nothing is evaluated', () => {
    for (const tag of [fn, '!!js/undefined ""', '!!js/regexp /a/', '!!python/object/apply:os.system ["touch /tmp/x"]', '!!binary aGVsbG8=', '!!set { a }']) {
      const bad = join(dir, `bad-${tag.slice(2, 8).replace(/\W/g, '')}`);
      mkdirSync(bad, { recursive: true });
      writeFileSync(join(bad, 'kb.yaml'), mini.replace('    help: Look at it.', `    help: ${tag}`));
      const r = cli(['validate', bad]);
      expect(r.status, tag).not.toBe(0);
      expect(`${r.stdout}${r.stderr}`).toMatch(/kb\.yaml:\d+:\d+.*custom tags are not allowed/);
      if (tag === fn) expect(cli(['diagnose', '--no-shipped', '--rules', bad, '--fact', 'conn_outcome=refused']).status).toBe(2);
    }
    noMarkers();
  });

  it('an answers file with !!js/function is a one-line error', () => {
    const a = join(dir, 'a.yaml');
    writeFileSync(a, `conn_outcome: ${fn}\n`);
    const r = cli(['diagnose', '--no-shipped', '--rules', kbDir, '--answers', a]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/a\.yaml:1:\d+: (error: )?custom tags are not allowed/);
    noMarkers();
  });
});
