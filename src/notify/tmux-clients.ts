// Finds the tmux clients that show a launching pane's session: the people to tell.
import { execa } from 'execa';
import { tmuxArg } from '../tmux/client.js';

export interface TmuxTarget {
  /** Server socket path (-S); the default server when absent. */
  socket?: string;
  pane: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export interface TmuxClientInfo {
  name: string;
  tty: string;
}

/** Runs tmux with an argv array; rejects with tmux's own complaint. */
export async function runTmux(target: Pick<TmuxTarget, 'socket' | 'env' | 'timeoutMs'>, args: string[]): Promise<string> {
  const argv = [...(target.socket ? ['-S', target.socket] : []), ...args.map(tmuxArg)];
  const result = await execa('tmux', argv, {
    env: target.env,
    stdin: 'ignore',
    timeout: target.timeoutMs,
    forceKillAfterDelay: 500,
    reject: false,
  });
  if (result.failed) {
    const why = result.timedOut ? `timed out after ${target.timeoutMs}ms` : String(result.stderr ?? '').trim() || result.shortMessage;
    throw new Error(`tmux ${args[0]} failed: ${why}`);
  }
  return String(result.stdout ?? '');
}

export async function clientsShowingPane(target: TmuxTarget): Promise<TmuxClientInfo[]> {
  // The session id ($3) is a safer -t target than the name, which may look like a window index.
  const sessionId = (await runTmux(target, ['display-message', '-p', '-t', target.pane, '#{session_id}'])).trim();
  if (!sessionId) throw new Error(`tmux knows no session for pane ${target.pane}`);
  const out = await runTmux(target, ['list-clients', '-t', sessionId, '-F', '#{client_name}\t#{client_tty}']);
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name = '', tty = ''] = line.split('\t');
      return { name, tty };
    });
}
