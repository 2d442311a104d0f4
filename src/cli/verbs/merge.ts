import { isFinal } from '../../core/task-state.js';
import { mergeTask, MergeRefused, type MergeMode } from '../../worktree/merge.js';
import { inert } from '../../render/inert.js';
import { defineVerb, EXIT, UsageError, withClient } from '../command.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'merge',
  summary: SUMMARY.merge,
  usage: 'merge ID [--squash | --rebase]',
  help: `
Brings a worktree task's work into the main checkout's current branch. Its uncommitted work is
committed first ("panecrew: work of ID: TITLE"). A main checkout with uncommitted changes is refused;
a conflict changes nothing: the files are named and the worktree stays for you (or an agent) to
resolve it, then merge again.
Options:
  --squash   one commit with the task's whole change
  --rebase   the task's commits rebased onto the current branch, then fast-forwarded
Exit codes: 0 merged (or nothing to merge), 1 refused or a conflict (nothing changed), 3 the task is
still at work, 4 no such task.`,
  options: { squash: { type: 'boolean' }, rebase: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new UsageError('give exactly one task id');
    if (values.squash && values.rebase) throw new UsageError('--squash and --rebase contradict each other: give one');
    const mode: MergeMode = values.squash ? 'squash' : values.rebase ? 'rebase' : 'merge';
    const t = await withClient(ctx, (c) => c.request({ op: 'get', taskId: positionals[0]! }));
    if (!t.workspace) {
      ctx.err(`panecrew merge: ${t.id} worked in ${t.cwd} itself (no --worktree): its changes are already there`);
      return EXIT.failed;
    }
    if (!isFinal(t.state)) {
      ctx.err(`panecrew merge: ${t.id} is ${t.state}: merge it once it has ended (panecrew wait ${t.id}), or cancel it first`);
      return EXIT.controller;
    }
    try {
      ctx.out(await mergeTask(t.id, t.title, t.workspace, mode));
      return EXIT.ok;
    } catch (err) {
      if (!(err instanceof MergeRefused)) throw err;
      ctx.err(`panecrew merge: ${inert(err.message, { multiline: true })}`);
      return EXIT.failed;
    }
  },
});
