import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../src/kb/yaml-source.js';

describe('safe YAML reading', () => {
  it('locates values and keys by path, 1-based', () => {
    const { source } = parseYamlText('f.yaml', 'rules:\n  - id: a\n    cause: b\n');
    expect(source!.locate(['rules', 0, 'cause'])).toEqual({ file: 'f.yaml', line: 3, col: 12 });
    expect(source!.locateKey(['rules', 0, 'cause'])).toEqual({ file: 'f.yaml', line: 3, col: 5 });
  });

  it('refuses custom tags such as !!js/function', () => {
    const { diagnostics } = parseYamlText('t.yaml', 'x: !!js/function "function(){ return 1 }"\n');
    expect(diagnostics[0]).toMatchObject({ file: 't.yaml', line: 1, severity: 'error' });
    expect(diagnostics[0].message).toMatch(/custom tags are not allowed/);
  });

  it('reports duplicate keys with their line', () => {
    const { diagnostics } = parseYamlText('d.yaml', 'a: 1\nb: 2\na: 3\n');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ line: 3, col: 1 });
    expect(diagnostics[0].message).toMatch(/duplicate key/);
  });

  it('refuses prototype-polluting keys and leaves Object.prototype alone', () => {
    const { diagnostics } = parseYamlText('p.yaml', 'facts:\n  - __proto__: { polluted: true }\n');
    expect(diagnostics[0].message).toMatch(/forbidden key "__proto__"/);
    expect(diagnostics[0].line).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stops alias bombs', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    const { source, diagnostics } = parseYamlText('bomb.yaml', bomb.join('\n'));
    expect(source).toBeUndefined();
    expect(diagnostics[0].message).toMatch(/alias|resource/i);
  });

  it('refuses binary content and deep nesting', () => {
    expect(parseYamlText('b.yaml', 'a: 1\u0000\u0001').diagnostics[0].message).toMatch(/binary/);
    const deep = `${'['.repeat(100)}1${']'.repeat(100)}`;
    expect(parseYamlText('deep.yaml', deep).diagnostics[0].message).toMatch(/nesting deeper/);
  });

  it('reports syntax errors with a position', () => {
    const { diagnostics } = parseYamlText('s.yaml', 'rules:\n  - id: a\n   bad: [\n');
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0].file).toBe('s.yaml');
    expect(diagnostics[0].line).toBeGreaterThanOrEqual(2);
  });
});
