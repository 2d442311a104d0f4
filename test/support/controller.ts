// A real controller in a temp PANECREW_HOME, driven through the real CLI and the real socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa, type Result } from 'execa';
import { stringify } from 'yaml';
import { until } from './until.js';
import { ControllerClient } from '../../src/controller/client.js';
import type { LaunchSpec, ListedTask } from '../../src/controller/protocol.js';

export const CLI = resolve(import.meta.dirname, '../../dist/cli/main.js');

export { until };

type Yaml = { [key: string]: unknown };
const isObject = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);
function merge(base: Yaml, over: Yaml): Yaml {
  const out: Yaml = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Yaml, v) : v;
  return out;
}

/**
 * Test config as YAML: the resource gate off (CI machines are busy), headless, silent, a short kill
 * grace — with `overrides` merged in.
 */
export function testConfig(overrides: Yaml = {}): string {
  const base = { background_task: { resourceGate: { enabled: false }, killGraceMs: '1s' }, tmux: { enabled: false }, notification: { strategy: 'silent' } };
  return stringify(merge(base, overrides));
}

export const BASE_CONFIG = testConfig();
/** Tasks launched with a pane's TMUX/TMUX_PANE open beside it; panes stay a minute after their task. */
export const PANES_CONFIG = testConfig({ tmux: { enabled: true, close_delay_ms: '60s' } });

export interface TestController {
  home: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  child: ChildProcess;
  cli(args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<Result>;
  client(): Promise<ControllerClient>;
  launch(args: string[]): Promise<ListedTask>;
  /** The task as the controller lists it now. */
  get(id: string): Promise<ListedTask>;
  /** Launches through one socket request, without a CLI start: for tests that need tasks queued fast. */
  launchFast(client: ControllerClient, spec: Partial<LaunchSpec> & { prompt: string }): Promise<ListedTask>;
  waitFinal(id: string, timeoutMs?: number): Promise<ListedTask>;
  /** The task once it runs in a tmux pane (its paneId is known). */
  waitPane(id: string): Promise<ListedTask>;
  /** Starts the controller process (again). */
  start(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

/** `cwd`: the folder `controller run` starts in (default: this process's). */
export async function startTestController(configYaml = BASE_CONFIG, extraEnv: NodeJS.ProcessEnv = {}, { cwd }: { cwd?: string } = {}): Promise<TestController> {
  const dir = mkdtempSync(join(tmpdir(), 'panecrew-test-'));
  const home = join(dir, 'home');
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, configYaml);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PANECREW_HOME: home,
    PANECREW_CONFIG: configFile,
    XDG_CONFIG_HOME: join(dir, 'xdg-config'),
    XDG_CACHE_HOME: join(dir, 'xdg-cache'),
    NO_COLOR: '1',
    // A controller with no TMUX of its own uses the "default" tmux server: this test's, never the
    // person's (it would open a `panecrew` session there); stop() ends it.
    TMUX_TMPDIR: dir,
    ...extraEnv,
  };
  // Not the test runner's tmux (a test that wants the controller inside one passes TMUX itself).
  if (!('TMUX' in extraEnv)) delete env.TMUX;
  if (!('TMUX_PANE' in extraEnv)) delete env.TMUX_PANE;
  for (const [k, v] of Object.entries(extraEnv)) if (v === undefined) delete env[k];

  const tc: TestController = {
    home,
    dir,
    env,
    child: undefined as unknown as ChildProcess,
    cli: (args, opts = {}) =>
      execa('node', [CLI, ...args], { env: { ...env, ...opts.env }, cwd: opts.cwd ?? dir, reject: false, input: opts.input, extendEnv: false }),
    client: () => ControllerClient.connect({ env, autostart: false }),
    async launch(args) {
      const r = await tc.cli(['launch', '--json', ...args]);
      if (r.exitCode !== 0) throw new Error(`launch failed (${r.exitCode}): ${r.stderr}`);
      return JSON.parse(r.stdout as string) as ListedTask;
    },
    async get(id) {
      const c = await tc.client();
      try {
        return await c.request({ op: 'get', taskId: id });
      } finally {
        c.close();
      }
    },
    launchFast(client, spec) {
      return client.request({ op: 'launch', spec: { agent: 'shell', cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, ...spec } });
    },
    async waitPane(id) {
      const c = await tc.client();
      try {
        return await until(async () => {
          const t = await c.request({ op: 'get', taskId: id });
          return t.paneId ? t : null;
        }, `task ${id}'s pane`);
      } finally {
        c.close();
      }
    },
    async waitFinal(id, timeoutMs = 20_000) {
      const c = await tc.client();
      try {
        const r = await c.waitUntilEnded([id], { timeoutMs });
        if (!r.ended) throw new Error(`task ${id} did not end within ${timeoutMs}ms (still ${r.tasks[0]!.state})`);
        return r.tasks[0]!;
      } finally {
        c.close();
      }
    },
    async start() {
      const child = spawn('node', [CLI, 'controller', 'run'], { env, cwd, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += String(d)));
      await new Promise<void>((ok, fail) => {
        child.once('message', () => ok());
        child.once('exit', (code) => fail(new Error(`controller exited with ${code}: ${stderr}`)));
      });
      child.removeAllListeners('exit');
      child.disconnect();
      tc.child = child;
    },
    async kill(signal = 'SIGKILL') {
      const child = tc.child;
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((ok) => {
        child.once('exit', () => ok());
        child.kill(signal);
      });
    },
    async stop() {
      try {
        const c = await tc.client();
        await c.request({ op: 'cancel', all: true }).catch(() => {});
        c.close();
      } catch {
        // not running
      }
      await tc.kill('SIGTERM');
      // The test's default tmux server, if the controller started one (its waiters end with it).
      await execa('tmux', ['-S', join(dir, `tmux-${process.getuid?.() ?? 0}`, 'default'), 'kill-server'], { reject: false });
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await tc.start();
  return tc;
}
