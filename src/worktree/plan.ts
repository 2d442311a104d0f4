// At launch: where a task's worktree will be, on which branch from which base, or why it cannot be.
// Only checks here (a few quick git calls); the worktree itself is made when the attempt prepares.
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { TaskRecord, Workspace } from '../core/task.js';
import { gitOkSync, gitSync } from './git.js';

export interface WorktreeRequest {
  branch?: string;
  /** A ref, or the id of a task this one waits for (`--after`): start from that task's branch. */
  base?: string;
  copy: string[];
  link: string[];
  setup: string[];
}

/** A launch that cannot have a worktree: the message says why and what to do. */
export class WorktreeRefused extends Error {}

/** Where the worktrees of the repository at `repo` live: one folder per repository, named so a person can tell. */
export function repoWorktreesDir(home: string, repo: string): string {
  const hash = createHash('sha256').update(repo).digest('hex').slice(0, 8);
  return join(home, 'worktrees', `${basename(repo)}-${hash}`);
}

function ask(cwd: string, args: string[]): string | null {
  try {
    return gitSync(cwd, args);
  } catch {
    return null;
  }
}

/** The task's workspace and its cwd inside the worktree; throws WorktreeRefused. */
export function planWorktree(cwd: string, req: WorktreeRequest, id: string, home: string, tasks: Map<string, Pick<TaskRecord, 'id' | 'workspace'>>, after: string[]): { workspace: Workspace; cwd: string } {
  const inside = ask(cwd, ['rev-parse', '--is-inside-work-tree']);
  if (ask(cwd, ['rev-parse', '--is-bare-repository']) === 'true') throw new WorktreeRefused(`${cwd} is in a bare repository: a worktree needs a checkout to start from; launch from a clone with a working tree, or without --worktree`);
  if (inside !== 'true') throw new WorktreeRefused(`${cwd} is not in a git repository: --worktree makes a git worktree of the repository that holds the task's cwd; launch from inside one, or without --worktree`);
  const repo = realpathSync(gitSync(cwd, ['rev-parse', '--show-toplevel']));
  const rel = relative(repo, realpathSync(cwd));
  const branch = req.branch ?? `panecrew/${id}`;
  if (!gitOkSync(repo, ['check-ref-format', '--branch', branch])) throw new WorktreeRefused(`--branch ${branch}: not a valid git branch name`);
  if (gitOkSync(repo, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`])) throw new WorktreeRefused(`branch ${branch} already exists in ${repo}: choose another name with --branch, or delete it (git branch -d ${branch})`);
  const notes: string[] = [];
  let base = req.base;
  let baseCommit: string | null = null;
  const dependency = base ? tasks.get(base) : undefined;
  if (base && dependency) {
    // The dependency's branch exists once it has started, and holds its work once it has ended.
    if (!after.includes(base)) throw new WorktreeRefused(`--base ${base} is a task: add --after ${base} so this one starts from its finished work`);
    if (!dependency.workspace) throw new WorktreeRefused(`--base ${base}: that task has no worktree (launch it with --worktree), so there is no branch to start from`);
    if (dependency.workspace.repo !== repo) throw new WorktreeRefused(`--base ${base}: that task works in ${dependency.workspace.repo}, not ${repo}`);
    base = dependency.workspace.branch;
  } else {
    if (!base) {
      base = ask(repo, ['symbolic-ref', '-q', '--short', 'HEAD']) ?? undefined;
      if (!base) throw new WorktreeRefused(`${repo} has a detached HEAD: say which commit the task starts from with --base REF (e.g. --base HEAD)`);
    }
    baseCommit = ask(repo, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`]);
    if (!baseCommit) throw new WorktreeRefused(`--base ${base}: not a commit in ${repo}${/^bg_/.test(base) ? ' (nor a known task)' : ''}`);
  }
  const dirty = ask(repo, ['status', '--porcelain', '--untracked-files=no']);
  if (dirty) notes.push(`uncommitted changes in ${repo} (${dirty.split('\n').length} files) are not in the worktree: it starts from ${base}`);
  if (existsSync(join(repo, '.gitmodules'))) notes.push('the repository has submodules: they are not checked out in the worktree (add `git submodule update --init` to worktree.setup)');
  const path = join(repoWorktreesDir(home, repo), id);
  const workspace: Workspace = { repo, path, branch, base: base!, ...(dependency && { fromTask: dependency.id }), baseCommit, copy: req.copy, link: req.link, setup: req.setup, notes };
  return { workspace, cwd: join(path, rel) };
}
