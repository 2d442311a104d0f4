// `panecrew demo --no-attach` end to end: its own controller, local API server and tmux server, six
// tasks in real panes, the outcome printed, everything torn down.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemoSession, startMockServer } from '../../src/demo/session.js';
import { REPO } from './support.js';

describe('panecrew demo --no-attach', () => {
  const socketName = `pc-demo-${randomBytes(4).toString('hex')}`;
  const home = mkdtempSync(join(tmpdir(), 'panecrew-demo-test-'));
  afterAll(async () => {
    await execa('tmux', ['-L', socketName, 'kill-server'], { reject: false });
    rmSync(home, { recursive: true, force: true });
  });

  it('runs every task to completion, prints the list and results, and cleans up its tmux server', { timeout: 120_000 }, async () => {
    for (const d of ['config', 'state', 'cache']) mkdirSync(join(home, d));
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), XDG_CACHE_HOME: join(home, 'cache'), NO_COLOR: '1' };
    // No key: the demo must start its local Messages API server. Not inside tmux: no attach hint.
    for (const k of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'TMUX', 'TMUX_PANE', 'PANECREW_HOME', 'PANECREW_CONFIG']) delete env[k];
    const started = Date.now();
    const r = await execa('node', [join(REPO, 'dist/cli/main.js'), 'demo', '--no-attach', '--socket', socketName], { env, extendEnv: false, reject: false, stdin: 'ignore', cwd: home });
    const took = Date.now() - started;
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('local Messages API server');
    expect(r.stdout).toContain('6 of 6 completed');
    expect(r.stdout.match(/✓ completed/g)).toHaveLength(6);
    for (const title of ['explore src/controller', 'explore src/tmux', 'explore src/runner', 'count lines of TypeScript per part', 'read what the src/controller explorer found']) {
      expect(r.stdout).toContain(title);
    }
    // The explorers' answers come from the files they read; the follow-up read its dependency's result.
    expect(r.stdout).toMatch(/Exploration summary\. The repository has \d+ top-level entries/);
    expect(r.stdout).toMatch(/explorer bg_[0-9a-z]{8} reported: /);
    expect(r.stdout).toMatch(/\d+ lines of TypeScript in \d+ parts of src\//);
    // Torn down: no tmux server left behind, no demo home in the temp folder it made.
    expect((await execa('tmux', ['-L', socketName, 'has-session'], { reject: false })).exitCode).not.toBe(0);
    expect(took).toBeLessThan(90_000);
  });
});

describe('the demo\'s pieces', () => {
  const dir = mkdtempSync(join(tmpdir(), 'panecrew-demo-unit-'));
  const socketName = `pc-demo-${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    await execa('tmux', ['-L', socketName, 'kill-server'], { reject: false });
    rmSync(dir, { recursive: true, force: true });
  });

  it('every tmux argument is escaped: one ending in ";" does not end the command', async () => {
    const demo = await startDemoSession(socketName, ['sh', '-c', 'sleep 30;'], { DEMO_VAR: 'a;' });
    const run = (...args: string[]) => execa('tmux', ['-L', socketName, ...args], { reject: false });
    expect((await run('show-environment', '-t', 'panecrew-demo', 'DEMO_VAR')).stdout.trim()).toBe('DEMO_VAR=a;');
    expect((await run('display-message', '-p', '-t', demo.mainPane, '#{pane_start_command}')).stdout).toContain('sleep 30;');
  });

  it('a local API server that does not say its URL is stopped, not left running detached', async () => {
    const entry = join(dir, 'bad-server.mjs');
    const pidFile = join(dir, 'pid');
    writeFileSync(entry, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nconsole.log('not json');\nsetInterval(() => {}, 1000);\n`);
    await expect(startMockServer(entry, 0)).rejects.toThrow('said "not json" instead of {"url":...}');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 5000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(alive()).toBe(false);
  });
});
