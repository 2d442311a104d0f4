// `panecrew demo --no-attach` end to end: its own controller, local API server and tmux server, six
// tasks in real panes, the outcome printed, everything torn down.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemoSession, startMockServer } from '../../src/demo/session.js';
import { REPO } from './support.js';
import { until } from '../support/until.js';

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

describe('panecrew demo --plan', () => {
  const socketName = `pc-demo-${randomBytes(4).toString('hex')}`;
  const home = mkdtempSync(join(tmpdir(), 'panecrew-demo-plan-test-'));
  const after: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const f of after) await f().catch(() => {});
    await execa('tmux', ['-L', socketName, 'kill-server'], { reject: false });
    rmSync(home, { recursive: true, force: true });
  });

  it('runs examples/demo.plan.yaml with no API key, and the dashboard shows it grouped by phase', { timeout: 120_000 }, async () => {
    for (const d of ['config', 'state', 'cache']) mkdirSync(join(home, d));
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), XDG_CACHE_HOME: join(home, 'cache'), NO_COLOR: '1' };
    for (const k of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'TMUX', 'TMUX_PANE', 'PANECREW_HOME', 'PANECREW_CONFIG']) delete env[k];
    // --keep leaves the session up so the dashboard can be read after the plan ended. The kept local
    // server holds on to an inherited descriptor, so the end is the demo's exit, not its pipes closing.
    const child = spawn('node', [join(REPO, 'dist/cli/main.js'), 'demo', '--plan', '--no-attach', '--keep', '--socket', socketName], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: home });
    const r = { stdout: '', stderr: '', exitCode: null as number | null };
    child.stdout.on('data', (d: Buffer) => (r.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (r.stderr += d.toString()));
    r.exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    await until(() => r.exitCode !== 0 || r.stdout.includes('end it:'), 'the rest of the output', 5000).catch(() => {});
    const kept = /PANECREW_HOME=(\S+) PANECREW_CONFIG=(\S+) panecrew ls/.exec(r.stdout);
    const mockPid = /; kill (\d+)/.exec(r.stdout);
    if (kept) after.push(() => execa('node', [join(REPO, 'dist/cli/main.js'), 'controller', 'stop'], { env: { ...env, PANECREW_HOME: kept[1], PANECREW_CONFIG: kept[2] }, extendEnv: false, reject: false }));
    if (mockPid) after.push(async () => process.kill(Number(mockPid[1])));
    if (kept) after.push(async () => rmSync(dirname(kept[1]!), { recursive: true, force: true }));
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/Launched plan pl_[0-9a-z]{8} "demo tour"/);
    expect(r.stdout).toContain('5 of 5 completed');
    expect(r.stdout).toMatch(/3 explorer results; count said: \d+ TypeScript files in src\//);
    const panes = await execa('tmux', ['-L', socketName, 'list-panes', '-s', '-t', 'panecrew-demo', '-F', '#{pane_id} #{pane_start_command}']);
    const dashboard = panes.stdout.split('\n').find((l) => l.includes('dashboard'))!.split(' ')[0]!;
    const screen = (await execa('tmux', ['-L', socketName, 'capture-pane', '-p', '-t', dashboard])).stdout;
    expect(screen).toMatch(/plan demo tour\s+pl_[0-9a-z]{8}\s+completed\s+5\/5 done/);
    expect(screen).toContain('phase 1/2 count, explore[0], explore[1], explore[2]: 4 done');
    expect(screen).toContain('phase 2/2 synthesis: 1 done');
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
