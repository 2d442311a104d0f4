// A private tmux server per test: `tmux -L pc-<random> -f /dev/null`, so tests never touch the
// user's server or each other, and can run in parallel.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { execa } from 'execa';
import { TmuxClient } from '../../src/tmux/client.js';
import { PaneManager } from '../../src/tmux/pane-manager.js';
import { TmuxOptionsSchema, type TmuxOptionsInput } from '../../src/tmux/options.js';
import { until as untilShared } from './until.js';

export interface TestTmuxServer {
  socketName: string;
  client: TmuxClient;
  /** %id of the first pane of session `main`. */
  mainPane: string;
  /** @id of the first window of session `main`. */
  mainWindow: string;
  kill(): Promise<void>;
}

export async function startTmuxServer(opts: { width?: number; height?: number; session?: string } = {}): Promise<TestTmuxServer> {
  const socketName = `pc-${randomBytes(6).toString('hex')}`;
  const width = String(opts.width ?? 240);
  const height = String(opts.height ?? 60);
  // `sleep` keeps the main pane alive without a shell reading the user's rc files.
  const { stdout } = await execa('tmux', ['-L', socketName, '-f', '/dev/null', 'new-session', '-d', '-x', width, '-y', height, '-s', opts.session ?? 'main', '-P', '-F', '#{window_id} #{pane_id}', '--', 'sleep', '3600']);
  const [mainWindow = '', mainPane = ''] = stdout.trim().split(' ');
  const client = new TmuxClient({ socketName });
  // Do not set window-size manual here: tmux 3.3a crashes on new-window with it.
  return {
    socketName,
    client,
    mainPane,
    mainWindow,
    async kill() {
      await execa('tmux', ['-L', socketName, 'kill-server'], { reject: false });
      // kill-server returns before the server is gone (a busy machine shows it): wait until no server
      // answers on the socket, not merely until it has no sessions left.
      const gone = /no server running|error connecting/;
      await untilShared(async () => gone.test((await execa('tmux', ['-L', socketName, 'list-sessions'], { reject: false })).stderr), 'the tmux server to be gone', 10_000, 25);
    },
  };
}

/** The shared `until` with the question first, as these tests read best. */
export function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 10_000): Promise<NonNullable<T>> {
  return untilShared(check, what, ms, 25);
}

export interface Geometry {
  paneId: string;
  w: number;
  h: number;
  x: number;
  y: number;
}

export async function geometry(client: TmuxClient, windowId: string): Promise<Geometry[]> {
  const out = await client.run(['list-panes', '-t', windowId, '-F', '#{pane_id} #{pane_width} #{pane_height} #{pane_left} #{pane_top}']);
  return out.split('\n').filter(Boolean).map((line) => {
    const [paneId = '', w, h, x, y] = line.split(' ');
    return { paneId, w: Number(w), h: Number(h), x: Number(x), y: Number(y) };
  });
}

/** The environment a shell inside `paneId` would have: what a launcher there carries as its origin. */
export async function paneEnv(server: TestTmuxServer, paneId = server.mainPane): Promise<{ TMUX: string; TMUX_PANE: string }> {
  const [socket, pid] = (await server.client.run(['display-message', '-p', '-t', paneId, '#{socket_path} #{pid}'])).trim().split(' ');
  return { TMUX: `${socket},${pid},0`, TMUX_PANE: paneId };
}

/** A pane manager on the test server with these tmux options over the defaults. */
/** Ends what a test made: its pane manager (pending closes first), its tmux server, its temp folders. */
export async function endTest(pm: PaneManager | undefined, server: TestTmuxServer | undefined, dirs: string[]): Promise<void> {
  await pm?.dispose(0);
  await server?.kill();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function paneManager(s: TestTmuxServer, over: TmuxOptionsInput = {}): PaneManager {
  return new PaneManager(s.client, TmuxOptionsSchema.parse(over));
}
