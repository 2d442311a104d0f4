// The dashboard running for real: `node dist/cli/main.js dashboard` in a pane of an isolated tmux
// server, read with capture-pane and driven with send-keys.
import { CLI, type TestController } from '../support/controller.js';
import { startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';

export interface DashboardPane {
  tmux: TestTmuxServer;
  pane: string;
  screen(opts?: { escapes?: boolean }): Promise<string>;
  /** Polls the screen until `check` returns something truthy (or the text appears). */
  waitFor<T>(check: string | ((screen: string) => T | false | null | undefined), what?: string, timeoutMs?: number): Promise<T | string>;
  keys(...keys: string[]): Promise<void>;
  /** The dashboard's process id (the pane's process). */
  pid(): Promise<number>;
  close(): Promise<void>;
}

export interface OpenOptions {
  width?: number;
  height?: number;
  color?: boolean;
  /** Run in a new window of this server instead of a server of its own. */
  tmux?: TestTmuxServer;
  /** With `tmux`: the session to open that window in (default: the one tmux picks). */
  session?: string;
}

export async function openDashboard(tc: TestController, opts: OpenOptions = {}): Promise<DashboardPane> {
  const own = !opts.tmux;
  const tmux = opts.tmux ?? (await startTmuxServer({ width: opts.width ?? 160, height: opts.height ?? 40 }));
  // Panes get the tmux server's environment, not ours: pass what the dashboard needs on its argv.
  const env = [
    `PANECREW_HOME=${tc.env.PANECREW_HOME}`,
    `PANECREW_CONFIG=${tc.env.PANECREW_CONFIG}`,
    `XDG_CONFIG_HOME=${tc.env.XDG_CONFIG_HOME}`,
    'LANG=C.UTF-8',
  ];
  const argv = ['env', ...(opts.color ? ['-u', 'NO_COLOR'] : ['NO_COLOR=1']), ...env, process.execPath, CLI, 'dashboard'];
  let pane: string;
  if (own) {
    pane = tmux.mainPane;
    await tmux.client.run(['respawn-pane', '-k', '-t', pane, '--', ...argv]);
  } else {
    const target = opts.session ? ['-t', `${opts.session}:`] : [];
    pane = (await tmux.client.run(['new-window', '-d', ...target, '-P', '-F', '#{pane_id}', '--', ...argv])).trim();
  }
  const screen = async ({ escapes = false } = {}) => tmux.client.run(['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', pane]);
  const dash: DashboardPane = {
    tmux,
    pane,
    screen,
    async waitFor(check, what, timeoutMs = 15_000) {
      const test = typeof check === 'string' ? (s: string) => (s.includes(check) ? s : null) : check;
      const deadline = Date.now() + timeoutMs;
      let last = '';
      for (;;) {
        last = await screen();
        const v = test(last);
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what ?? JSON.stringify(check)}; the screen:\n${last}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async keys(...keys) {
      await tmux.client.run(['send-keys', '-t', pane, ...keys]);
    },
    async pid() {
      // The pane runs `env`, which execs node: the pane's pid is the dashboard's.
      return Number((await tmux.client.run(['display-message', '-p', '-t', pane, '#{pane_pid}'])).trim());
    },
    async close() {
      if (own) await tmux.kill();
      else await tmux.client.run(['kill-pane', '-t', pane]).catch(() => {});
    },
  };
  await dash.waitFor('● connected', 'the dashboard to connect');
  return dash;
}
