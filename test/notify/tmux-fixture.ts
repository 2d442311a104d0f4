// A real tmux server with a client attached, so display-message -c and client ttys exist.
// The client runs in a pane of a second, isolated tmux server: that outer pane is the
// "terminal" whose screen (capture-pane) and bell flag the tests read.
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { waitFor } from './wait.js';

export interface WatchedTmux {
  /** Socket path of the server the launching pane lives on. */
  socket: string;
  /** The launching pane, e.g. %0. */
  pane: string;
  /** What the attached client's terminal shows, status line included. */
  screen(): Promise<string>;
  waitForScreen(text: string, timeoutMs?: number): Promise<string>;
  /** Whether a bell reached the client's terminal. */
  bellRang(): Promise<boolean>;
  close(): Promise<void>;
}

// Our own $TMUX (when the tests run inside tmux) must not leak into the servers under test.
const cleanEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.TMUX;
  delete env.TMUX_PANE;
  return env;
};

async function tmux(args: string[]): Promise<string> {
  const r = await execa('tmux', args, { env: cleanEnv(), extendEnv: false, stdin: 'ignore' });
  return r.stdout;
}

export async function startWatchedTmux(): Promise<WatchedTmux> {
  const id = randomBytes(4).toString('hex');
  const inner = `pc-in-${id}`;
  const outer = `pc-out-${id}`;
  await tmux(['-L', inner, '-f', '/dev/null', 'new-session', '-d', '-s', 'work', '-x', '120', '-y', '30']);
  const socket = (await tmux(['-L', inner, 'display-message', '-p', '-t', 'work', '#{socket_path}'])).trim();
  const pane = (await tmux(['-L', inner, 'display-message', '-p', '-t', 'work', '#{pane_id}'])).trim();
  await tmux(['-L', outer, '-f', '/dev/null', 'new-session', '-d', '-s', 'view', '-x', '120', '-y', '30',
    'env', '-u', 'TMUX', '-u', 'TMUX_PANE', 'tmux', '-S', socket, 'attach-session', '-t', 'work']);
  await waitFor(async () => (await tmux(['-S', socket, 'list-clients', '-F', '#{client_name}'])).trim(), 'a client attached to the inner tmux server');

  const screen = () => tmux(['-L', outer, 'capture-pane', '-p', '-t', 'view']);
  return {
    socket,
    pane,
    screen,
    waitForScreen: (text, timeoutMs = 15_000) =>
      waitFor(async () => {
        const s = await screen();
        return s.includes(text) ? s : null;
      }, `${JSON.stringify(text)} on the attached client's screen`, timeoutMs),
    bellRang: async () => (await tmux(['-L', outer, 'display-message', '-p', '-t', 'view', '#{window_bell_flag}'])).trim() === '1',
    async close() {
      await execa('tmux', ['-L', outer, 'kill-server'], { reject: false, env: cleanEnv(), extendEnv: false });
      await execa('tmux', ['-S', socket, 'kill-server'], { reject: false, env: cleanEnv(), extendEnv: false });
    },
  };
}
