import { durationOption } from '../duration-option.js';
import { isFinal } from '../../core/task-state.js';
import { defineVerb, EXIT, printJson, UsageError, withClient } from '../command.js';
import { detail, paint, STATE_SYMBOL } from '../../render/format.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'wait',
  summary: SUMMARY.wait,
  usage: 'wait [ID...] [--all] [--timeout DUR] [--json]',
  help: `
Options:
  --all            wait for every task that is pending or running now
  --timeout DUR    give up after DUR (30s, 5m; a bare number is seconds)
  --json           print the ended tasks as JSON
Exit codes: 0 all completed, 1 any ended otherwise (error, cancelled, interrupt),
4 no such task, 124 timed out.`,
  options: { all: { type: 'boolean' }, timeout: { type: 'string' }, json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (!values.all && !positionals.length) throw new UsageError('name the tasks to wait for, or use --all');
    const timeoutMs = typeof values.timeout === 'string' ? durationOption('--timeout', values.timeout) : null;
    return withClient(ctx, async (c) => {
      const { ended, tasks } = await c.waitUntilEnded(values.all ? 'active' : positionals, { timeoutMs });
      if (values.json) printJson(ctx, tasks);
      else for (const t of tasks) ctx.out(`${t.id}  ${paint(`${STATE_SYMBOL[t.state]} ${t.state}`, t.state, ctx.color)}  ${detail(t)}`);
      if (!ended) {
        if (!values.json) ctx.err(`panecrew wait: timed out with ${tasks.filter((t) => !isFinal(t.state)).length} task(s) still active`);
        return EXIT.timeout;
      }
      return tasks.every((t) => t.state === 'completed') ? EXIT.ok : EXIT.failed;
    });
  },
});
