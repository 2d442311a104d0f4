// The real OpenCode TUI in a pane of a private tmux server, its model played by the local mock API,
// with the MCP server and the plugin `panecrew integrate opencode` writes, and a test controller.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { opencodeEnv } from '../agents/support.js';
import { shellQuote } from '../../src/core/text.js';
import { startTestController, testConfig, until, type TestController } from './controller.js';
import { startMockApi, type MockApi, type MockReply, type RecordedRequest } from './mock-api.js';
import { startTmuxServer, type TestTmuxServer } from './tmux-server.js';

export interface OpencodePane {
  tc: TestController;
  api: MockApi;
  tmux: TestTmuxServer;
  dir: string;
  /** When each model request arrived (Date.now()), by index. */
  arrivals: number[];
  screen(): Promise<string>;
  /** Types a prompt and presses Enter until OpenCode sends it. */
  type(text: string): Promise<void>;
  /** Starts OpenCode again in the pane (killing the one there) with these arguments, e.g. `--continue`. */
  restart(args: string[]): Promise<void>;
  close(): Promise<void>;
}

/** OpenCode's TUI is up and takes input: its prompt box shows the model's name. */
const READY = 'Claude (local mock)';

export async function startOpencodePane(reply: (req: RecordedRequest) => MockReply, { width = 160 }: { width?: number } = {}): Promise<OpencodePane> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'panecrew-opencode-wake-')));
  const project = join(dir, 'project');
  const home = join(dir, 'home');
  mkdirSync(project);
  mkdirSync(home);
  const arrivals: number[] = [];
  const tc = await startTestController(testConfig({ notification: { strategy: 'completion', desktop: { enabled: false }, tmux: { enabled: false }, bell: { enabled: false } } }));
  const api = await startMockApi((req) => {
    arrivals[req.index] = Date.now();
    return reply(req);
  });
  const tmux = await startTmuxServer({ width, height: 50 });
  const integrated = await tc.cli(['integrate', 'opencode', '--write', '--dir', project]);
  if (integrated.exitCode !== 0) throw new Error(`integrate failed: ${integrated.stderr}`);
  // No XDG_CONFIG_HOME: OpenCode would read its own config there instead of $HOME/.config.
  const env = { ...opencodeEnv(api.url, home), PANECREW_HOME: tc.home, PANECREW_CONFIG: tc.env.PANECREW_CONFIG!, TERM: 'xterm-256color' };
  const script = join(dir, 'main-agent.sh');
  const screen = () => tmux.client.run(['capture-pane', '-p', '-t', tmux.mainPane]);
  const launch = async (args: string[]) => {
    writeFileSync(script, `${Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`).join('\n')}\ncd ${shellQuote(project)}\nexec opencode ${args.map(shellQuote).join(' ')}\n`);
    await tmux.client.run(['respawn-pane', '-k', '-t', tmux.mainPane, 'sh', script]);
    await until(async () => ((await screen()).includes(READY) ? true : null), 'opencode to be ready', 90_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await screen()}`);
    });
  };
  try {
    await launch([]);
  } catch (err) {
    // A start that fails (OpenCode missing, too slow) must not leave its controller and servers running.
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
    restart: launch,
    async close() {
      await tmux.kill();
      await api.close();
      await tc.stop();
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      } catch {
        // left in the temp folder
      }
    },
  };
}
