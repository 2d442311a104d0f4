// What every launcher (CLI, MCP server, dashboard) sends about where it runs.
import type { LaunchSpec } from './protocol.js';

/** The launcher's tmux server and pane, so the task's pane opens beside it. */
export function originFromEnv(env: NodeJS.ProcessEnv): LaunchSpec['origin'] {
  const socket = env.TMUX?.split(',')[0];
  return socket && env.TMUX_PANE ? { tmuxSocket: socket, tmuxPane: env.TMUX_PANE } : {};
}

/** The launcher's environment, captured as the task's environment (strings only). */
export function captureEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string' && !e[1].includes('\0')));
}
