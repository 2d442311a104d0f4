// `panecrew demo`: a controller in a throw-away PANECREW_HOME, a local Messages API server (unless
// ANTHROPIC_API_KEY is set), a tmux server of its own with a live task list in the main pane, and a
// handful of tasks launched from that pane's identity so their panes open beside it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControllerClient } from '../controller/client.js';
import type { LaunchSpec, ListedTask } from '../controller/protocol.js';
import { processAlive } from '../runner/kill.js';
import { PACKAGE_ROOT } from '../config/files.js';
import { attachDemo, DEMO_SESSION, killDemoServer, startDemoSession, startMockServer, type MockServer } from './session.js';
import { demoTasks } from './tasks.js';
import { readPlanFile } from '../plan/load.js';
import { submitPlan } from '../plan/submit.js';
import { table } from '../render/format.js';
import { inert } from '../render/inert.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI_MAIN = join(HERE, '..', 'cli', 'main.js');
const MOCK_ENTRY = join(HERE, '..', 'mockapi', 'main.js');
/** The start of a result as one line: its first two non-empty lines (the first is often a heading). */
function firstLines(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 2)
    .join(' ');
}

/** Per SSE chunk: an explorer's three turns take a few seconds, slow enough to watch. */
const STREAM_DELAY_MS = 120;
/** The whole demo takes well under a minute; past this something is wrong. */
const WAIT_LIMIT_MS = 180_000;

const CONFIG = `# The demo's configuration (a throw-away PANECREW_HOME; your own config is not changed).
background_task:
  resourceGate: { enabled: false }
  retry: { backoffMs: 1s }
tmux:
  enabled: true
  session: ${DEMO_SESSION}
  layout: main-vertical
  main_pane_size: 50
  main_pane_min_width: 60
  agent_pane_min_width: 40
  agent_pane_min_height: 5
  close_delay_ms: 10s
notification:
  strategy: completion
  desktop: { enabled: false }
  bell: { enabled: false }
`;

export interface DemoOptions {
  /** Attach the terminal to the demo session (when it is a terminal). */
  attach: boolean;
  /** Leave the session, controller and server running at the end. */
  keep: boolean;
  /** tmux -L name of the demo's own server. */
  socketName: string;
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  interactive: boolean;
  /** Run examples/demo.plan.yaml instead of the six separate tasks. */
  plan: boolean;
}

/** The plan `demo --plan` runs; its explorers use the built-in agent, so the local server answers them. */
const DEMO_PLAN = join(PACKAGE_ROOT, 'examples', 'demo.plan.yaml');

interface Resources {
  dir: string;
  env: NodeJS.ProcessEnv;
  mock: MockServer | null;
  client: ControllerClient | null;
  socketName: string;
}

async function teardown(r: Resources): Promise<void> {
  if (r.client) {
    await r.client.request({ op: 'cancel', all: true }).catch(() => {});
    // Wait for the controller process to exit, so it writes nothing into the folder removed below.
    const ping = await r.client.request({ op: 'ping' }).catch(() => null);
    await r.client.request({ op: 'shutdown' }).catch(() => {});
    if (ping) await processGone(ping.pid, 5_000);
    r.client.close();
  }
  r.mock?.stop();
  await killDemoServer(r.socketName);
  rmSync(r.dir, { recursive: true, force: true });
}

/** Resolves when `pid` has exited (a zombie counts) or after `ms`. A process exit has no event to wait on here. */
async function processGone(pid: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && processAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 25));
}

async function launchAll(client: ControllerClient, launcherEnv: Record<string, string>, origin: LaunchSpec['origin']): Promise<ListedTask[]> {
  const ids = new Map<string, string>();
  const launched: ListedTask[] = [];
  for (const t of demoTasks(PACKAGE_ROOT)) {
    const spec: LaunchSpec = {
      prompt: t.prompt,
      agent: t.agent,
      subagentType: t.subagentType,
      title: t.title,
      cwd: t.cwd,
      after: (t.after ?? []).map((name) => ids.get(name)!),
      env: launcherEnv,
      origin,
    };
    const task = await client.request({ op: 'launch', spec });
    ids.set(t.name, task.id);
    launched.push(task);
  }
  return launched;
}

/** The final state of every task once all have ended (from events, no polling), or null after WAIT_LIMIT_MS. */
async function waitForAll(env: NodeJS.ProcessEnv, ids: string[]): Promise<ListedTask[] | null> {
  const client = await ControllerClient.connect({ env, autostart: false });
  try {
    const r = await client.waitUntilEnded(ids, { timeoutMs: WAIT_LIMIT_MS });
    return r.ended ? r.tasks : null;
  } finally {
    client.close();
  }
}

