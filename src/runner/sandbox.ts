// Sandboxed tasks: the agent's argv wrapped in bubblewrap. The whole filesystem is read-only but for
// what the task owns (its worktree or cwd, its task folder, the repository's git folder so it can
// commit, the agent CLI's own state folder) and a private /tmp; `offline` also takes the network.
// bwrap stays in the runner's process group (no --new-session), so the group kill still reaches it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where each agent CLI keeps its sessions and credentials, relative to $HOME: it must write there. */
const AGENT_STATE: Record<string, string[]> = {
  claude: ['.claude', '.claude.json'],
  codex: ['.codex'],
  opencode: ['.local/share/opencode', '.config/opencode', '.cache/opencode', '.local/state/opencode'],
  gemini: ['.gemini'],
  aider: ['.aider'],
};

export interface SandboxInput {
  mode: 'on' | 'offline';
  agent: string;
  /** Folders the agent may write (they must exist). */
  writable: string[];
  home?: string;
}

export function sandboxArgv(argv: string[], { mode, agent, writable, home = homedir() }: SandboxInput): string[] {
  const state = (AGENT_STATE[agent] ?? []).map((p) => join(home, p)).filter((p) => existsSync(p));
  const binds = [...new Set([...writable, ...state])].flatMap((p) => ['--bind', p, p]);
  return ['bwrap', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', ...binds, ...(mode === 'offline' ? ['--unshare-net'] : []), '--', ...argv];
}

let verdict: string | null | undefined;
/** Why sandboxes cannot work here (bwrap missing, user namespaces off), or null when they do; asked once. */
export function sandboxProblem(): string | null {
  if (verdict !== undefined) return verdict;
  const r = spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-net', '--', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) verdict = `bubblewrap (bwrap) is not installed: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'apt-get install bubblewrap' : r.error.message}`;
  else if (r.status !== 0) verdict = `bubblewrap cannot make a sandbox here (${r.stderr.trim() || `exit ${r.status}`}): user namespaces may be off (sysctl kernel.unprivileged_userns_clone=1, or user.max_user_namespaces > 0)`;
  else verdict = null;
  return verdict;
}
