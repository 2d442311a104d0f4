// `attach` says where panecrew's session is when it cannot attach: no tmux, another server, none yet.
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';
import { CLI } from '../support/controller.js';

// A TMUX_TMPDIR of our own makes "tmux's default server" a private one for this test.
const dir = mkdtempSync(join(tmpdir(), 'panecrew-attach-'));
const env: NodeJS.ProcessEnv = { ...process.env, TMUX_TMPDIR: dir, PANECREW_HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'xdg'), NO_COLOR: '1' };
delete env.TMUX;
delete env.TMUX_PANE;
delete env.PANECREW_CONFIG;
const tmux = (args: string[]) => execa('tmux', ['-f', '/dev/null', ...args], { env });
const attach = (extra: NodeJS.ProcessEnv = {}) => execa('node', [CLI, 'attach'], { env: { ...env, ...extra }, reject: false, cwd: dir });

afterAll(async () => {
  await execa('tmux', ['kill-server'], { env, reject: false });
  await execa('tmux', ['-L', 'other', 'kill-server'], { env, reject: false });
});

describe('attach', () => {
  test('without tmux it says tmux is missing, not that a task must be launched', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = await execa(join(bin, 'node'), [CLI, 'attach'], { env: { ...env, PATH: bin }, reject: false, cwd: dir });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('tmux is not installed');
  });

  test('before any session exists it says how one comes to be', async () => {
    const r = await attach();
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('no "panecrew" session');
  });

  test('inside another tmux server it says the session is on the default server and how to attach', async () => {
    await tmux(['new-session', '-d', '-s', 'panecrew', 'sleep', '600']);
    await tmux(['-L', 'other', 'new-session', '-d', '-s', 'mine', 'sleep', '600']);
    const socket = (await tmux(['-L', 'other', 'display-message', '-p', '-t', 'mine', '#{socket_path}'])).stdout.trim();
    const r = await attach({ TMUX: `${socket},1,0` });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain("on tmux's default server, not on the one this terminal is in");
    expect(r.stderr).toContain("tmux attach -t '=panecrew'");
  });
});
