import { loadConfig } from '../../config/load.js';
import { panecrewHome } from '../../core/paths.js';
import { isFinal } from '../../core/task-state.js';
import type { Task } from '../../core/task.js';
import { inert } from '../../render/inert.js';
import { listWorktrees, removeWorktree, unmergedWork, type FoundWorktree } from '../../worktree/remove.js';
import { defineVerb, EXIT, UsageError, withClient, type Context } from '../command.js';
import { SUMMARY } from '../summaries.js';

async function tasksById(ctx: Context): Promise<Map<string, Task>> {
  const tasks = await withClient(ctx, (c) => c.request({ op: 'list', all: true }));
  return new Map(tasks.map((t) => [t.id, t]));
}

async function ls(ctx: Context, found: FoundWorktree[], tasks: Map<string, Task>): Promise<number> {
  if (!found.length) ctx.out('no task worktrees');
  for (const w of found) {
    const t = tasks.get(w.id);
    const work = await unmergedWork(w);
    ctx.out(`${w.id}  ${t?.state ?? 'forgotten'}  ${inert(w.branch ?? '(no branch)')}  ${work ? `unmerged: ${work}` : 'merged'}  ${inert(w.path)}`);
  }
  return EXIT.ok;
}

export default defineVerb({
  name: 'worktree',
  summary: SUMMARY.worktree,
  usage: 'worktree ls | rm ID [--force] | prune [--force]',
  help: `
  ls          every task worktree: its task's state, branch, whether it holds unmerged work, path
  rm ID       remove the worktree and its branch; refused while the task is at work, or while the
              worktree holds work that is in no other branch (uncommitted, or commits merged
              nowhere) unless --force
  prune       remove the worktrees of tasks ended longer ago than background_task.retentionMs (or
              forgotten by the controller); those with unmerged work are kept and listed
Exit codes: 0 done, 1 a worktree was kept because of its unmerged work, 4 no such worktree.`,
  options: { force: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const [sub, id, ...rest] = positionals;
    if (rest.length || !sub || !['ls', 'rm', 'prune'].includes(sub)) throw new UsageError('expected: worktree ls | rm ID | prune');
    const found = await listWorktrees(panecrewHome(ctx.env));
    const tasks = await tasksById(ctx);
    if (sub === 'ls') return ls(ctx, found, tasks);
    const force = !!values.force;
    if (sub === 'rm') {
      const w = found.find((f) => f.id === id);
      if (!w) {
        ctx.err(`panecrew worktree rm: no worktree of ${id ?? '(no id given)'}: see panecrew worktree ls`);
        return EXIT.notFound;
      }
      const state = tasks.get(w.id)?.state;
      if (state && !isFinal(state)) {
        ctx.err(`panecrew worktree rm: ${w.id} is ${state}: cancel it first`);
        return EXIT.controller;
      }
      const kept = await removeWorktree(w, force);
      if (kept) ctx.err(`panecrew worktree rm: kept ${w.path}: ${kept}. Merge it (panecrew merge ${w.id}) or remove it anyway with --force`);
      else ctx.out(`removed ${w.path}`);
      return kept ? EXIT.failed : EXIT.ok;
    }
    const { config } = loadConfig({ cwd: ctx.cwd, env: ctx.env });
    const cutoff = Date.now() - config.background_task.retentionMs;
    let keptAny = false;
    for (const w of found) {
      const t = tasks.get(w.id);
      if (t && (!isFinal(t.state) || (t.endedAt ?? Date.now()) > cutoff)) continue;
      const kept = await removeWorktree(w, force);
      keptAny ||= !!kept;
      if (kept) ctx.err(`kept ${w.id} (${inert(w.path)}): ${kept}`);
      else ctx.out(`removed ${w.id} (${inert(w.path)})`);
    }
    return keptAny ? EXIT.failed : EXIT.ok;
  },
});
