// The real Claude Code, interactive in a pane of a private tmux server, its model played by the
// local mock API, with the hooks `panecrew integrate claude-code` writes and a test controller.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claudeEnv } from '../agents/support.js';
import { shellQuote } from '../../src/core/text.js';
import { INPUT_BOXES } from '../../src/tmux/input-boxes.js';
import { startTestController, testConfig, until, type TestController } from './controller.js';
import { startMockApi, type MockApi, type MockReply, type RecordedRequest } from './mock-api.js';
import { startTmuxServer, type TestTmuxServer } from './tmux-server.js';

const KEY = 'sk-ant-test-dummy-key-0123456789';

export interface ClaudePane {
  tc: TestController;
  api: MockApi;
  tmux: TestTmuxServer;
  dir: string;
  /** When each model request arrived (Date.now()), by index. */
  arrivals: number[];
  screen(): Promise<string>;
  /** Types a prompt and presses Enter until Claude Code sends it. */
  type(text: string): Promise<void>;
  /** Resolves once a waiter holds its session's lock (one is armed). */
  waiterArmed(): Promise<void>;
  /** Pids of the waiters holding a lock now. */
  waiters(): number[];
  /** Starts Claude Code again in the pane (killing the one there) with these arguments, e.g. `--continue`. */
  restart(args: string[]): Promise<void>;
  close(): Promise<void>;
}

/** `allow`: tools allowed without asking (besides panecrew's); `args`: Claude Code's arguments; `width`: the window's. */
export async function startClaudePane(reply: (req: RecordedRequest) => MockReply, { allow = [], args = [], width = 160 }: { allow?: string[]; args?: string[]; width?: number } = {}): Promise<ClaudePane> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'panecrew-rewake-')));
  const project = join(dir, 'project');
  const home = join(dir, 'home');
  mkdirSync(project);
  mkdirSync(home);
  // Claude Code's own state: set up, this folder trusted, this key approved (no first-run screens).
  writeFileSync(
    join(home, '.claude.json'),
    JSON.stringify({ hasCompletedOnboarding: true, projects: { [project]: { hasTrustDialogAccepted: true } }, customApiKeyResponses: { approved: [KEY.slice(-20)], rejected: [] } }),
  );
  const arrivals: number[] = [];
  const tc = await startTestController(testConfig({ notification: { strategy: 'completion', desktop: { enabled: false }, tmux: { enabled: false }, bell: { enabled: false } } }));
  const api = await startMockApi((req) => {
    arrivals[req.index] = Date.now();
    return reply(req);
  });
  const tmux = await startTmuxServer({ width, height: 50 });
  const integrated = await tc.cli(['integrate', 'claude-code', '--write', '--dir', project]);
  if (integrated.exitCode !== 0) throw new Error(`integrate failed: ${integrated.stderr}`);
  const settingsFile = join(project, '.claude', 'settings.json');
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  const permissions = { allow: ['mcp__panecrew__task', 'mcp__panecrew__background_output', ...allow] };
  writeFileSync(settingsFile, JSON.stringify({ ...settings, enableAllProjectMcpServers: true, permissions }));
  const base = claudeEnv(api.url, home);
  // PANECREW_TEST_CLAUDE_DIR: a folder with another Claude Code's `claude` (e.g. the newest), tried instead of the pinned one.
  if (process.env.PANECREW_TEST_CLAUDE_DIR) base.PATH = `${process.env.PANECREW_TEST_CLAUDE_DIR}:${base.PATH}`;
  const env = { ...base, PANECREW_HOME: tc.home, PANECREW_CONFIG: tc.env.PANECREW_CONFIG!, XDG_CONFIG_HOME: tc.env.XDG_CONFIG_HOME!, MCP_TIMEOUT: '60000', TERM: 'xterm-256color' };
  const script = join(dir, 'main-agent.sh');
  const screen = () => tmux.client.run(['capture-pane', '-p', '-t', tmux.mainPane]);
  const launch = async (argv: string[]) => {
    writeFileSync(script, `${Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`).join('\n')}\ncd ${shellQuote(project)}\nexec claude ${argv.map(shellQuote).join(' ')}\n`);
    await tmux.client.run(['respawn-pane', '-k', '-t', tmux.mainPane, 'sh', script]);
    // Ready: its input box shows (2.1.197 also says "? for shortcuts"; newer ones show other hints there).
    await until(async () => (INPUT_BOXES.claude(await screen()) !== null ? true : null), 'claude to be ready', 60_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await screen()}`);
    });
  };
  const lockDir = join(tc.home, 'waiters');
  const waiters = () => {
    try {
      return readdirSync(lockDir)
        .filter((f) => f.endsWith('.pid'))
        .map((f) => Number(readFileSync(join(lockDir, f), 'utf8').split(' ')[0]));
    } catch {
      return [];
    }
  };
  try {
    await launch(args);
  } catch (err) {
    // A start that fails (Claude Code missing, too slow) must not leave its controller and servers running.
    await Promise.allSettled([tmux.kill(), api.close(), tc.stop()]);
    throw err;
  }
  return {
    tc,
    api,
    tmux,
    dir,
    arrivals,
    screen,
    async type(text) {
      await tmux.client.run(['send-keys', '-t', tmux.mainPane, '-l', text]);
      // Enter right behind the text would be read as part of a paste: send it once the text shows.
      await until(async () => ((await screen()).includes(text) ? true : null), 'the typed text', 10_000);
      await until(
        async () => {
          await tmux.client.run(['send-keys', '-t', tmux.mainPane, 'Enter']);
          return api.requests.some((q) => JSON.stringify(q.messages).includes(text)) ? true : null;
        },
        'the prompt to be sent',
        30_000,
        1_000,
      );
    },
    waiterArmed: () => until(() => (waiters().length ? true : null), 'a waiter to be armed', 60_000).then(() => {}),
    waiters,
    restart: launch,
    async close() {
      await tmux.kill();
      await api.close();
      await tc.stop();
      // Claude Code may still be writing its state as it goes: a leftover temp folder is no failure.
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      } catch {
        // left in the temp folder
      }
    },
  };
}

