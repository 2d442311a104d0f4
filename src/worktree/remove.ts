// Finding task worktrees on disk and removing them, never with work that is in no branch but theirs
// (uncommitted, or commits merged nowhere) unless forced.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { baseRef, hasPending } from './changes.js';
import { git } from './git.js';

export interface FoundWorktree {
  id: string;
  path: string;
  /** The main checkout (null: the worktree no longer belongs to a repository git knows). */
  repo: string | null;
  branch: string | null;
}

/** Every task worktree under the panecrew home, whatever the controller remembers. */
export async function listWorktrees(home: string): Promise<FoundWorktree[]> {
  const root = join(home, 'worktrees');
  if (!existsSync(root)) return [];
  const found: FoundWorktree[] = [];
  for (const group of readdirSync(root)) {
    for (const id of readdirSync(join(root, group)).filter((n) => /^bg_[0-9a-z]{8}$/.test(n))) {
      const path = join(root, group, id);
      const common = await git(path, ['rev-parse', '--path-format=absolute', '--git-common-dir']).catch(() => null);
      const branch = await git(path, ['symbolic-ref', '-q', '--short', 'HEAD']).catch(() => null);
      found.push({ id, path, repo: common ? dirname(common) : null, branch });
    }
  }
  return found;
}

/** Why removing this worktree would lose work, or null when everything in it is in some other branch. */
export async function unmergedWork(w: FoundWorktree): Promise<string | null> {
  if (!w.repo) return null;
  if (await hasPending(w.path)) return 'it has uncommitted work';
  if (!w.branch) return null;
  const others = await git(w.repo, ['for-each-ref', '--format=%(refname)', 'refs/heads']);
  const not = others.split('\n').filter((r) => r && r !== `refs/heads/${w.branch}`);
  const count = Number(await git(w.repo, ['rev-list', '--count', w.branch, '--not', ...not]));
  return count ? `its branch ${w.branch} has ${count} commit${count === 1 ? '' : 's'} merged in no other branch` : null;
}

/** Removes the worktree, its branch and its base ref; refuses (returns why) when work would be lost. */
export async function removeWorktree(w: FoundWorktree, force: boolean): Promise<string | null> {
  const why = await unmergedWork(w);
  if (why && !force) return why;
  if (w.repo) {
    await git(w.repo, ['worktree', 'remove', '--force', w.path]);
    if (w.branch) await git(w.repo, ['branch', '-D', w.branch]);
    await git(w.repo, ['update-ref', '-d', baseRef(w.id)]).catch(() => undefined);
  } else rmSync(w.path, { recursive: true, force: true });
  const group = dirname(w.path);
  if (!readdirSync(group).length) rmSync(group, { recursive: true, force: true });
  return null;
}

