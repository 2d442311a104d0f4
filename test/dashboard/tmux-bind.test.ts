import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, test } from 'vitest';
import { bindLine, MARK, withBinding } from '../../src/cli/verbs/tmux-bind.js';
import { CLI } from '../support/controller.js';
import { startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';

let server: TestTmuxServer | null = null;
afterEach(async () => {
  await server?.kill();
  server = null;
});

describe('panecrew tmux-bind', () => {
  test('prints a display-popup binding on P running this node and this panecrew by absolute path', async () => {
    const r = await execa('node', [CLI, 'tmux-bind'], { env: { PANECREW_HOME: '', PANECREW_CONFIG: '' } });
    expect(r.stdout).toBe(`bind-key P display-popup -E -w 90% -h 80% "'${process.execPath}' '${CLI}' dashboard --exit-on-focus"`);
  });

  test('carries PANECREW_HOME and quotes what tmux and sh would otherwise interpret', () => {
    const line = bindLine('C-d', { PANECREW_HOME: `/tmp/it's $HOME "x"` }, '/usr/bin/node', '/opt/pc/main.js');
    expect(line).toBe(`bind-key C-d display-popup -E -w 90% -h 80% "PANECREW_HOME='/tmp/it'\\\\''s \\$HOME \\"x\\"' '/usr/bin/node' '/opt/pc/main.js' dashboard --exit-on-focus"`);
  });

  test('tmux accepts the line and binds the key', async () => {
    server = await startTmuxServer();
    const dir = mkdtempSync(join(tmpdir(), 'panecrew-bind-'));
    const conf = join(dir, 'tmux.conf');
    writeFileSync(conf, `${bindLine('P', { PANECREW_HOME: "/tmp/a b'c" })}\n`);
    await server.client.run(['source-file', conf]);
    const keys = await server.client.run(['list-keys', '-T', 'prefix', 'P']);
    expect(keys).toMatch(/bind-key -T prefix P display-popup -E -h "80%" -w "90%" /);
    expect(keys).toContain(`"PANECREW_HOME='/tmp/a b'\\\\''c' '${process.execPath}'`);
    expect(keys).toContain('dashboard --exit-on-focus');
  });

  test('--write is idempotent and replaces its own earlier line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'panecrew-bind-'));
    const file = join(dir, 'tmux.conf');
    writeFileSync(file, 'set -g mouse on');
    const run = (args: string[]) => execa('node', [CLI, 'tmux-bind', ...args, '--write', '--file', file]);
    await run([]);
    const once = readFileSync(file, 'utf8');
    expect(once.startsWith('set -g mouse on\n')).toBe(true);
    expect((await run([])).stdout).toContain('already has');
    expect(readFileSync(file, 'utf8')).toBe(once);
    await run(['M-p']);
    const changed = readFileSync(file, 'utf8');
    expect(changed.split(MARK)).toHaveLength(2);
    expect(changed).toContain('bind-key M-p display-popup');
    expect(changed).not.toContain('bind-key P ');
  });

  test('withBinding appends to an empty file', () => {
    expect(withBinding('', 'bind-key P x')).toBe(`${MARK}\nbind-key P x\n`);
  });
});
