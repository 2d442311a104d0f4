// The demo's own tmux server (`tmux -L <name> -f /dev/null`), so it never touches the user's tmux,
// and its local Messages API server as a child process.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { tmuxArg } from '../tmux/client.js';

export const DEMO_SESSION = 'panecrew-demo';

export interface DemoTmux {
  socketName: string;
  socketPath: string;
  serverPid: string;
  mainPane: string;
  /** What a shell in the main pane has as TMUX and TMUX_PANE: tasks launched with them open beside it. */
  launcherEnv: { TMUX: string; TMUX_PANE: string };
}

/** tmux on the demo's server; every argument escaped (tmux splits commands at any argument ending in ';'). */
const tmux = (socketName: string, args: string[]) =>
  execa('tmux', ['-L', socketName, '-f', '/dev/null', ...args].map(tmuxArg), { reject: false, stdin: 'ignore' });

export async function killDemoServer(socketName: string): Promise<void> {
  await tmux(socketName, ['kill-server']);
}

/**
 * A fresh demo session whose only pane runs `mainCommand` with `env` set in it (-e: the server's
 * global environment is whatever the first client had, which may be another demo's).
 */
export async function startDemoSession(socketName: string, mainCommand: string[], env: Record<string, string>): Promise<DemoTmux> {
  await killDemoServer(socketName);
  const vars = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const created = await tmux(socketName, [
    'new-session', '-d', '-s', DEMO_SESSION, '-x', '200', '-y', '50', ...vars,
    '-P', '-F', '#{pane_id} #{pid} #{socket_path}', '--', ...mainCommand,
  ]);
  if (created.exitCode !== 0) throw new Error(`cannot start the demo's tmux server (tmux -L ${socketName}): ${created.stderr.trim() || `exit ${created.exitCode}`}`);
  const [mainPane = '', serverPid = '', ...rest] = created.stdout.trim().split(' ');
  const socketPath = rest.join(' ');
  // Cosmetics for a server that reads no config file: say what this is and how to leave.
  for (const args of [
    ['set', '-g', 'mouse', 'on'],
    ['set', '-g', 'status-style', 'bg=colour24,fg=colour255'],
    ['set', '-g', 'status-left', ' panecrew demo │ '],
    ['set', '-g', 'status-left-length', '20'],
    ['set', '-g', 'status-right', ' Ctrl-b d: detach and end the demo '],
    ['set', '-g', 'status-right-length', '40'],
    ['set', '-g', 'pane-border-status', 'top'],
    ['select-pane', '-t', mainPane, '-T', 'tasks'],
  ]) {
    await tmux(socketName, args);
  }
  return { socketName, socketPath, serverPid, mainPane, launcherEnv: { TMUX: `${socketPath},${serverPid},0`, TMUX_PANE: mainPane } };
}

/** Runs `tmux attach` on the user's terminal until they detach (or the session ends). */
export function attachDemo(socketName: string, env: NodeJS.ProcessEnv): Promise<number> {
  const attachEnv = { ...env };
  delete attachEnv.TMUX;
  delete attachEnv.TMUX_PANE;
  const child = spawn('tmux', ['-L', socketName, 'attach', '-t', DEMO_SESSION].map(tmuxArg), { stdio: 'inherit', env: attachEnv });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

export interface MockServer {
  url: string;
  pid: number;
  stop(): void;
}

/** Starts the local Messages API server as a detached child (so --keep can leave it running). */
export async function startMockServer(entry: string, delayMs: number): Promise<MockServer> {
  const child = spawn(process.execPath, [entry, '--delay-ms', String(delayMs)], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the local Messages API server exited during start-up (code ${code})`)));
    child.once('error', reject);
    lines.once('line', (line) => {
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        child.kill('SIGTERM'); // detached: it would outlive us, serving nobody
        reject(new Error(`the local Messages API server said ${JSON.stringify(line)} instead of {"url":...}`));
      }
    });
  });
  child.removeAllListeners('exit');
  lines.close();
  child.stdout!.destroy();
  child.unref();
  const pid = child.pid!;
  return {
    url,
    pid,
    stop() {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}