async function printOutcome(opts: DemoOptions, env: NodeJS.ProcessEnv, tasks: ListedTask[]): Promise<void> {
  opts.out(table(tasks, false, 120));
  const done = tasks.filter((t) => t.state === 'completed').length;
  opts.out(`\n${done} of ${tasks.length} completed\n\nResults (the start of each):`);
  const client = await ControllerClient.connect({ env, autostart: false });
  try {
    for (const t of tasks) {
      const { result } = await client.request({ op: 'result', taskId: t.id });
      const first = (result && firstLines(result)) || `(no result: ${t.reason ?? t.state})`;
      opts.out(`  ${t.id}  ${inert(t.title)}\n      ${inert(first.slice(0, 200))}`);
      if (t.state !== 'completed') {
        // What the agent said last is usually why it failed.
        const { text } = await client.request({ op: 'output', taskId: t.id, offset: 0 });
        for (const line of text.trimEnd().split('\n').slice(-8)) opts.out(`      │ ${inert(line.slice(0, 200))}`);
      }
    }
  } finally {
    client.close();
  }
}

function waitForEnter(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.resume();
    process.stdin.once('data', () => {
      process.stdin.pause();
      resolve();
    });
  });
}

export async function runDemo(opts: DemoOptions): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'panecrew-demo-'));
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, CONFIG);
  const env: NodeJS.ProcessEnv = { ...opts.env, PANECREW_HOME: join(dir, 'home'), PANECREW_CONFIG: configFile };
  delete env.TMUX;
  delete env.TMUX_PANE;
  const r: Resources = { dir, env, mock: null, client: null, socketName: opts.socketName };
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    opts.err('\npanecrew demo: interrupted; tearing down');
    void teardown(r).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    if (opts.env.ANTHROPIC_API_KEY) {
      opts.out('ANTHROPIC_API_KEY is set: the explorers use the real Anthropic API (claude-haiku-4-5).');
    } else {
      r.mock = await startMockServer(MOCK_ENTRY, STREAM_DELAY_MS);
      env.ANTHROPIC_BASE_URL = r.mock.url;
      env.ANTHROPIC_API_KEY = 'sk-ant-panecrew-demo-local';
      opts.out(`No ANTHROPIC_API_KEY: the explorers talk to a local Messages API server at ${r.mock.url} (no network, no cost).`);
    }
    r.client = await ControllerClient.connect({ env });
    const session = await startDemoSession(opts.socketName, [process.execPath, CLI_MAIN, 'dashboard'], {
      PANECREW_HOME: env.PANECREW_HOME!,
      PANECREW_CONFIG: configFile,
      ...(env.NO_COLOR ? { NO_COLOR: env.NO_COLOR } : {}),
    });
    const launcherEnv = Object.fromEntries(
      Object.entries({ ...env, ...session.launcherEnv, PANECREW_DEMO_NODE: process.execPath }).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const origin = { tmuxSocket: session.socketPath, tmuxPane: session.mainPane };
    let launched: ListedTask[];
    if (opts.plan) {
      const plan = await submitPlan(r.client, { located: readPlanFile(DEMO_PLAN), file: DEMO_PLAN, set: {}, env: launcherEnv, origin });
      launched = plan.tasks;
      opts.out(`Launched plan ${plan.id} "${plan.name}" (${DEMO_PLAN}): ${launched.length} tasks in tmux session ${DEMO_SESSION} (its own server: tmux -L ${opts.socketName}).`);
    } else {
      launched = await launchAll(r.client, launcherEnv, origin);
      opts.out(`Launched ${launched.length} tasks in tmux session ${DEMO_SESSION} (its own server: tmux -L ${opts.socketName}).`);
    }

    const insideTmux = Boolean(opts.env.TMUX);
    if (opts.attach && opts.interactive && !insideTmux) {
      await attachDemo(opts.socketName, opts.env);
      if (opts.keep) {
        r.client.close();
        opts.out(keepMessage(opts.socketName, env, r.mock));
        return 0;
      }
      await teardown(r);
      opts.out('panecrew demo: ended and cleaned up.');
      return 0;
    }
    if (opts.attach && opts.interactive && insideTmux) {
      opts.out(`You are inside tmux: watch the demo from another terminal or tmux window with\n\n    tmux -L ${opts.socketName} attach\n`);
    }
    const ended = await waitForAll(env, launched.map((t) => t.id));
    if (!ended) {
      opts.err(`panecrew demo: the tasks did not all end within ${WAIT_LIMIT_MS / 1000}s`);
      if (!opts.keep) await teardown(r);
      return 124;
    }
    await printOutcome(opts, env, ended);
    const ok = ended.every((t) => t.state === 'completed');
    if (opts.keep) {
      r.client.close();
      opts.out(keepMessage(opts.socketName, env, r.mock));
    } else {
      if (opts.attach && opts.interactive && insideTmux) {
        opts.out('\nPress Enter to end the demo (it closes the demo session).');
        await waitForEnter();
      }
      await teardown(r);
    }
    return ok ? 0 : 1;
  } catch (err) {
    if (!interrupted) await teardown(r);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function keepMessage(socketName: string, env: NodeJS.ProcessEnv, mock: MockServer | null): string {
  return `
The demo is still running (--keep):
  attach:      tmux -L ${socketName} attach
  list tasks:  PANECREW_HOME=${env.PANECREW_HOME} PANECREW_CONFIG=${env.PANECREW_CONFIG} panecrew ls
  end it:      tmux -L ${socketName} kill-server; PANECREW_HOME=${env.PANECREW_HOME} panecrew controller stop${mock ? `; kill ${mock.pid}` : ''}`;
}
