import { GitError } from '../../worktree/git.js';
import { baseRef, diffAgainst } from '../../worktree/changes.js';
import { defineVerb, EXIT, UsageError, withClient } from '../command.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'diff',
  summary: SUMMARY.diff,
  usage: 'diff ID [--stat]',
  help: `
Shows what a task launched with --worktree changed against the commit it started from: its commits
and its uncommitted work (new files too), without touching its worktree.
Options:
  --stat    files and +/- lines only
Exit codes: 0 shown, 1 the task has no worktree (or it is gone), 4 no such task.`,
  options: { stat: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new UsageError('give exactly one task id');
    const t = await withClient(ctx, (c) => c.request({ op: 'get', taskId: positionals[0]! }));
    if (!t.workspace) {
      ctx.err(`panecrew diff: ${t.id} works in ${t.cwd}, not in a worktree of its own (launch --worktree): see git diff there`);
      return EXIT.failed;
    }
    try {
      const out = await diffAgainst(t.workspace.path, baseRef(t.id), !!values.stat);
      if (out) ctx.out(out);
    } catch (err) {
      if (!(err instanceof GitError)) throw err;
      ctx.err(`panecrew diff: ${t.id}'s worktree ${t.workspace.path} cannot be read (not made yet, or removed): ${err.message}`);
      return EXIT.failed;
    }
    return EXIT.ok;
  },
});
