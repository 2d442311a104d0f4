// What a task changed in its worktree, committed or not, against the commit it started from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Workspace } from '../core/task.js';
import { git } from './git.js';

/** The ref that keeps the commit a task's branch started from (what `diff` compares to). */
export const baseRef = (id: string): string => `refs/panecrew/base/${id}`;

export interface ChangeSummary {
  files: number;
  added: number;
  removed: number;
}

/** Whether the worktree holds uncommitted work (untracked files count; ignored ones do not). */
export async function hasPending(path: string): Promise<boolean> {
  return (await git(path, ['status', '--porcelain'])) !== '';
}

/** Commits everything uncommitted in the worktree (new files too); false when there was nothing. */
export async function commitPending(path: string, message: string): Promise<boolean> {
  if (!(await hasPending(path))) return false;
  await git(path, ['add', '-A']);
  await git(path, ['-c', 'user.name=panecrew', '-c', 'user.email=panecrew@localhost', 'commit', '-q', '--no-verify', '-m', message], { GIT_COMMITTER_NAME: 'panecrew', GIT_COMMITTER_EMAIL: 'panecrew@localhost' });
  return true;
}

/** The worktree's whole state (uncommitted and new files included) as a tree, through a private
 *  index: the worktree's own index and files are left exactly as they are. */
export async function worktreeTree(path: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'panecrew-index-'));
  const env = { GIT_INDEX_FILE: join(dir, 'index') };
  try {
    await git(path, ['read-tree', 'HEAD'], env);
    await git(path, ['add', '-A'], env);
    return await git(path, ['write-tree'], env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `git diff` of the task's work against its base: a patch, or `--stat`. */
export async function diffAgainst(path: string, base: string, stat: boolean): Promise<string> {
  return git(path, ['diff', ...(stat ? ['--stat'] : []), base, await worktreeTree(path)]);
}

export async function summarize(path: string, base: string): Promise<ChangeSummary> {
  const out = await git(path, ['diff', '--numstat', base, await worktreeTree(path)]);
  const sum: ChangeSummary = { files: 0, added: 0, removed: 0 };
  for (const line of out.split('\n').filter(Boolean)) {
    const [a, r] = line.split('\t');
    sum.files++;
    sum.added += Number(a) || 0; // `-` for a binary file
    sum.removed += Number(r) || 0;
  }
  return sum;
}

export const describeChanges = (s: ChangeSummary): string => (s.files ? `${s.files} file${s.files === 1 ? '' : 's'} changed, +${s.added} -${s.removed}` : 'no changes');

/** One line on a worktree task's work, for status, MCP and notifications: what changed and where. */
export async function changeLine(id: string, ws: Workspace): Promise<string> {
  try {
    return `${describeChanges(await summarize(ws.path, baseRef(id)))} on branch ${ws.branch} (panecrew diff ${id}; panecrew merge ${id})`;
  } catch {
    return `its worktree ${ws.path} is not there (not made yet, or removed); branch ${ws.branch}`;
  }
}
