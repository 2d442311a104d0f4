// Every git call of the worktree feature: an argument array (never a shell), a clear error. execa is
// loaded on first use (an idle controller never needs it: docs/benchmarks.md, footprint); the
// synchronous checks use node's spawnSync directly.
import { spawnSync } from 'node:child_process';

export class GitError extends Error {}

const fail = (args: string[], stderr: string, stdout: string): GitError =>
  new GitError(`git ${args.join(' ')} failed: ${(stderr || stdout).trim() || 'no message'}`);

const execa = async () => (await import('execa')).execa;

/** Runs git in `cwd`; resolves to its stdout (trimmed at the end), throws a GitError on failure. */
export async function git(cwd: string, args: string[], env?: Record<string, string>): Promise<string> {
  const r = await (await execa())('git', args, { cwd, reject: false, env: { ...env, GIT_TERMINAL_PROMPT: '0' }, stdin: 'ignore' });
  if (r.exitCode !== 0) throw fail(args, r.stderr, r.stdout);
  return r.stdout.trimEnd();
}

function gitSpawnSync(cwd: string, args: string[]) {
  return spawnSync('git', args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

/** The same, for the few checks a launch makes before it answers. */
export function gitSync(cwd: string, args: string[]): string {
  const r = gitSpawnSync(cwd, args);
  if (r.status !== 0) throw fail(args, r.stderr || r.error?.message || '', r.stdout ?? '');
  return r.stdout.trimEnd();
}

/** Whether git succeeds (for questions such as "does this branch exist"). */
export async function gitOk(cwd: string, args: string[]): Promise<boolean> {
  const r = await (await execa())('git', args, { cwd, reject: false, stdin: 'ignore' });
  return r.exitCode === 0;
}

export function gitOkSync(cwd: string, args: string[]): boolean {
  return gitSpawnSync(cwd, args).status === 0;
}
