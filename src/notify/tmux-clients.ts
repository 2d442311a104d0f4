// Finds the tmux clients that show a launching pane's session: the people to tell.
import { TmuxClient } from '../tmux/client.js';

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

/** The tmux runner (with its deadline) for the target's server. */
export function tmuxFor(target: Pick<TmuxTarget, 'socket' | 'env' | 'timeoutMs'>): TmuxClient {
  return new TmuxClient(target.socket ? { socketPath: target.socket } : {}, { env: target.env, timeoutMs: target.timeoutMs });
}

export async function clientsShowingPane(target: TmuxTarget): Promise<TmuxClientInfo[]> {
  const tmux = tmuxFor(target);
  // The session id ($3) is a safer -t target than the name, which may look like a window index.
  const sessionId = (await tmux.display(target.pane, '#{session_id}')).trim();
  if (!sessionId) throw new Error(`tmux knows no session for pane ${target.pane}`);
  const clients = await tmux.listClients(sessionId, ['client_name', 'client_tty', 'client_flags'] as const);
  // A control client that takes no pane output shows nobody anything: the controller's own (control.ts).
  const shows = (flags: Set<string>) => !(flags.has('control-mode') && flags.has('no-output'));
  return clients.filter((c) => shows(new Set(c.client_flags.split(',')))).map((c) => ({ name: c.client_name, tty: c.client_tty }));
}
