// Hands a task's work back: its branch into the main checkout's current branch, all or nothing.
import { existsSync } from 'node:fs';
import { execa } from 'execa';
import type { Workspace } from '../core/task.js';
import { commitPending } from './changes.js';
import { git, gitOk } from './git.js';

export const MERGE_MODES = ['merge', 'squash', 'rebase'] as const;
export type MergeMode = (typeof MERGE_MODES)[number];

/** The merge did not happen; the message says why and what to do. `conflicts`: the files in conflict. */
export class MergeRefused extends Error {
  constructor(
    message: string,
    readonly conflicts: string[] = [],
  ) {
    super(message);
  }
}

/** The files that merging `branch` into HEAD would leave in conflict, found without touching any checkout. */
async function conflictsOf(repo: string, branch: string): Promise<string[]> {
  const r = await execa('git', ['merge-tree', '--write-tree', '--name-only', '--no-messages', 'HEAD', branch], { cwd: repo, reject: false, stdin: 'ignore' });
  if (r.exitCode === 0) return [];
  if (r.exitCode !== 1) throw new MergeRefused(`git merge-tree failed: ${r.stderr.trim()}`);
  return r.stdout.split('\n').slice(1).filter(Boolean);
}

const conflictMessage = (id: string, ws: Workspace, files: string[]): string =>
  `merging ${ws.branch} (${id}) into ${ws.repo} conflicts in: ${files.join(', ')}. Nothing was changed. Resolve it in the worktree ${ws.path} (merge your branch there, or launch an agent for it), then merge again`;

/** Merges the task's work (its uncommitted work committed first); returns what was done. */
export async function mergeTask(id: string, title: string, ws: Workspace, mode: MergeMode): Promise<string> {
  const repo = ws.repo;
  const target = await git(repo, ['symbolic-ref', '-q', '--short', 'HEAD']).catch(() => null);
  if (!target) throw new MergeRefused(`${repo} has a detached HEAD: check out the branch to merge into first`);
  if (target === ws.branch) throw new MergeRefused(`${repo} has ${ws.branch} checked out: check out the branch to merge into`);
  const dirty = await git(repo, ['status', '--porcelain', '--untracked-files=no']);
  if (dirty) throw new MergeRefused(`${repo} has uncommitted changes (${dirty.split('\n').length} files): commit or stash them first; nothing was changed`);
  if (existsSync(ws.path)) await commitPending(ws.path, `panecrew: work of ${id}: ${title}`);
  if (!(await gitOk(repo, ['show-ref', '--verify', '--quiet', `refs/heads/${ws.branch}`]))) throw new MergeRefused(`branch ${ws.branch} no longer exists in ${repo}`);
  if (await gitOk(repo, ['merge-base', '--is-ancestor', ws.branch, 'HEAD'])) return `${ws.branch} is already in ${target}: nothing to merge`;
  const conflicts = await conflictsOf(repo, ws.branch);
  if (conflicts.length) throw new MergeRefused(conflictMessage(id, ws, conflicts), conflicts);
  try {
    if (mode === 'merge') await git(repo, ['merge', '--no-ff', '--no-edit', '-m', `panecrew: merge ${id} (${title})`, ws.branch]);
    else if (mode === 'squash') {
      await git(repo, ['merge', '--squash', ws.branch]);
      await git(repo, ['commit', '-q', '--no-verify', '-m', `panecrew: ${id}: ${title}`]);
    } else {
      await rebaseOnto(id, ws, target);
      await git(repo, ['merge', '--ff-only', ws.branch]);
    }
  } catch (err) {
    // A hook or an identity problem mid-way: the main checkout goes back to exactly where it was.
    await git(repo, ['reset', '-q', '--merge']).catch(() => undefined);
    if (err instanceof MergeRefused) throw err;
    throw new MergeRefused(`${(err as Error).message}\nThe main checkout was put back as it was.`);
  }
  return `${id}: ${ws.branch} ${mode === 'merge' ? 'merged' : mode === 'squash' ? 'squashed' : 'rebased and fast-forwarded'} into ${target}`;
}

/** Rebases the task's branch onto `target` in its worktree; a conflict puts the branch back as it was. */
async function rebaseOnto(id: string, ws: Workspace, target: string): Promise<void> {
  if (!existsSync(ws.path)) throw new MergeRefused(`--rebase needs the task's worktree ${ws.path}, which is gone: merge without --rebase`);
  const r = await execa('git', ['rebase', '-q', target], { cwd: ws.path, reject: false, stdin: 'ignore' });
  if (r.exitCode === 0) return;
  const files = (await git(ws.path, ['diff', '--name-only', '--diff-filter=U']).catch(() => '')).split('\n').filter(Boolean);
  await git(ws.path, ['rebase', '--abort']).catch(() => undefined);
  throw new MergeRefused(conflictMessage(id, ws, files), files);
}
