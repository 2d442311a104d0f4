// A config file may come with a project: it cannot exhaust memory or reach Object.prototype.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ConfigFileError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { CLI } from '../support/controller.js';

const dir = mkdtempSync(join(tmpdir(), 'panecrew-harden-'));
const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg') };
let n = 0;
const file = (text: string) => {
  const f = join(dir, `c${++n}.yaml`);
  writeFileSync(f, text);
  return f;
};
const load = (f: string, sets: string[] = []) => () => loadConfig({ cwd: dir, env: { ...env, PANECREW_CONFIG: f }, sets });

const BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(',')}]`)].join('\n');

describe('hostile config files', () => {
  it('an alias bomb is refused with file:line:column, not thrown as a ReferenceError', () => {
    const f = file(BOMB);
    expect(load(f)).toThrow(ConfigFileError);
    expect(load(f)).toThrow(new RegExp(`^${f}:2:\\d+: aliases \\(\\*name\\) here expand more than 100 times`));
  });

  it('`config check` on an alias bomb prints one clear line and exits 2, without a stack trace', async () => {
    const r = await execa('node', [CLI, 'config', 'check', file(BOMB)], { reject: false, env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('refused as a resource exhaustion attack');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a __proto__ key is refused and Object.prototype stays clean', () => {
    for (const text of ['__proto__:\n  polluted: yes\n', 'background_task:\n  __proto__:\n    polluted: 1\n', 'defaults: { constructor: { prototype: { polluted: 1 } } }\n']) {
      expect(load(file(text)), text).toThrow(/cannot be a key in a config file/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
    expect(load(file('{}\n'), ['__proto__.polluted=1'])).toThrow(/"__proto__" is not an option name/);
    expect(load(file('{}\n'), ['defaults={__proto__: {polluted: 1}}'])).toThrow(/cannot be a key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a 500k-element list is refused by its size before it is parsed, in bounded memory', async () => {
    const f = file(`agents:\n  x:\n    command: [${'"a",'.repeat(499_999)}"a"]\n`);
    const r = await execa('/usr/bin/time', ['-f', 'maxrss %M', 'node', CLI, 'config', 'check', f], { reject: false, env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('at most 64 KB is read');
    expect(Number(/maxrss (\d+)/.exec(r.stderr)![1]) / 1024).toBeLessThan(200);
  });

  it('a list of more than 1000 items is refused where it starts', () => {
    const f = file(`agents:\n  x:\n    command: [${'a,'.repeat(1500)}a]\n`);
    expect(load(f)).toThrow(`${f}:3:14: a list or mapping of 1501 items; at most 1000 are allowed`);
  });
});
